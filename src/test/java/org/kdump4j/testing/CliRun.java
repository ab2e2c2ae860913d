package org.kdump4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.kdump4j.cli.Main;

/** Runs the CLI in-process and captures what it printed (stdout byte for byte as ISO-8859-1). */
public final class CliRun {
    private CliRun() {
    }

    /** The exit code and the two streams. */
    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        return run(List.of(args));
    }

    public static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.ISO_8859_1),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }
}
