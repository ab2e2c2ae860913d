package org.kdump4j.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.TruncatedDumpException;

class PhysicalMemoryTest {
    private static final int PAGE = 16;

    /** File bytes: value = offset & 0x7f | 0x80, so every stored byte is non-zero and tells its offset. */
    private static ByteSource file(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i & 0x7f | 0x80);
        }
        return ByteSource.of("test.elf", b);
    }

    private static byte stored(long offset) {
        return (byte) (offset & 0x7f | 0x80);
    }

    @Test
    void readsZerosBetweenFileSizeAndMemorySize() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(256),
                List.of(new MemoryExtent(0x100, 0x20, 0x10, 0x8, "PT_LOAD[0]")), PAGE);
        byte[] got = new byte[0x20];
        m.read(0x100, got, 0, got.length);
        for (int i = 0; i < 0x20; i++) {
            assertEquals(i < 8 ? stored(0x10 + i) : 0, got[i], "byte " + i);
        }
        assertEquals(List.of(new MemoryRange(0x100, 0x20)), m.ranges());
    }

    @Test
    void holesAreErrorsNamingTheFirstMissingAddress() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(256), List.of(
                new MemoryExtent(0x00, 0x10, 0x00, 0x10, "a"), new MemoryExtent(0x40, 0x10, 0x10, 0x10, "b")), PAGE);
        assertTrue(m.isPresent(0x0f));
        assertFalse(m.isPresent(0x10));
        MemoryNotPresentException e = assertThrows(MemoryNotPresentException.class,
                () -> m.read(0x08, new byte[0x10], 0, 0x10));
        assertEquals(0x10, e.address());
        assertTrue(e.getMessage().contains("0x10"), e.getMessage());
        assertThrows(MemoryNotPresentException.class, () -> m.page(2));
        assertFalse(m.isPagePresent(2));
    }

    @Test
    void readsCrossSegmentBoundariesInAddressOrderWhateverTheFileOrder() throws IOException {
        // second half of memory comes first in the file, like the kernel-text PT_LOAD in kexec vmcores
        PhysicalMemory m = PhysicalMemory.ofExtents(file(256), List.of(
                new MemoryExtent(0x20, 0x20, 0x00, 0x20, "high"), new MemoryExtent(0x00, 0x20, 0x40, 0x20, "low")),
                PAGE);
        byte[] got = new byte[0x40];
        m.read(0, got, 0, 0x40);
        for (int i = 0; i < 0x40; i++) {
            long off = i < 0x20 ? 0x40 + i : i - 0x20;
            assertEquals(stored(off), got[i], "byte " + i);
        }
        assertEquals(List.of(new MemoryRange(0, 0x40)), m.ranges(), "adjacent ranges are merged");
    }

    @Test
    void overlapsGoToTheFirstExtentAndStoredBytesBeatZeroFill() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(256), List.of(
                new MemoryExtent(0x00, 0x40, 0x00, 0x10, "zero-tail"), // stores 0..0xf, zero-fills 0x10..0x3f
                new MemoryExtent(0x08, 0x10, 0x80, 0x10, "later"), // overlaps stored 8..f and zero-fill 0x10..0x17
                new MemoryExtent(0x00, 0x08, 0xc0, 0x08, "shadowed")), PAGE);
        byte[] got = new byte[0x40];
        m.read(0, got, 0, 0x40);
        for (int i = 0; i < 0x40; i++) {
            byte expected = i < 0x10 ? stored(i) : i < 0x18 ? stored(0x80 + i - 0x08) : 0;
            assertEquals(expected, got[i], "byte " + i);
        }
    }

    @Test
    void pagesPartlyCoveredArePresentWithMissingBytesZero() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(256), List.of(new MemoryExtent(0x14, 0x08, 0x30, 0x08,
                "partial")), PAGE);
        assertTrue(m.isPagePresent(1));
        assertEquals(1, m.presentPageCount());
        byte[] page = m.page(1).toArray(ValueLayout.JAVA_BYTE);
        for (int i = 0; i < PAGE; i++) {
            assertEquals(i >= 4 && i < 12 ? stored(0x30 + i - 4) : 0, page[i], "byte " + i);
        }
        assertThrows(MemoryNotPresentException.class, () -> m.read(0x10, new byte[PAGE], 0, PAGE),
                "byte-exact reads still refuse the missing bytes");
    }

    @Test
    void forEachPageVisitsEveryPresentPageOnceInAscendingOrder() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(4096), List.of(
                new MemoryExtent(0x100, 0x38, 0x100, 0x38, "a"), // pages 0x10..0x13 (last partial)
                new MemoryExtent(0x138, 0x30, 0x400, 0x30, "b"), // continues in page 0x13, to 0x14, 0x15, 0x16
                new MemoryExtent(0x10, 0x10, 0x0, 0x0, "zeros"), // page 1, zero-fill only
                new MemoryExtent(0x1000, 0x10, 0x10, 0x10, "far")), PAGE);
        List<Long> pfns = new ArrayList<>();
        m.forEachPage((pfn, page) -> {
            assertEquals(PAGE, page.byteSize());
            assertArrayEquals(m.page(pfn).toArray(ValueLayout.JAVA_BYTE), page.toArray(ValueLayout.JAVA_BYTE));
            pfns.add(pfn);
        });
        assertEquals(List.of(1L, 0x10L, 0x11L, 0x12L, 0x13L, 0x14L, 0x15L, 0x16L, 0x100L), pfns);
        assertEquals(pfns.size(), m.presentPageCount());
    }

    @Test
    void fullyZeroFilledPagesShareOneZeroPage() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(16), List.of(new MemoryExtent(0, 4 * PAGE, 0, 0, "bss")),
                PAGE);
        assertSame(m.page(0), m.page(3));
    }

    @Test
    void storedBytesOutsideTheFileAreATruncationNamingTheSegment() {
        TruncatedDumpException e = assertThrows(TruncatedDumpException.class, () -> PhysicalMemory.ofExtents(file(64),
                List.of(new MemoryExtent(0, 0x100, 0x20, 0x100, "PT_LOAD[7]")), PAGE));
        assertTrue(e.getMessage().contains("PT_LOAD[7]"), e.getMessage());
        assertEquals(0x20, e.offset());
    }

    @Test
    void addressesNearTheTopOfTheAddressSpaceWork() throws IOException {
        long top = -PAGE; // 0xffff...fff0: the last page
        PhysicalMemory m = PhysicalMemory.ofExtents(file(64), List.of(new MemoryExtent(top, PAGE, 0, PAGE, "top")),
                PAGE);
        assertTrue(m.isPresent(-1L));
        assertTrue(m.isPagePresent(-1L >>> 4));
        byte[] b = new byte[PAGE];
        m.read(top, b, 0, PAGE);
        assertEquals(stored(15), b[15]);
        List<Long> pfns = new ArrayList<>();
        m.forEachPage((pfn, page) -> pfns.add(pfn));
        assertEquals(List.of(-1L >>> 4), pfns);
    }

    @Test
    void rangesValidateTheirBounds() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryRange(-16, 32));
        assertThrows(IllegalArgumentException.class, () -> new MemoryExtent(0, 8, 0, 16, "x"));
        assertEquals(0x1000, MemoryRange.ofInclusive(0x1000, 0x1fff).size());
        assertThrows(IllegalArgumentException.class, () -> PhysicalMemory.ofExtents(file(1), List.of(), 3000));
    }

    @Test
    void storedPageWalksSkipZeroFillSoHostileSizesCostNothing() throws IOException {
        PhysicalMemory m = PhysicalMemory.ofExtents(file(64), List.of(
                new MemoryExtent(0x08, 1L << 60, 0, 0x10, "huge bss"), // stores 0x08..0x17, zero-fills ~2^60 bytes
                new MemoryExtent(0x30, 0x10, 0x20, 0x10, "inside")), PAGE); // stored bytes beat the zero-fill
        assertEquals((1L << 60) / PAGE + 1, m.presentPageCount());
        List<Long> pfns = new ArrayList<>();
        m.forEachStoredPage((pfn, page) -> pfns.add(pfn));
        // pages 0, 1 hold stored bytes, page 2 is wholly zero-fill (skipped), page 3 holds "inside",
        // then 2^56 - 4 wholly zero-fill pages are skipped, and the partial last page is visited
        assertEquals(List.of(0L, 1L, 3L, 1L << 56), pfns);
        // the stored bytes are all there
        byte[] b = new byte[0x10];
        m.read(0x08, b, 0, 0x10);
        assertEquals(stored(0), b[0]);
        assertEquals(stored(0x0f), b[0x0f]);
    }
}
