package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** memparse() (lib/cmdline.c) and simple_strtoull's base detection, rule by rule. */
class MemorySizeTest {

    @ParameterizedTest(name = "memparse(\"{0}\") = {1}, stops at {2}")
    @DisplayName("memparse: base auto-detection, suffixes, and where parsing stops")
    @CsvSource(delimiter = '|', value = {
        "256M|268435456|4",
        "256m|268435456|4",
        "0x10000000|268435456|10",
        "0X1f|31|4",
        "0xABCdef|11259375|8",
        // "0x" not followed by a hex digit: octal 0, stops at x
        "0x|0|1",
        "0xg|0|1",
        "0x K|0|1",
        // leading 0 = octal
        "0100M|67108864|5",
        "017|15|3",
        "08M|0|1",
        "09|0|1",
        "00x10|0|2",
        "0k|0|2",
        "0x10k|16384|5",
        // every suffix, both cases
        "1k|1024|2",
        "1K|1024|2",
        "1M|1048576|2",
        "1g|1073741824|2",
        "1T|1099511627776|2",
        "1p|1125899906842624|2",
        "1E|1152921504606846976|2",
        // one suffix only, no B
        "1KB|1024|2",
        "1MiB|1048576|2",
        "12B|12|2",
        // decimal digits only in base 10
        "12ab|12|2",
        // no sign, no white space skipping
        "-1G|0|0",
        "+1G|0|0",
        "G|0|0",
        "''|0|0",
    })
    void memparseFollowsTheKernel(String text, String value, int end) {
        ParsedNumber n = MemorySize.memparse(text, 0);
        assertEquals(Long.parseUnsignedLong(value), n.value());
        assertEquals(end, n.end());
    }

    @Test
    @DisplayName("memparse: the suffix shift wraps silently (16E = 0, 17E = 1E)")
    void suffixShiftWraps() {
        assertEquals(0, MemorySize.memparse("16E", 0).value());
        assertEquals(1L << 60, MemorySize.memparse("17E", 0).value());
        assertEquals(0, MemorySize.memparse("0x400000000000T", 0).value());
    }

    @Test
    @DisplayName("simple_strtoull: accumulation overflow is not detected, the value wraps mod 2^64")
    void accumulationWraps() {
        assertEquals(-1L, MemorySize.memparse("18446744073709551615", 0).value());
        assertEquals(0, MemorySize.memparse("18446744073709551616", 0).value());
        assertEquals(1, MemorySize.memparse("18446744073709551617", 0).value());
        assertEquals(0x2345L, MemorySize.memparse("0x100000000000000002345", 0).value());
        assertEquals(23, MemorySize.memparse("0x100000000000000002345", 0).end());
    }

    @Test
    @DisplayName("memparse: no white space skipping, a leading tab or newline means no digits")
    void leadingTabIsNotSkipped() {
        assertFalse(MemorySize.memparse("\t1G", 0).hasDigits());
        assertFalse(MemorySize.memparse(" 1G", 0).hasDigits());
        assertFalse(MemorySize.memparse("\n1G", 0).hasDigits());
    }

    @Test
    @DisplayName("memparse: non-ASCII digits and letters are not digits or suffixes")
    void nonAsciiIsNotADigit() {
        assertFalse(MemorySize.memparse("\u0661", 0).hasDigits());
        assertEquals(1, MemorySize.memparse("1\uFF2B", 0).end());
        assertEquals(1, MemorySize.memparse("1\u212A", 0).end());
    }

    @Test
    @DisplayName("memparse: starts at the given index and reads the end of text as NUL")
    void startsAtOffset() {
        ParsedNumber n = MemorySize.memparse("x=64K", 2);
        assertEquals(64 * 1024, n.value());
        assertEquals(2, n.start());
        assertEquals(5, n.end());
        assertFalse(MemorySize.memparse("x=", 2).hasDigits());
        assertThrows(IllegalArgumentException.class, () -> MemorySize.memparse("x", 2));
    }

    @ParameterizedTest(name = "format({0}) = {1}")
    @DisplayName("format: the shortest memparse text of a value, largest exact suffix")
    @CsvSource({
        "0,0",
        "1,1",
        "1000,1000",
        "1024,1K",
        "268435456,256M",
        "1610612736,1536M",
        "1073741824,1G",
        "9223372036854775808,8E",
        "18446744073709551615,18446744073709551615",
    })
    void formatIsShortestExact(String value, String text) {
        long v = Long.parseUnsignedLong(value);
        assertEquals(text, MemorySize.format(v));
        assertEquals(v, MemorySize.memparse(text, 0).value());
    }

    @Test
    @DisplayName("parse: a whole option value must be consumed, with the error position")
    void strictParse() throws Exception {
        assertEquals(8L << 30, MemorySize.parse("8G"));
        BootParseException e = assertThrows(BootParseException.class, () -> MemorySize.parse("8GB"));
        assertEquals(2, e.position());
        assertEquals("\"8GB\": unrecognized character 'B' at position 3", e.getMessage());
        assertEquals(0, assertThrows(BootParseException.class, () -> MemorySize.parse("")).position());
    }

    @Test
    @DisplayName("human: exact binary units, or an approximation with the byte count")
    void humanReadable() {
        assertEquals("256 MiB", MemorySize.human(256L << 20));
        assertEquals("0 bytes", MemorySize.human(0));
        assertEquals("1000 bytes", MemorySize.human(1000));
        assertEquals("~511.5 MiB (536316928 bytes)", MemorySize.human(536316928L));
        assertEquals("~16.0 EiB (18446744073709551615 bytes)", MemorySize.human(-1L));
    }

    @Test
    void describeNamesEveryCharacterAsStringFormatDid() {
        for (int c = 0; c <= 0xffff; c++) {
            char ch = (char) c;
            String expected = ch == '\0' ? "end of text" : ch > 0x20 && ch < 0x7f ? "'" + ch + "'"
                    : ch == ' ' ? "space" : String.format("U+%04X", c);
            assertEquals(expected, MemorySize.describe(ch));
        }
    }
}
