package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * memparse on arbitrary text: never fails, ends inside the text, reads a bounded number of
 * characters, and format() re-reads to the same value.
 */
class MemorySizeFuzz {

    @FuzzTest
    void memparseIsTotalLinearAndFormatRoundTrips(byte[] data) {
        for (String text : new String[] {FuzzSupport.latin1(data), FuzzSupport.utf8(data)}) {
            for (int from = 0; from <= Math.min(text.length(), 3); from++) {
                CountingChars counted = new CountingChars(text);
                ParsedNumber n = MemorySize.memparse(counted, from);
                assertTrue(n.end() >= from && n.end() <= text.length());
                // one look at each consumed character plus the lookahead for "0x<hex>" and the stop character
                assertTrue(counted.reads() <= 2L * (n.end() - from) + 4, "reads " + counted.reads());
                String canonical = MemorySize.format(n.value());
                ParsedNumber again = MemorySize.memparse(canonical, 0);
                assertEquals(n.value(), again.value(), canonical);
                assertEquals(canonical.length(), again.end(), canonical);
                MemorySize.human(n.value());
            }
            try {
                long v = MemorySize.parse(text);
                assertEquals(v, MemorySize.memparse(text, 0).value());
            } catch (BootParseException e) {
                assertTrue(e.position() <= text.length());
            }
        }
    }
}
