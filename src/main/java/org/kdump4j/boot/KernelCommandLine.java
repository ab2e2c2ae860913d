package org.kdump4j.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A kernel command line split into parameters exactly as the kernel's tokenizer does, because
 * quoting and the {@code --} separator decide which parameters the kernel (and which {@code init})
 * receives.
 *
 * <p>Rules of the kernel's {@code next_arg()}/{@code parse_args()}, applied here:
 * <ul>
 *   <li>Tokens are separated by white space (space, tab, newline, vertical tab, form feed, carriage
 *       return, and the Latin-1 no-break space 0xA0, as the kernel's {@code isspace}), except inside
 *       double quotes; a quote toggles "inside quotes" wherever it occurs.</li>
 *   <li>A token starting with a quote, or a value starting with a quote, has that quote and a quote
 *       ending the token removed; other quotes stay.</li>
 *   <li>The name ends at the first {@code =} (a quote does not hide it), except that an {@code =} as the
 *       very first character is not taken as the separator (the kernel uses index 0 as "none").</li>
 *   <li>The first bare {@code --} (no {@code =}) ends the kernel's parameters; what follows are
 *       arguments for {@code init} ({@link #initArguments()}).</li>
 *   <li>A NUL character ends the command line, as it does for the kernel's C string.</li>
 * </ul>
 * Note that {@code crashkernel=} is <em>not</em> looked up through this tokenizer: the kernel
 * searches the raw line for the substring {@code crashkernel=}; see {@link CrashKernel}.
 *
 * @param text the command line as given (a trailing newline, as in {@code /proc/cmdline}, is harmless)
 * @param parameters the kernel's parameters, in order
 * @param initArguments the tokens after {@code --}, in order
 */
public record KernelCommandLine(String text, List<KernelParameter> parameters, List<KernelParameter> initArguments) {

    /** Copies the lists. */
    public KernelCommandLine {
        Objects.requireNonNull(text, "text");
        parameters = List.copyOf(parameters);
        initArguments = List.copyOf(initArguments);
    }

    /** Tokenizes {@code text}; every string is a valid command line, so this never fails. */
    public static KernelCommandLine parse(String text) {
        Objects.requireNonNull(text, "text");
        int nul = text.indexOf('\0');
        int limit = nul < 0 ? text.length() : nul;
        List<KernelParameter> params = new ArrayList<>();
        List<KernelParameter> init = new ArrayList<>();
        List<KernelParameter> target = params;
        int i = skipSpaces(text, 0, limit);
        while (i < limit) {
            int tokenStart = i;
            boolean quoted = false;
            boolean inQuote = false;
            if (text.charAt(i) == '"') {
                i++;
                quoted = true;
                inQuote = true;
            }
            int bodyStart = i;
            int equals = -1;
            for (; i < limit; i++) {
                char c = text.charAt(i);
                if (isSpace(c) && !inQuote) {
                    break;
                }
                if (equals < 0 && c == '=' && i > bodyStart) {
                    equals = i; // the kernel's "equals == 0 means none" ignores an '=' in first place
                }
                if (c == '"') {
                    inQuote = !inQuote;
                }
            }
            int tokenEnd = i;
            boolean endsWithQuote = tokenEnd > bodyStart && text.charAt(tokenEnd - 1) == '"';
            String name;
            Optional<String> value;
            if (equals >= 0) {
                name = text.substring(bodyStart, equals);
                int valueStart = equals + 1;
                int valueEnd = tokenEnd;
                boolean valueQuoted = valueStart < tokenEnd && text.charAt(valueStart) == '"';
                if (valueQuoted) {
                    valueStart++;
                }
                if ((valueQuoted || quoted) && endsWithQuote && valueEnd - 1 >= valueStart) {
                    valueEnd--;
                }
                value = Optional.of(text.substring(valueStart, Math.max(valueStart, valueEnd)));
            } else {
                int nameEnd = quoted && endsWithQuote && tokenEnd - 1 >= bodyStart ? tokenEnd - 1 : tokenEnd;
                name = text.substring(bodyStart, nameEnd);
                value = Optional.empty();
            }
            KernelParameter p = new KernelParameter(name, value, tokenStart, tokenEnd);
            if (target == params && value.isEmpty() && name.equals("--")) {
                target = init;
            } else {
                target.add(p);
            }
            i = skipSpaces(text, i, limit);
        }
        return new KernelCommandLine(text, params, init);
    }

    /** Every kernel parameter (before {@code --}) with the given name, in order. */
    public List<KernelParameter> all(String name) {
        Objects.requireNonNull(name, "name");
        return parameters.stream().filter(p -> p.name().equals(name)).toList();
    }

    /** The last kernel parameter (before {@code --}) with the given name; for most handlers the last one wins. */
    public Optional<KernelParameter> last(String name) {
        List<KernelParameter> all = all(name);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The kernel's {@code isspace()} for the characters a command line can hold. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0;
    }

    private static int skipSpaces(String s, int i, int limit) {
        while (i < limit && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
