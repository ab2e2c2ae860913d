package org.kdump4j.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link UtcTime} against {@code Instant.ofEpochSecond(t).toString()}. */
class UtcTimeTest {

    private static void check(long t) {
        String expected;
        try {
            expected = Instant.ofEpochSecond(t).toString();
        } catch (DateTimeException e) {
            assertThrows(DateTimeException.class, () -> UtcTime.ofEpochSecond(t), () -> Long.toString(t));
            return;
        }
        assertEquals(expected, UtcTime.ofEpochSecond(t), () -> Long.toString(t));
    }

    @Test
    void examples() {
        assertEquals("1970-01-01T00:00:00Z", UtcTime.ofEpochSecond(0));
        assertEquals("2026-11-26T22:41:07Z", UtcTime.ofEpochSecond(1_795_732_867L));
        assertEquals("1969-12-31T23:59:59Z", UtcTime.ofEpochSecond(-1));
        assertEquals("0000-01-01T00:00:00Z", UtcTime.ofEpochSecond(UtcTime.MIN_FAST));
        assertEquals("9999-12-31T23:59:59Z", UtcTime.ofEpochSecond(UtcTime.MAX_FAST));
        assertEquals("+10000-01-01T00:00:00Z", UtcTime.ofEpochSecond(UtcTime.MAX_FAST + 1));
        assertEquals("-0001-12-31T23:59:59Z", UtcTime.ofEpochSecond(UtcTime.MIN_FAST - 1));
    }

    @Test
    void boundariesAndExtremes() {
        List<Long> v = new ArrayList<>(List.of(0L, 1L, -1L, 59L, 60L, 86_399L, 86_400L, -86_400L, -86_401L,
                Integer.MAX_VALUE + 0L, Integer.MIN_VALUE + 0L, 0xffff_ffffL, Long.MAX_VALUE, Long.MIN_VALUE,
                Instant.MAX.getEpochSecond(), Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1,
                Instant.MIN.getEpochSecond() - 1));
        for (long edge : new long[] {UtcTime.MIN_FAST, UtcTime.MAX_FAST}) {
            for (long d = -100_000; d <= 100_000; d += 997) {
                v.add(edge + d);
            }
            for (long d = -3; d <= 3; d++) {
                v.add(edge + d);
            }
        }
        v.forEach(UtcTimeTest::check);
    }

    @Test
    void everyDayAroundLeapYearsAndCenturies() {
        SplittableRandom r = new SplittableRandom(1);
        for (int year : new int[] {0, 1, 3, 4, 99, 100, 399, 400, 999, 1000, 1599, 1600, 1899, 1900, 1968, 1969, 1970,
                1971, 1972, 1999, 2000, 2023, 2024, 2038, 2099, 2100, 2399, 2400, 9998, 9999}) {
            for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
                long midnight = d.toEpochSecond(java.time.LocalTime.MIDNIGHT, ZoneOffset.UTC);
                check(midnight);
                check(midnight + 86_399);
                check(midnight + r.nextLong(86_400));
            }
        }
    }

    @Test
    void aStrideThroughTheWholeFastRange() {
        for (long t = UtcTime.MIN_FAST; t <= UtcTime.MAX_FAST; t += 631_139) {
            check(t);
        }
    }

    @Test
    void randomValues() {
        SplittableRandom r = new SplittableRandom(20261126);
        for (int i = 0; i < 200_000; i++) {
            check(r.nextLong(UtcTime.MIN_FAST - 1_000_000, UtcTime.MAX_FAST + 1_000_000));
        }
        for (int i = 0; i < 20_000; i++) {
            check(r.nextLong() >> r.nextInt(64));
        }
    }

    @Test
    void instantsWithNanosGoThroughInstant() {
        Instant withNanos = Instant.ofEpochSecond(1_795_732_867L, 123_000_000);
        assertEquals(withNanos.toString(), UtcTime.of(withNanos));
        assertEquals("2026-11-26T22:41:07Z", UtcTime.of(Instant.ofEpochSecond(1_795_732_867L)));
        assertEquals(Instant.MAX.toString(), UtcTime.of(Instant.MAX));
        assertEquals(Instant.MIN.toString(), UtcTime.of(Instant.MIN));
    }
}
