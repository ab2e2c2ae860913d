package org.kdump4j.cli;

/** Hexadecimal command-line numbers ({@code 0x} optional) and {@code ADDR:SIZE} pairs. */
final class Numbers {
    private Numbers() {
    }

    /** Parses an unsigned 64-bit hexadecimal number, {@code 0x} optional. */
    static long hex(String option, String s) throws UsageException {
        String t = s.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        try {
            if (t.isEmpty() || t.length() > 16) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a hexadecimal number: '" + s + "'");
        }
    }

    /** Parses {@code A:B[:C]...} of hexadecimal numbers with exactly {@code min..max} fields. */
    static long[] fields(String option, String s, int min, int max) throws UsageException {
        String[] parts = s.split(":", -1);
        if (parts.length < min || parts.length > max) {
            throw new UsageException(option + ": expected " + (min == max ? min : min + " to " + max)
                    + " hexadecimal fields separated by ':', got '" + s + "'");
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = hex(option, parts[i]);
        }
        return v;
    }
}
