package org.kdump4j.boot;

/**
 * The outcome of {@link MemorySize#memparse}: the value and where the number ended, because the
 * kernel's parsers decide what to do next by looking at the character after the number.
 *
 * @param value the parsed value, wrapped modulo 2<sup>64</sup> like the kernel's {@code unsigned long long}
 *     (read it with {@link Long#toUnsignedString(long)} or {@link Long#compareUnsigned})
 * @param start index where parsing started
 * @param end index of the first character not consumed; {@code end == start} means "no digits"
 */
public record ParsedNumber(long value, int start, int end) {

    /** Checks that {@code start <= end}. */
    public ParsedNumber {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad bounds: start " + start + ", end " + end);
        }
    }

    /** Whether anything was consumed; the kernel's callers treat {@code end == start} as "memory value expected". */
    public boolean hasDigits() {
        return end > start;
    }
}
