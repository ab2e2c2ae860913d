package org.kdump4j.boot;

import java.util.Objects;
import org.kdump4j.internal.text.Columns;

/**
 * Reads and writes memory sizes the way the Linux kernel's {@code memparse()} does, because every
 * size in {@code crashkernel=}, {@code elfcorehdr=} and friends goes through it and its quirks
 * (octal, silent wrap-around) decide what the kernel actually reserves.
 *
 * <p>The rules, all applied exactly:
 * <ul>
 *   <li>Base: {@code 0x} or {@code 0X} <em>followed by a hex digit</em> selects hex; otherwise a
 *       leading {@code 0} selects octal ({@code 0100M} is 64 MiB, {@code 08M} stops after the
 *       {@code 0}, {@code 0x} alone is the octal number 0 followed by {@code x}); anything else is
 *       decimal.</li>
 *   <li>No leading white space and no sign are accepted: {@code " 1G"} and {@code "-1G"} have no
 *       digits.</li>
 *   <li>Overflow is not detected: the value wraps modulo 2<sup>64</sup>.</li>
 *   <li>One optional suffix, either case: {@code K M G T P E} shift left by 10, 20, ... 60 bits,
 *       again wrapping silently ({@code 16E} is 0). There is no {@code B} and no {@code KiB}.</li>
 * </ul>
 * Characters are compared as the kernel compares bytes; read files as ISO-8859-1 to keep one
 * character per byte.
 */
public final class MemorySize {
    /** 1 KiB. */
    public static final long KIB = 1L << 10;
    /** 1 MiB. */
    public static final long MIB = 1L << 20;
    /** 1 GiB. */
    public static final long GIB = 1L << 30;
    /** 1 TiB. */
    public static final long TIB = 1L << 40;

    private static final String SUFFIXES = "KMGTPE";

    private MemorySize() {
    }

    /**
     * Parses a number with an optional suffix starting at {@code from}, exactly like the kernel's
     * {@code memparse()}; never fails, the caller decides what "no digits" or the following character
     * means.
     *
     * @param text the text; characters at or past its end read as the kernel's terminating NUL
     * @param from where the number starts, {@code 0 <= from <= text.length()}
     * @return the value and the index of the first unconsumed character
     */
    public static ParsedNumber memparse(CharSequence text, int from) {
        Objects.requireNonNull(text, "text");
        if (from < 0 || from > text.length()) {
            throw new IllegalArgumentException("from " + from + " outside 0.." + text.length());
        }
        int base;
        int i = from;
        if (at(text, i) == '0') {
            if ((at(text, i + 1) | 0x20) == 'x' && digit(at(text, i + 2), 16) >= 0) {
                base = 16;
                i += 2;
            } else {
                base = 8;
            }
        } else {
            base = 10;
        }
        int digitsStart = i;
        long value = 0;
        for (int d; (d = digit(at(text, i), base)) >= 0; i++) {
            value = value * base + d; // wraps modulo 2^64 like the kernel
        }
        if (i == digitsStart) {
            return new ParsedNumber(0, from, from); // "0x<hex>" always has a digit, so this is "no digits"
        }
        int shift = SUFFIXES.indexOf(Character.toUpperCase(at(text, i)));
        if (shift >= 0 && at(text, i) < 0x80) {
            value <<= 10 * (shift + 1); // shifts by 10..60 < 64: Java and C agree, excess bits drop
            i++;
        }
        return new ParsedNumber(value, from, i);
    }

    /**
     * Parses a whole string as one memory size (for option values such as {@code --ram 8G}); unlike
     * {@link #memparse} every character must be consumed.
     *
     * @throws BootParseException if there are no digits or characters remain after the number
     */
    public static long parse(String text) throws BootParseException {
        ParsedNumber n = memparse(text, 0);
        if (!n.hasDigits()) {
            throw new BootParseException(quote(text), "memory value expected", 0);
        }
        if (n.end() < text.length()) {
            throw new BootParseException(quote(text),
                    "unrecognized character " + describe(text.charAt(n.end())), n.end());
        }
        return n.value();
    }

    /**
     * Formats {@code bytes} (unsigned) in the shortest form {@link #memparse} reads back to the same
     * value: the largest suffix that divides it exactly, else plain decimal ({@code 256M},
     * {@code 4K}, {@code 1000}, {@code 0}).
     */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        for (int s = SUFFIXES.length() - 1; s >= 0; s--) {
            int shift = 10 * (s + 1);
            if (Long.numberOfTrailingZeros(bytes) >= shift) {
                return Long.toUnsignedString(bytes >>> shift) + SUFFIXES.charAt(s);
            }
        }
        return Long.toUnsignedString(bytes);
    }

    /**
     * Formats {@code bytes} (unsigned) for people: exact in the largest binary unit not above it when
     * that divides it ({@code 256 MiB}), otherwise approximate with the exact byte count
     * ({@code ~511.5 MiB (536316928 bytes)}).
     */
    public static String human(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int top = bytes == 0 ? 0 : (63 - Long.numberOfLeadingZeros(bytes)) / 10;
        if (Long.numberOfTrailingZeros(bytes) >= 10 * top) {
            return Long.toUnsignedString(bytes >>> (10 * top)) + " " + units[top];
        }
        double scaled = unsignedToDouble(bytes) / Math.pow(2, 10.0 * top);
        return String.format(java.util.Locale.ROOT, "~%.1f %s (%s bytes)", scaled, units[top], Long.toUnsignedString(bytes));
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0;
    }

    static char at(CharSequence text, int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }

    /** The kernel's digit rule: 0-9, a-f/A-F, and only below the base. */
    private static int digit(char c, int base) {
        int v;
        if (c >= '0' && c <= '9') {
            v = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            v = (c | 0x20) - 'a' + 10;
        } else {
            return -1;
        }
        return v < base ? v : -1;
    }

    /** Shows a character in an error message: printable ASCII quoted, anything else as U+XXXX. */
    static String describe(char c) {
        if (c == '\0') {
            return "end of text";
        }
        if (c > 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        if (c == ' ') {
            return "space";
        }
        // String.format("U+%04X") without a Formatter: Iomem's messages are on the path of info --iomem
        return Columns.zeroPaddedHex(new StringBuilder("U+"), c, 4).toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** Shortens and quotes text for an error message subject. */
    static String quote(String text) {
        String t = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        StringBuilder sb = new StringBuilder(t.length() + 2).append('"');
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.append('"').toString();
    }
}
