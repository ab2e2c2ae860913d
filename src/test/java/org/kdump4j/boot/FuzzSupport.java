package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

/** Shared helpers of the Jazzer fuzz targets: decoding inputs and bounding work without clocks. */
final class FuzzSupport {
    private FuzzSupport() {
    }

    /** The input as the kernel would see it: one character per byte. */
    static String latin1(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /** The input as UTF-8 (any Java characters, including non-Latin-1). */
    static String utf8(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Asserts that a parse of {@code length} characters read at most {@code perChar * (length + 1) + constant} of them. */
    static void assertLinear(CountingChars text, int perChar, int constant) {
        long bound = (long) perChar * (text.length() + 1) + constant;
        assertTrue(text.reads() <= bound, "read " + text.reads() + " characters of a " + text.length()
                + "-character input; the linear bound is " + bound);
    }
}
