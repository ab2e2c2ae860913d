package org.kdump4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code kdump4j} command line: dispatches to a {@link Command} and maps failures to exit codes
 * (0 ok, 1 bad input with the message on stderr, 2 usage).
 */
public final class Main {
    /** Exit code for success. */
    public static final int EXIT_OK = 0;
    /** Exit code for bad input (unreadable or malformed file, invalid specification). */
    public static final int EXIT_BAD_INPUT = 1;
    /** Exit code for a usage mistake. */
    public static final int EXIT_USAGE = 2;

    private static final List<Command> COMMANDS = List.of(new Command[] {
            // dump-reading commands
            new InfoCommand(),
            new ReadCommand(),
            new DigestCommand(),
            new ReassembleCommand(),
            new DmesgCommand(),
            new ElfcorehdrCommand(),
            new ConvertCommand(),
            new SaveCommand(),
            // boot-side commands
            new KexecCommand(),
            new CrashKernelCommand(),
            new IomemCommand(),
    });

    private Main() {
    }

    /**
     * Runs the CLI and exits the JVM with the command's exit code.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        if (code != EXIT_OK) {
            System.exit(code);
        }
        // success: return instead of System.exit, whose exit logging costs a JVM start-up milliseconds
        // (no command leaves a non-daemon thread behind)
    }

    /**
     * Runs the CLI without exiting (for tests and embedding).
     *
     * @return the exit code
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.getFirst().equals("--help") || args.getFirst().equals("-h")
                || args.getFirst().equals("help")) {
            usage(args.isEmpty() ? err : out);
            return args.isEmpty() ? EXIT_USAGE : EXIT_OK;
        }
        if (args.getFirst().equals("--version")) {
            out.println("kdump4j " + version());
            return EXIT_OK;
        }
        Command command = null;
        for (Command c : COMMANDS) { // a loop, not a stream: this runs on every start
            if (c.name().equals(args.getFirst())) {
                command = c;
                break;
            }
        }
        if (command == null) {
            err.println("kdump4j: unknown command '" + args.getFirst() + "'");
            usage(err);
            return EXIT_USAGE;
        }
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        if (rest.contains("--help")) {
            out.println("usage: kdump4j " + command.synopsis());
            out.println(command.summary());
            return EXIT_OK;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("kdump4j " + command.name() + ": " + e.getMessage());
            err.println("usage: kdump4j " + command.synopsis());
            return EXIT_USAGE;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("kdump4j " + command.name() + ": " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (Exception e) {
            err.println("kdump4j " + command.name() + ": " + e);
            return EXIT_BAD_INPUT;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: kdump4j COMMAND [OPTIONS] ARGS...");
        s.println();
        s.println("commands:");
        for (Command c : COMMANDS) {
            s.printf("  %-60s %s%n", c.synopsis(), c.summary());
        }
        s.println();
        s.println("exit codes: 0 ok, 1 bad input, 2 usage");
    }

    private static String version() {
        java.util.Optional<String> fromModule = Main.class.getModule().getDescriptor() == null ? java.util.Optional.empty()
                : Main.class.getModule().getDescriptor().rawVersion();
        String v = fromModule.orElse(Main.class.getPackage().getImplementationVersion());
        return v == null ? "dev" : v;
    }
}
