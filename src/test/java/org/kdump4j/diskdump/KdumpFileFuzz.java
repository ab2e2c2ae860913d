package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.MemoryRange;

/**
 * Fuzzes the kdump header probe, sub-header, bitmap and descriptor parsers and the flattened-format
 * index, and for inputs that open, every page: a malformed file is a {@link DumpFormatException} naming
 * the source; a page that cannot be read is a {@link PageUnavailableException} or
 * {@link MemoryNotPresentException} with its status; anything else is a finding. Seeds in
 * {@code KdumpFileFuzzInputs/fuzz}: synthetic files of several layouts, a flattened one, and the heads of
 * real makedumpfile and QEMU outputs.
 */
class KdumpFileFuzz {
    static final String NAME = "fuzz.kdump";

    static {
        ParallelPageWalk.skipWarmUp(); // fuzz inputs are small: compare real multi-thread walks
    }

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        KdumpFile f;
        try {
            f = KdumpFile.openSources(List.of(ByteSource.of(NAME, data)), 8);
        } catch (DumpFormatException e) {
            assertEquals(NAME, e.source());
            assertTrue(e.getMessage().startsWith(NAME + ": "), e::getMessage);
            return;
        }
        try (f) {
            KdumpStatistics st = f.statistics();
            long sum = st.byStatus().values().stream().mapToLong(Long::longValue).sum();
            assertEquals(f.maxMapnr(), sum, "every page frame has exactly one status");
            KdumpMemory m = f.memory();
            long inRanges = m.ranges().stream().mapToLong(MemoryRange::size).sum() / f.blockSize();
            assertEquals(m.presentPageCount(), inRanges);
            long[] visited = {0};
            try {
                m.forEachPage((pfn, page) -> {
                    assertEquals(f.blockSize(), page.byteSize());
                    assertTrue(m.isPagePresent(pfn));
                    visited[0]++;
                });
                assertEquals(m.presentPageCount(), visited[0]);
            } catch (PageUnavailableException e) {
                assertEquals(PageStatus.CORRUPT, e.status(), e::getMessage);
            }
            for (long pfn : new long[] {0, 1, f.maxMapnr() - 1, f.maxMapnr(), -1}) {
                PageStatus s = f.status(pfn);
                try {
                    m.page(pfn);
                    assertNotEquals(PageStatus.OUTSIDE, s);
                } catch (MemoryNotPresentException e) {
                    assertTrue(PageUnavailableException.statusOf(e).isPresent(), e::getMessage);
                } catch (PageUnavailableException e) {
                    assertEquals(PageStatus.CORRUPT, e.status());
                }
            }
            KdumpMemory filled = m.withZeroFill(Set.of(PageStatus.EXCLUDED, PageStatus.LOST, PageStatus.CORRUPT));
            assertTrue(filled.presentPageCount() >= m.presentPageCount());
            filled.forEachPage((pfn, page) -> assertEquals(f.blockSize(), page.byteSize()));
            // decoding on three threads shows the visitor the same pages, bytes and first error
            assertEquals(walk(m), walk(m.withDecodeThreads(3)));
            assertEquals(walk(filled), walk(filled.withDecodeThreads(3)));
        }
    }

    /** A walk's pages (frame number and bytes, hashed in order), how many, and its error's class and message. */
    private static String walk(KdumpMemory m) {
        long[] h = {0, 0};
        String end = "ok";
        try {
            m.forEachPage((pfn, page) -> {
                h[0] = h[0] * 31 + pfn;
                h[0] = h[0] * 31 + java.util.Arrays.hashCode(page.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                h[1]++;
            });
        } catch (java.io.IOException | RuntimeException e) {
            end = e.getClass().getName() + ": " + e.getMessage();
        }
        return h[1] + " pages, hash " + h[0] + ", " + end;
    }
}
