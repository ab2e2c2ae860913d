package org.kdump4j.internal.text;

/**
 * Fixed-width fields appended to a {@link StringBuilder}, byte for byte as {@link java.util.Formatter}
 * writes them in a locale with ASCII digits ({@code %-8s}, {@code %6d}, {@code %016x}, {@code %06d}), but
 * without loading it. Widths count UTF-16 units, as {@code Formatter} does; a longer value is never cut.
 */
public final class Columns {
    private static final String ZEROS = "0000000000000000";
    private static final String SPACES = "                                ";

    private Columns() {
    }

    /** Appends {@code s} followed by spaces up to {@code width} characters: {@code %-<width>s}. */
    public static StringBuilder leftJustified(StringBuilder sb, String s, int width) {
        sb.append(s);
        return repeat(sb, SPACES, ' ', width - s.length());
    }

    /** Appends spaces up to {@code width} characters followed by {@code s}: {@code %<width>s}. */
    public static StringBuilder rightJustified(StringBuilder sb, String s, int width) {
        return repeat(sb, SPACES, ' ', width - s.length()).append(s);
    }

    /** Appends {@code v} in decimal, right-justified with spaces: {@code %<width>d}. */
    public static StringBuilder rightJustified(StringBuilder sb, long v, int width) {
        return rightJustified(sb, Long.toString(v), width);
    }

    /**
     * Appends {@code v} as unsigned lowercase hexadecimal with leading zeros up to {@code digits} digits:
     * {@code %0<digits>x} of a {@code long} (negative values are their two's complement, as there).
     */
    public static StringBuilder zeroPaddedHex(StringBuilder sb, long v, int digits) {
        String s = Long.toHexString(v);
        return repeat(sb, ZEROS, '0', digits - s.length()).append(s);
    }

    /**
     * Appends {@code v} in decimal with leading zeros up to {@code width} characters, a minus sign
     * included: {@code %0<width>d} ({@code -5} in width 6 is {@code -00005}).
     */
    public static StringBuilder zeroPaddedDecimal(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        if (v < 0) {
            sb.append('-');
            return repeat(sb, ZEROS, '0', width - s.length()).append(s, 1, s.length());
        }
        return repeat(sb, ZEROS, '0', width - s.length()).append(s);
    }

    private static StringBuilder repeat(StringBuilder sb, String run, char c, int n) {
        if (n <= 0) {
            return sb;
        }
        if (n <= run.length()) {
            return sb.append(run, 0, n);
        }
        return sb.repeat(c, n);
    }
}
