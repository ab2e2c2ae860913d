package org.kdump4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external oracles (binutils, elfutils, gdb, kexec-tools, makedumpfile). A missing tool FAILS the
 * test with the package to install: CI runs on this machine and installs them ({@code .ci/run}).
 */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** What a tool printed. */
    public record Run(int exit, String out, String err) {
    }

    /** The tool's path, or a failure naming the Debian package that provides it. */
    public static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String d : new String[] {dir, "/usr/sbin", "/sbin"}) {
                Path p = Path.of(d, tool);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return fail("external oracle '" + tool + "' is not installed: apt-get install -y " + debianPackage);
    }

    /** Runs a tool with no input; returns its exit code and what it printed. */
    public static Run run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, Path.of("/dev/null"), null);
    }

    /**
     * Runs a tool with standard input from {@code stdin} and, when {@code stdoutFile} is given, standard
     * output into that file (then {@link Run#out()} is empty).
     */
    public static Run run(List<String> cmd, Path stdin, Path stdoutFile) throws IOException, InterruptedException {
        Path out = stdoutFile != null ? stdoutFile : Files.createTempFile("kdump4j-tool", ".out");
        Path err = Files.createTempFile("kdump4j-tool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile())).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Run(p.exitValue(), stdoutFile != null ? "" : Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            if (stdoutFile == null) {
                Files.deleteIfExists(out);
            }
            Files.deleteIfExists(err);
        }
    }
}
