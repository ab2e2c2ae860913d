package org.kdump4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The training run behind {@code bin/kdump4j}'s class-data-sharing archive: runs several CLI command
 * lines in one JVM (each argument is one command line, split at spaces), discarding their output, so
 * that one {@code -XX:DumpLoadedClassList} run sees every class and method-handle form that the common
 * commands use. Not part of the CLI; a failing command only makes the archive smaller.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * Runs each argument as a command line.
     *
     * @param commandLines e.g. {@code "info --lenient dump.gz"}, {@code "dmesg other.gz"}
     */
    public static void main(String[] commandLines) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        for (String line : commandLines) {
            List<String> args = Arrays.asList(line.trim().split(" +"));
            Main.run(args, sink, sink);
        }
    }
}
