package org.kdump4j.internal.text;

import java.time.Instant;

/**
 * Seconds since the epoch as {@link Instant#toString()} prints them ({@code 2026-11-26T22:41:05Z}), without
 * loading {@link java.time.format.DateTimeFormatter} and the calendar and locale classes behind it. Years
 * 0000 to 9999 are formatted here; other values (a sign and more digits, or out of {@link Instant}'s
 * range) and instants with a fraction of a second go through {@link Instant#toString()}.
 */
public final class UtcTime {
    /** {@code 0000-01-01T00:00:00Z}. */
    static final long MIN_FAST = -62_167_219_200L;
    /** {@code 9999-12-31T23:59:59Z}. */
    static final long MAX_FAST = 253_402_300_799L;
    private static final long SECONDS_PER_DAY = 86_400;
    /** Days from 0000-03-01 to 1970-01-01 (the computation counts years from March). */
    private static final long DAYS_0000_03_01_TO_EPOCH = 719_468;
    private static final long DAYS_PER_400_YEARS = 146_097;

    private UtcTime() {
    }

    /**
     * {@code Instant.ofEpochSecond(epochSecond).toString()}, including its {@link java.time.DateTimeException}
     * for values outside {@link Instant#MIN} to {@link Instant#MAX}.
     */
    public static String ofEpochSecond(long epochSecond) {
        if (epochSecond < MIN_FAST || epochSecond > MAX_FAST) {
            return Instant.ofEpochSecond(epochSecond).toString();
        }
        long days = Math.floorDiv(epochSecond, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        // the proleptic Gregorian date of a day number, with years starting on 1 March so that the leap
        // day is the last day of a year (January and February of year 0 belong to era -1)
        long shifted = days + DAYS_0000_03_01_TO_EPOCH;
        long era = Math.floorDiv(shifted, DAYS_PER_400_YEARS);
        int dayOfEra = (int) (shifted - era * DAYS_PER_400_YEARS); // 0..146096
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365; // 0..399
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // 0..365, from 1 March
        int monthFromMarch = (5 * dayOfYear + 2) / 153; // 0..11
        int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        long year = era * 400 + yearOfEra + (month <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(20);
        Columns.zeroPaddedDecimal(sb, year, 4).append('-');
        two(sb, month).append('-');
        two(sb, day).append('T');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        return two(sb, secondOfDay % 60).append('Z').toString();
    }

    /** {@code instant.toString()}: formatted here when it is a whole second in years 0000 to 9999. */
    public static String of(Instant instant) {
        if (instant.getNano() != 0) {
            return instant.toString();
        }
        return ofEpochSecond(instant.getEpochSecond());
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
