package org.kdump4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict option parser: {@code --flag}, {@code --option VALUE} or {@code --option=VALUE},
 * and positional operands; {@code --} ends options. Unknown options are a {@link UsageException}.
 */
final class Args {
    private final Map<String, List<String>> options;
    private final List<String> operands;

    private Args(Map<String, List<String>> options, List<String> operands) {
        this.options = options;
        this.operands = operands;
    }

    /**
     * Parses {@code args}.
     *
     * @param flags options that take no value (e.g. {@code "--json"})
     * @param valued options that take one value (may repeat)
     */
    static Args parse(List<String> args, Set<String> flags, Set<String> valued) throws UsageException {
        Map<String, List<String>> options = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        boolean endOfOptions = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (endOfOptions || !a.startsWith("--") || a.length() == 2 && !a.equals("--")) {
                if (a.startsWith("-") && a.length() > 1 && !endOfOptions && !isNumberLike(a)) {
                    throw new UsageException("unknown option: " + a);
                }
                operands.add(a);
                continue;
            }
            if (a.equals("--")) {
                endOfOptions = true;
                continue;
            }
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option " + name + " takes no value");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option: " + name);
            }
        }
        return new Args(options, operands);
    }

    private static boolean isNumberLike(String a) {
        return a.length() > 1 && Character.isDigit(a.charAt(1));
    }

    boolean has(String option) {
        return options.containsKey(option);
    }

    /** The last value of an option, or {@code null} when absent. */
    String value(String option) {
        List<String> v = options.get(option);
        return v == null ? null : v.getLast();
    }

    /** Every value of a repeatable option, in order. */
    List<String> values(String option) {
        return options.getOrDefault(option, List.of());
    }

    List<String> operands() {
        return operands;
    }

    /** Checks the operand count and returns the operands. */
    List<String> operands(int min, int max) throws UsageException {
        if (operands.size() < min) {
            throw new UsageException("missing operand");
        }
        if (operands.size() > max) {
            throw new UsageException("too many operands: " + operands.subList(max, operands.size()));
        }
        return operands;
    }
}
