package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.elf.Machine;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/** Kdump files built in memory for every layout, byte order, header version and block size. */
class SyntheticKdumpTest {

    /** Fills a builder with a mix of compressible, random, zero, excluded and hole pages; returns contents. */
    static Map<Long, byte[]> populate(KdumpBuilder b, long seed) {
        Random r = new Random(seed);
        Map<Long, byte[]> contents = new TreeMap<>();
        for (long pfn = 1; pfn < b.maxMapnr - 3; pfn++) {
            int kind = (int) (pfn % 7);
            byte[] page = new byte[b.blockSize];
            switch (kind) {
                case 0 -> {
                    continue; // a hole
                }
                case 1 -> b.excluded(pfn);
                case 2 -> {
                    b.page(pfn, page); // a zero page
                    contents.put(pfn, page);
                }
                case 3 -> {
                    r.nextBytes(page); // incompressible: stored raw
                    b.page(pfn, page);
                    contents.put(pfn, page);
                }
                default -> {
                    for (int i = 0; i < page.length; i += 8) {
                        page[i] = (byte) (pfn + i / 64);
                    }
                    b.page(pfn, page);
                    contents.put(pfn, page);
                }
            }
        }
        return contents;
    }

    static Stream<Arguments> layouts() {
        List<Arguments> out = new ArrayList<>();
        for (KdumpLayout layout : KdumpLayout.values()) {
            for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                for (int version : new int[] {0, 1, 2, 3, 4, 5, 6}) {
                    String machine = switch (layout) {
                        case LP64 -> order == ByteOrder.BIG_ENDIAN ? "s390x" : "x86_64";
                        case ILP32_PACKED -> "i686";
                        case ILP32_ALIGNED -> order == ByteOrder.BIG_ENDIAN ? "ppc" : "armv7l";
                    };
                    out.add(Arguments.of(layout, order, version, machine, 4096));
                }
                out.add(Arguments.of(layout, order, 6, "", 4096)); // unknown machine: probe only
            }
        }
        out.add(Arguments.of(KdumpLayout.LP64, ByteOrder.LITTLE_ENDIAN, 6, "aarch64", 65536));
        out.add(Arguments.of(KdumpLayout.LP64, ByteOrder.BIG_ENDIAN, 6, "ppc64", 65536));
        out.add(Arguments.of(KdumpLayout.LP64, ByteOrder.LITTLE_ENDIAN, 6, "x86_64", 1024));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} v{2} ''{3}'' block {4}")
    @MethodSource("layouts")
    void readsEveryLayoutByteOrderVersionAndBlockSize(KdumpLayout layout, ByteOrder order, int version, String machine,
            int blockSize) throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.layout = layout;
        b.order = order;
        b.version = version;
        b.machine = machine;
        b.blockSize = blockSize;
        b.maxMapnr = blockSize == 65536 ? 20 : 70;
        b.shareZeroPage = version >= 1;
        Map<Long, byte[]> contents = populate(b, version * 31L + blockSize);
        byte[] file = b.build();
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("synthetic", file)))) {
            assertEquals(version, f.headerVersion());
            assertEquals(order, f.byteOrder());
            assertEquals(layout.wordSize(), f.wordSize());
            assertEquals(blockSize, f.blockSize());
            assertEquals(b.maxMapnr, f.maxMapnr());
            if (!machine.isEmpty() || layout == KdumpLayout.LP64) {
                assertEquals(layout, f.layout());
            }
            if (version >= 1) {
                assertEquals(31, f.subHeader().dumpLevel().value());
            }
            if (layout == KdumpLayout.LP64 || !machine.isEmpty() || version < 3) {
                assertEquals(b.physBase, f.subHeader().physBase());
            }
            if (version >= 3) {
                assertEquals(b.vmcoreInfo, new String(f.vmcoreInfo().orElseThrow(), StandardCharsets.US_ASCII));
            } else {
                assertTrue(f.vmcoreInfo().isEmpty());
            }
            assertEquals(version >= 4 ? 1 : 0, f.notes().size());
            KdumpMemory m = f.memory();
            assertEquals(contents.size(), m.presentPageCount());
            byte[] buf = new byte[blockSize];
            for (long pfn = 0; pfn < b.maxMapnr + 2; pfn++) {
                byte[] expected = contents.get(pfn);
                if (expected != null) {
                    assertEquals(PageStatus.PRESENT, f.status(pfn));
                    f.readPage(pfn, buf, 0);
                    assertArrayEquals(expected, buf, "pfn " + pfn);
                    assertEquals(-1, m.page(pfn).mismatch(MemorySegment.ofArray(expected)));
                } else {
                    PageStatus st = f.status(pfn);
                    assertEquals(pfn % 7 == 1 && pfn < b.maxMapnr - 3 ? PageStatus.EXCLUDED : PageStatus.OUTSIDE, st,
                            "pfn " + pfn);
                    assertFalse(m.isPagePresent(pfn));
                }
            }
            // forEachPage visits exactly the present pages, in order, with their bytes
            List<Long> seen = new ArrayList<>();
            m.forEachPage((pfn, page) -> {
                assertEquals(-1, page.mismatch(MemorySegment.ofArray(contents.get(pfn))));
                seen.add(pfn);
            });
            assertEquals(new ArrayList<>(contents.keySet()), seen);
            // a read across page boundaries
            long first = contents.keySet().stream().filter(p -> contents.containsKey(p + 1)).findFirst().orElseThrow();
            byte[] two = new byte[blockSize];
            m.read(first * blockSize + blockSize / 2, two, 0, blockSize);
            assertArrayEquals(java.util.Arrays.copyOfRange(contents.get(first), blockSize / 2, blockSize),
                    java.util.Arrays.copyOfRange(two, 0, blockSize / 2));
            assertArrayEquals(java.util.Arrays.copyOfRange(contents.get(first + 1), 0, blockSize / 2),
                    java.util.Arrays.copyOfRange(two, blockSize / 2, blockSize));
        }
    }

    @Test
    void machineNameContradictingTheOnlySaneLayoutIsRejected() {
        KdumpBuilder b = new KdumpBuilder();
        b.layout = KdumpLayout.ILP32_PACKED;
        b.machine = "x86_64";
        populate(b, 1);
        DumpFormatException e = assertThrows(DumpFormatException.class,
                () -> KdumpFile.openSources(List.of(ByteSource.of("liar", b.build()))));
        assertTrue(e.getMessage().contains("64-bit"), e::getMessage);
    }

    @Test
    void unknownThirtyTwoBitMachineChoosesTheSubHeaderLayoutByVmcoreinfoPlacement() throws IOException {
        for (KdumpLayout layout : new KdumpLayout[] {KdumpLayout.ILP32_PACKED, KdumpLayout.ILP32_ALIGNED}) {
            KdumpBuilder b = new KdumpBuilder();
            b.layout = layout;
            b.machine = "mystery32";
            populate(b, 2);
            try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("m", b.build())))) {
                assertEquals(4, f.wordSize());
                assertEquals(layout, f.layout());
                assertEquals(new Machine(0), f.machine());
            }
        }
    }

    @Test
    void incompleteDumpReportsLostPagesAndReadsTheRest() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.status |= KdumpHeader.STATUS_INCOMPLETE;
        Map<Long, byte[]> contents = populate(b, 3);
        b.zeroDescriptorsFrom = contents.size() - 10;
        List<Long> pfns = new ArrayList<>(contents.keySet());
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("incomplete", b.build())))) {
            assertTrue(f.header().isIncomplete());
            assertTrue(f.isIncomplete());
            KdumpStatistics st = f.statistics();
            assertEquals(10, st.count(PageStatus.LOST));
            assertEquals(contents.size() - 10, st.count(PageStatus.PRESENT));
            long lost = pfns.get(pfns.size() - 1);
            assertEquals(PageStatus.LOST, f.status(lost));
            assertFalse(f.memory().isPagePresent(lost));
            MemoryNotPresentException e = assertThrows(MemoryNotPresentException.class, () -> f.memory().page(lost));
            assertEquals(PageStatus.LOST, PageUnavailableException.statusOf(e).orElseThrow());
            assertTrue(e.getMessage().contains("lost in an incomplete dump"), e::getMessage);
            KdumpMemory filled = f.memory().withZeroFill(Set.of(PageStatus.LOST));
            assertTrue(filled.isPagePresent(lost));
            assertEquals(-1, filled.page(lost).mismatch(MemorySegment.ofArray(new byte[4096])));
            byte[] buf = new byte[4096];
            f.readPage(pfns.getFirst(), buf, 0);
            assertArrayEquals(contents.get(pfns.getFirst()), buf);
        }
    }

    @Test
    void truncatedFileLosesOnlyTheMissingTail() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        Map<Long, byte[]> contents = populate(b, 4);
        byte[] full = b.build();
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 6000);
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("cut", cut)))) {
            assertFalse(f.header().isIncomplete());
            assertTrue(f.isIncomplete());
            long lost = f.statistics().count(PageStatus.LOST);
            assertTrue(lost >= 1 && lost < contents.size(), "lost " + lost);
            assertEquals(contents.size() - lost, f.memory().presentPageCount());
            f.memory().forEachPage((pfn, page) -> assertEquals(-1, page.mismatch(MemorySegment.ofArray(contents.get(pfn)))));
        }
    }

    /**
     * A dump not marked incomplete whose last page is whole but one descriptor in the middle points past the
     * end of the file, or was never written (found by {@code KdumpFileFuzz}): the lost-page scan does not run
     * for it, so the page is in the present ranges, and it must then be a corrupt page (its read fails with
     * that status, zero-fill covers it), not a "lost" page that the walk over present pages trips on.
     */
    @Test
    void aMiddleDescriptorPastTheEndOfACompleteDumpIsACorruptPage() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        Map<Long, byte[]> contents = populate(b, 3);
        List<Long> dumpable = new ArrayList<>(contents.keySet());
        byte[] file = b.build();
        java.nio.ByteBuffer f = java.nio.ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long pastEnd = dumpable.get(3);
        long unwritten = dumpable.get(6);
        f.putLong((int) (b.tableOffset() + 24L * 3), file.length + 4096L);
        f.putLong((int) (b.tableOffset() + 24L * 6), 0);
        try (KdumpFile k = KdumpFile.openSources(List.of(ByteSource.of("past-end", file)))) {
            assertFalse(k.isIncomplete());
            for (long pfn : new long[] {pastEnd, unwritten}) {
                assertEquals(PageStatus.CORRUPT, k.status(pfn));
                assertTrue(k.memory().isPagePresent(pfn));
                PageUnavailableException e = assertThrows(PageUnavailableException.class, () -> k.memory().page(pfn));
                assertEquals(PageStatus.CORRUPT, e.status());
                assertTrue(e.getMessage().contains("not marked incomplete"), e::getMessage);
            }
            PageUnavailableException walk = assertThrows(PageUnavailableException.class,
                    () -> k.memory().forEachPage((pfn, page) -> { }));
            assertEquals(pastEnd, walk.pfn());
            assertEquals(2, k.statistics().count(PageStatus.CORRUPT));
            assertEquals(0, k.statistics().count(PageStatus.LOST));
            long[] zeros = {0};
            k.memory().withZeroFill(Set.of(PageStatus.CORRUPT)).forEachPage((pfn, page) -> {
                if (pfn == pastEnd || pfn == unwritten) {
                    assertEquals(-1, page.mismatch(MemorySegment.ofArray(new byte[4096])));
                    zeros[0]++;
                } else {
                    assertEquals(-1, page.mismatch(MemorySegment.ofArray(contents.get(pfn))));
                }
            });
            assertEquals(2, zeros[0]);
        }
    }

    @Test
    void corruptDescriptorsAndUndecodableDataAreCorruptPages() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        Map<Long, byte[]> contents = populate(b, 5);
        List<Long> pfns = new ArrayList<>(contents.keySet());
        long badFlags = pfns.get(3);
        long badSize = pfns.get(4);
        long garbage = pfns.stream().filter(p -> p % 7 >= 4).findFirst().orElseThrow();
        b.badDescriptor(badFlags, 100, 0x03);
        b.badDescriptor(badSize, 8192, 0x01);
        byte[] page = new byte[4096];
        java.util.Arrays.fill(page, (byte) 7);
        b.page(garbage, page, Compression.ZLIB, new byte[] {1, 2, 3, 4, 5});
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("bad", b.build())))) {
            assertEquals(PageStatus.CORRUPT, f.status(badFlags));
            assertEquals(PageStatus.CORRUPT, f.status(badSize));
            assertEquals(PageStatus.PRESENT, f.status(garbage), "data is not decoded by status()");
            PageUnavailableException e = assertThrows(PageUnavailableException.class, () -> f.memory().page(garbage));
            assertEquals(PageStatus.CORRUPT, e.status());
            assertTrue(e.getCause() instanceof DecompressionException);
            assertThrows(PageUnavailableException.class, () -> f.memory().page(badFlags));
            assertEquals(2, f.statistics().count(PageStatus.CORRUPT));
            KdumpMemory lenient = f.memory().withZeroFill(Set.of(PageStatus.CORRUPT));
            assertEquals(-1, lenient.page(garbage).mismatch(MemorySegment.ofArray(new byte[4096])));
        }
    }

    @Test
    void everyCodecInsideAKdumpFileWithStreamsFromTheReferenceTools() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.maxMapnr = 16;
        Map<Long, byte[]> contents = new TreeMap<>();
        String[][] pages = {{"page-text", "zlib9"}, {"page-mixed", "lzo1"}, {"page-text", "snappy"},
            {"page-mixed", "zst19"}, {"page-text", "zst3-nocheck"}, {"page-mixed", "lzo9"}, {"page-text", "zst1"}};
        long pfn = 2;
        for (String[] p : pages) {
            byte[] original = CodecTest.resource(p[0] + ".bin.gz");
            b.page(pfn, original, CodecTest.codecOf(p[1]), CodecTest.resource(p[0] + "." + p[1]));
            contents.put(pfn++, original);
        }
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("codecs", b.build())))) {
            f.memory().forEachPage((n, page) -> assertEquals(-1, page.mismatch(MemorySegment.ofArray(contents.get(n)))));
            Map<Compression, Long> codecs = f.statistics().byCompression();
            assertEquals(1L, codecs.get(Compression.ZLIB));
            assertEquals(2L, codecs.get(Compression.LZO));
            assertEquals(1L, codecs.get(Compression.SNAPPY));
            assertEquals(3L, codecs.get(Compression.ZSTD));
        }
    }

    @Test
    void flattenedFileWithSmallRecordsAndARewrittenHeaderReadsLikeThePlainFile() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        populate(b, 6);
        byte[] plain = b.build();
        b.dumpLevel = 17; // the later record carries another sub-header: it must win
        byte[] rewritten = java.util.Arrays.copyOf(b.build(), 2 * b.blockSize);
        byte[] flat = KdumpBuilder.flatten(plain, 1000, rewritten, true);
        try (KdumpFile p = KdumpFile.openSources(List.of(ByteSource.of("plain", plain)));
                KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("flat", flat)))) {
            assertTrue(f.isFlattened());
            assertFalse(f.isIncomplete());
            assertEquals(17, f.subHeader().dumpLevel().value());
            assertEquals(MemoryDigest.of(p.memory()), MemoryDigest.of(f.memory()));
            assertEquals(p.memory().ranges(), f.memory().ranges());
        }
        byte[] noEnd = KdumpBuilder.flatten(plain, 1000, null, false);
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("noend", noEnd)))) {
            assertFalse(f.isIncomplete(), "every record is there, only the end marker is missing");
        }
        byte[] cut = java.util.Arrays.copyOf(noEnd, noEnd.length - 3000);
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("cut", cut)))) {
            assertTrue(f.isIncomplete());
            assertTrue(f.statistics().count(PageStatus.LOST) > 0);
        }
    }

    @Test
    void flattenedFileOpensThroughVmcoreAndReassemblesToThePlainFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        populate(b, 7);
        byte[] plain = b.build();
        byte[] flat = KdumpBuilder.flatten(plain, 777, null, true);
        java.nio.file.Path in = dir.resolve("dump.flat");
        java.nio.file.Files.write(in, flat);
        try (Vmcore v = Vmcore.open(in)) {
            assertEquals(DumpFormat.FLATTENED, v.format());
            assertEquals(4096, v.pageSize());
        }
        java.nio.file.Path out = dir.resolve("dump.kdump");
        Flattened.Result r = Flattened.reassemble(in, out);
        assertTrue(r.endMarker());
        byte[] re = java.nio.file.Files.readAllBytes(out);
        assertArrayEquals(plain, java.util.Arrays.copyOf(re, plain.length));
        try (Vmcore v = Vmcore.open(out, VmcoreOptions.defaults())) {
            assertEquals(DumpFormat.KDUMP_COMPRESSED, v.format());
        }
    }

    @Test
    void splitPartsBuiltLikeMakedumpfileOpenAsOne() throws IOException {
        KdumpBuilder whole = new KdumpBuilder();
        Map<Long, byte[]> contents = populate(whole, 8);
        byte[] one = whole.build();
        List<ByteSource> parts = new ArrayList<>();
        long[] bounds = {0, 20, 45, whole.maxMapnr};
        for (int i = 0; i < 3; i++) {
            KdumpBuilder p = new KdumpBuilder();
            populate(p, 8);
            p.splitStart = bounds[i];
            p.splitEnd = bounds[i + 1];
            parts.add(ByteSource.of("part" + i, p.build()));
        }
        java.util.Collections.reverse(parts); // order of the arguments does not matter
        try (KdumpFile f = KdumpFile.openSources(parts); KdumpFile w = KdumpFile.openSources(List.of(
                ByteSource.of("whole", one)))) {
            assertTrue(f.isSplit());
            assertFalse(f.isIncomplete());
            assertEquals(List.of("part0", "part1", "part2"), f.partNames());
            assertEquals(MemoryDigest.of(w.memory()), MemoryDigest.of(f.memory()));
            assertEquals(contents.size(), f.memory().presentPageCount());
        }
        KdumpBuilder other = new KdumpBuilder();
        populate(other, 8);
        other.splitStart = 20;
        other.splitEnd = whole.maxMapnr;
        other.release = "another-kernel";
        KdumpBuilder first = new KdumpBuilder();
        populate(first, 8);
        first.splitStart = 0;
        first.splitEnd = 20;
        assertThrows(DumpFormatException.class, () -> KdumpFile.openSources(List.of(
                ByteSource.of("a", first.build()), ByteSource.of("b", other.build()))));
    }

    @Test
    void memoryRangesAreTheRunsOfPresentPages() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.maxMapnr = 32;
        byte[] p = new byte[4096];
        p[0] = 1;
        for (long pfn : new long[] {3, 4, 5, 9, 31}) {
            b.page(pfn, p);
        }
        b.excluded(6);
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("ranges", b.build())))) {
            assertEquals(List.of(new MemoryRange(3 * 4096, 3 * 4096), new MemoryRange(9 * 4096, 4096),
                    new MemoryRange(31 * 4096, 4096)), f.memory().ranges());
            assertEquals(List.of(new MemoryRange(3 * 4096, 4 * 4096), new MemoryRange(9 * 4096, 4096),
                    new MemoryRange(31 * 4096, 4096)), f.memory().withZeroFill(Set.of(PageStatus.EXCLUDED)).ranges());
            assertTrue(f.memory().isPresent(5 * 4096 + 4095));
            assertFalse(f.memory().isPresent(6 * 4096));
        }
    }

    @Test
    void headerGarbageIsATypedError() {
        byte[] junk = new byte[8192];
        System.arraycopy("KDUMP   ".getBytes(StandardCharsets.US_ASCII), 0, junk, 0, 8);
        assertThrows(DumpFormatException.class, () -> KdumpFile.openSources(List.of(ByteSource.of("junk", junk))));
        assertThrows(DumpFormatException.class, () -> KdumpFile.openSources(List.of(ByteSource.of("short",
                java.util.Arrays.copyOf(junk, 100)))));
        KdumpBuilder b = new KdumpBuilder();
        populate(b, 12);
        byte[] cutInBitmaps = java.util.Arrays.copyOf(b.build(), (int) b.tableOffset() - 100);
        org.kdump4j.io.TruncatedDumpException t = assertThrows(org.kdump4j.io.TruncatedDumpException.class,
                () -> KdumpFile.openSources(List.of(ByteSource.of("cut", cutInBitmaps))));
        assertTrue(t.getMessage().contains("bitmaps"), t::getMessage);
        byte[] flatJunk = KdumpBuilder.flatten(new byte[0], 10, null, true);
        assertThrows(DumpFormatException.class, () -> KdumpFile.openSources(List.of(ByteSource.of("flat", flatJunk))));
    }
}
