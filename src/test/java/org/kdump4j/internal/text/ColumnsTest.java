package org.kdump4j.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Columns} against {@link String#format} for the conversions it replaces. */
class ColumnsTest {
    private static final int WIDTHS = 20;

    /** Extremes, small numbers, powers of two and 16 around them, and random values of every length. */
    private static List<Long> longs() {
        List<Long> v = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -9L, -10L, 99_999L, 100_000L, 999_999L,
                1_000_000L, -99_999L, -100_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1,
                Long.MIN_VALUE + 1, (long) Integer.MAX_VALUE, (long) Integer.MIN_VALUE, 0xffff_ffffL,
                0xffff_ffff_0000_0000L, 0xffff_ffff_a4905f80L));
        for (int bit = 0; bit < 64; bit++) {
            long p = 1L << bit;
            for (long d = -1; d <= 1; d++) {
                v.add(p + d);
                v.add(-(p + d));
            }
        }
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            v.add(p);
            v.add(p - 1);
            v.add(-p);
            v.add(1 - p);
        }
        SplittableRandom r = new SplittableRandom(20261126);
        for (int i = 0; i < 20_000; i++) {
            v.add(r.nextLong() >> r.nextInt(64));
        }
        return v;
    }

    @Test
    void zeroPaddedHexIsPercentZeroNX() {
        for (long x : longs()) {
            for (int w = 1; w <= WIDTHS; w++) {
                assertEquals(String.format(Locale.ROOT, "%0" + w + "x", x),
                        Columns.zeroPaddedHex(new StringBuilder(), x, w).toString(), () -> "0x" + Long.toHexString(x));
            }
            assertEquals(String.format(Locale.ROOT, "%016x", x), Columns.zeroPaddedHex(new StringBuilder(), x, 16)
                    .toString());
        }
    }

    @Test
    void zeroPaddedHexOfACharIsTheJsonEscape() {
        for (int c = 0; c <= 0xffff; c++) {
            assertEquals(String.format("\\u%04x", c), Columns.zeroPaddedHex(new StringBuilder("\\u"), c, 4).toString());
        }
    }

    @Test
    void zeroPaddedDecimalIsPercentZeroND() {
        for (long x : longs()) {
            for (int w = 1; w <= WIDTHS; w++) {
                assertEquals(String.format(Locale.ROOT, "%0" + w + "d", x),
                        Columns.zeroPaddedDecimal(new StringBuilder(), x, w).toString(), () -> Long.toString(x));
            }
        }
        for (int usec = 0; usec < 1_000_000; usec += 7) {
            assertEquals(String.format(Locale.ROOT, "%06d", usec),
                    Columns.zeroPaddedDecimal(new StringBuilder(), usec, 6).toString());
        }
    }

    @Test
    void rightJustifiedNumberIsPercentND() {
        for (long x : longs()) {
            for (int w = 1; w <= WIDTHS; w++) {
                assertEquals(String.format(Locale.ROOT, "%" + w + "d", x),
                        Columns.rightJustified(new StringBuilder(), x, w).toString(), () -> Long.toString(x));
            }
        }
    }

    @Test
    void justifiedStringsArePercentMinusNSAndPercentNS() {
        List<String> strings = new ArrayList<>(List.of("", "#", "Type", "LOAD", "NOTE", "PT_GNU_STACK", "rip",
                "orig_rax", "VMCOREINFO", "NT_PRSTATUS", "12345678", "123456789", "ü", "日本語", "\ud83d\ude00x",
                "\t\n", " x ", "0x1234567890abcdef"));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(45);
            for (int k = 0; k < n; k++) {
                sb.append((char) (r.nextBoolean() ? r.nextInt(0x20, 0x7f) : r.nextInt(0x10000)));
            }
            strings.add(sb.toString());
        }
        for (String s : strings) {
            for (int w = 1; w <= 40; w++) {
                assertEquals(String.format("%-" + w + "s", s), Columns.leftJustified(new StringBuilder(), s, w)
                        .toString());
                assertEquals(String.format("%" + w + "s", s), Columns.rightJustified(new StringBuilder(), s, w)
                        .toString());
            }
        }
    }

    @Test
    void appendsToWhatIsThere() {
        StringBuilder sb = new StringBuilder("0x");
        Columns.zeroPaddedHex(sb, 0x1000, 16).append(' ');
        Columns.leftJustified(sb, "R", 3).append('|');
        Columns.rightJustified(sb, 42, 5);
        assertEquals("0x0000000000001000 R  |   42", sb.toString());
    }
}
