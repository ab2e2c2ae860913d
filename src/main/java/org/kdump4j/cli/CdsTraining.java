package org.kdump4j.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run behind {@code bin/kdump4j}'s class-data-sharing archive: runs several CLI command
 * lines in one JVM (the arguments, with a lone {@code ;} between command lines), discarding their output,
 * so that one {@code -XX:DumpLoadedClassList} run sees every class and method-handle form that the common
 * commands use. Not part of the CLI; a failing command only makes the archive smaller.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * Runs the command lines.
     *
     * @param args e.g. {@code info --lenient dump.gz ; dmesg other.gz}
     */
    public static void main(String[] args) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        List<String> line = new ArrayList<>();
        for (String a : args) {
            if (a.equals(";")) {
                run(line, sink);
                line.clear();
            } else {
                line.add(a);
            }
        }
        run(line, sink);
    }

    private static void run(List<String> line, PrintStream sink) {
        if (!line.isEmpty()) {
            // the list type main() passes, so that the archive holds the classes its sub-lists use
            Main.run(Arrays.asList(line.toArray(new String[0])), sink, sink);
        }
    }
}
