package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One sub-command of the {@code kdump4j} command line ({@code info}, {@code read}, ...).
 *
 * <p>A command parses its own arguments, calls only the public API and prints to the given streams.
 * It signals a usage mistake with {@link UsageException} (exit code 2) and bad input with an
 * {@link java.io.IOException} (exit code 1); {@link Main} maps both to exit codes.
 */
interface Command {

    /** The word that selects this command, e.g. {@code "info"}. */
    String name();

    /** One line of synopsis, e.g. {@code "info [--json] DUMP"}. */
    String synopsis();

    /** One sentence saying what the command does. */
    String summary();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @param out standard output
     * @param err standard error
     * @return the exit code (0 on success)
     * @throws UsageException when the arguments are wrong
     * @throws Exception when the input is bad (reported as exit code 1)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
