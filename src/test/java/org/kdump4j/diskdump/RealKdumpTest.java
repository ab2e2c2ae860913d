package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kdump4j.elf.Machine;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;

/**
 * The committed makedumpfile and QEMU kdump outputs of {@code testdata/vmcores/}, checked against the
 * ELF dumps made from the same memory. The flattened and split forms of the makedumpfile dump are derived
 * from the committed {@code -l} file exactly as makedumpfile lays them out ({@link Derived}); QEMU's
 * flattened file is real.
 */
class RealKdumpTest {
    private static final String C = "x86_64-6.1-kexec-c";
    private static final String ELF_D31 = C + ".d31.elf";
    private static final String VMCORE = C + ".vmcore";
    /** makedumpfile's PFN_EXCLUDED: -E writes shorter runs of excluded pages with their contents. */
    private static final int PFN_EXCLUDED = 256;

    private static KdumpMemory kdump(Vmcore v) {
        assertTrue(v.memory() instanceof KdumpMemory, () -> v.memory().getClass().getName());
        return (KdumpMemory) v.memory();
    }

    private static KdumpFile openSplit() throws IOException {
        return KdumpFile.open(Derived.split(C + ".d31.kdump-lzo", 3));
    }

    private static Path dump(String suffix) throws IOException {
        return suffix.equals(".d31.flat") ? Derived.flattened(C + ".d31.kdump-lzo") : TestData.dump(C + suffix);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".d31.kdump-zlib", ".d31.kdump-lzo", ".d31.kdump-zstd", ".d31.flat"})
    void everyD31VariantHasTheDigestOfTheSplitSet(String suffix) throws IOException {
        MemoryDigest split;
        try (KdumpFile f = openSplit()) {
            split = MemoryDigest.of(f.memory());
            assertTrue(f.isSplit());
            assertFalse(f.isIncomplete());
            assertEquals(3, f.partNames().size());
        }
        try (Vmcore v = Vmcore.open(dump(suffix))) {
            assertEquals(suffix.endsWith("flat") ? DumpFormat.FLATTENED : DumpFormat.KDUMP_COMPRESSED, v.format());
            assertEquals(split, MemoryDigest.of(v.memory()), suffix);
            assertTrue(split.pages() > 1000, split::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {".d31.kdump-zlib", ".d31.kdump-lzo", ".d31.kdump-zstd", ".d31.flat"})
    void everyPresentPageEqualsTheOriginalVmcoreAndTheD31Elf(String suffix) throws IOException {
        try (Vmcore k = Vmcore.open(dump(suffix)); Vmcore elf = Vmcore.open(TestData.dump(ELF_D31));
                Vmcore full = Vmcore.open(TestData.dump(VMCORE))) {
            long[] pages = {0};
            k.memory().forEachPage((pfn, page) -> {
                assertEquals(-1, elf.memory().page(pfn).mismatch(page), () -> suffix + " pfn 0x" + Long.toHexString(pfn));
                assertEquals(-1, full.memory().page(pfn).mismatch(page), () -> suffix + " pfn 0x" + Long.toHexString(pfn));
                pages[0]++;
            });
            assertEquals(k.memory().presentPageCount(), pages[0]);
            KdumpStatistics st = kdump(k).file().statistics();
            assertEquals(st.dumpablePages(), st.count(PageStatus.PRESENT));
            assertEquals(pages[0], st.count(PageStatus.PRESENT));
            assertEquals(0, st.count(PageStatus.LOST) + st.count(PageStatus.CORRUPT));
        }
    }

    /**
     * Why the {@code -d 31} ELF's digest is not the kdump files' digest: makedumpfile {@code -E} ends a
     * segment only at a run of at least 256 excluded pages and writes shorter runs out with their real
     * contents. Every non-zero ELF page the kdump file lacks is such a page; without them, the digests agree.
     */
    @Test
    void d31ElfDiffersOnlyByShortExcludedRunsThatMakedumpfileWritesVerbatim() throws Exception {
        try (Vmcore k = Vmcore.open(TestData.dump(C + ".d31.kdump-zlib"));
                Vmcore elf = Vmcore.open(TestData.dump(ELF_D31)); Vmcore full = Vmcore.open(TestData.dump(VMCORE))) {
            KdumpMemory km = kdump(k);
            MemorySegment zero = MemorySegment.ofArray(new byte[4096]);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer pfnBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            long[] counts = {0, 0};
            List<Long> extra = new ArrayList<>();
            elf.memory().forEachPage((pfn, page) -> {
                if (page.mismatch(zero) == -1) {
                    return;
                }
                if (km.status(pfn) == PageStatus.PRESENT) {
                    md.update(pfnBytes.clear().putLong(pfn).flip());
                    md.update(page.asByteBuffer());
                    counts[0]++;
                } else {
                    assertEquals(PageStatus.EXCLUDED, km.status(pfn), () -> "pfn 0x" + Long.toHexString(pfn));
                    assertEquals(-1, full.memory().page(pfn).mismatch(page), "written verbatim from the vmcore");
                    extra.add(pfn);
                }
            });
            assertFalse(extra.isEmpty(), "this dump has a short excluded run with data (if not, digests match)");
            for (long pfn : extra) {
                long s = pfn;
                long e = pfn + 1;
                while (km.status(s - 1) == PageStatus.EXCLUDED) {
                    s--;
                }
                while (km.status(e) == PageStatus.EXCLUDED) {
                    e++;
                }
                assertTrue(e - s < PFN_EXCLUDED, "excluded run [0x" + Long.toHexString(s) + ", 0x" + Long.toHexString(e)
                        + ") is shorter than 256 pages");
            }
            MemoryDigest kd = MemoryDigest.of(km);
            assertEquals(kd.pages(), counts[0]);
            assertEquals(kd.hex(), HexFormat.of().formatHex(md.digest()));
            assertNotEquals(kd, MemoryDigest.of(elf.memory()));
        }
    }

    @Test
    void qemuFlattenedZlibDumpHasTheDigestOfQemusElfDump() throws IOException {
        try (Vmcore k = Vmcore.open(TestData.dump("x86_64-6.1-qemu.kdump-zlib.flat"));
                Vmcore elf = Vmcore.open(TestData.dump("x86_64-6.1-qemu.elf"))) {
            assertEquals(DumpFormat.FLATTENED, k.format());
            KdumpFile f = kdump(k).file();
            assertTrue(f.isFlattened());
            assertEquals(6, f.headerVersion());
            assertEquals(1, f.subHeader().dumpLevel().value());
            assertEquals("x86_64", f.header().utsname().machine());
            assertEquals("", f.header().utsname().release(), "QEMU fills only utsname.machine");
            assertEquals(List.of(Compression.ZLIB), f.header().requestedCompressions());
            assertEquals(Machine.X86_64, k.machine());
            assertEquals(MemoryDigest.of(elf.memory()), MemoryDigest.of(k.memory()));
            assertEquals(elf.cpus().size(), k.cpus().size());
            assertEquals(elf.vmcoreInfo().orElseThrow().osRelease(), k.vmcoreInfo().orElseThrow().osRelease());
            // QEMU excludes nothing: every RAM page has a descriptor
            KdumpStatistics st = f.statistics();
            assertEquals(0, st.count(PageStatus.EXCLUDED));
            assertTrue(st.sharedZeroPages() > 0);
        }
    }

    @Test
    void headerAndSubHeaderOfAMakedumpfileDump() throws IOException {
        try (Vmcore k = Vmcore.open(TestData.dump(C + ".d31.kdump-lzo"));
                Vmcore elf = Vmcore.open(TestData.dump(ELF_D31))) {
            KdumpFile f = kdump(k).file();
            KdumpHeader h = f.header();
            assertEquals("KDUMP   ", h.signature());
            assertEquals(6, h.headerVersion());
            assertEquals(4096, h.blockSize());
            assertEquals(8, h.wordSize());
            assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder());
            assertEquals(KdumpLayout.LP64, f.layout());
            assertEquals(List.of(Compression.LZO), h.requestedCompressions());
            assertFalse(h.isIncomplete());
            assertEquals(31, f.subHeader().dumpLevel().value());
            assertEquals(List.of("zero pages", "non-private page cache", "private page cache", "user data",
                    "free pages"), f.subHeader().dumpLevel().excludedKinds());
            assertEquals(elf.vmcoreInfo().orElseThrow().osRelease().orElseThrow(), h.utsname().release());
            assertEquals(elf.vmcoreInfo().orElseThrow().entries(), k.vmcoreInfo().orElseThrow().entries());
            assertEquals(elf.notes().stream().map(n -> n.name() + "/" + n.type().value()).toList(),
                    k.notes().stream().map(n -> n.name() + "/" + n.type().value()).toList());
            assertEquals(elf.cpus().size(), k.cpus().size());
            assertEquals(elf.cpus().getFirst().registers(), k.cpus().getFirst().registers());
            assertTrue(f.maxMapnr() > 0 && f.maxMapnr() * 4096 >= elf.memory().ranges().getLast().end() - 4096);
            assertEquals(f.header().nrCpus(), k.cpus().size());
        }
    }

    @Test
    void nonPresentPagesAreTypedErrorsUnlessZeroFillIsAsked() throws IOException {
        try (Vmcore k = Vmcore.open(TestData.dump(C + ".d31.kdump-zlib"))) {
            KdumpMemory m = kdump(k);
            KdumpFile f = m.file();
            long excluded = -1;
            long hole = -1;
            for (long pfn = 0; pfn < f.maxMapnr() && (excluded < 0 || hole < 0); pfn++) {
                PageStatus s = f.status(pfn);
                if (s == PageStatus.EXCLUDED && excluded < 0) {
                    excluded = pfn;
                } else if (s == PageStatus.OUTSIDE && hole < 0) {
                    hole = pfn;
                }
            }
            assertTrue(excluded >= 0 && hole >= 0);
            assertEquals(PageStatus.OUTSIDE, f.status(f.maxMapnr()));
            long ex = excluded;
            MemoryNotPresentException e = assertThrows(MemoryNotPresentException.class,
                    () -> m.read(ex * 4096 + 8, new byte[8], 0, 8));
            assertEquals(ex * 4096 + 8, e.address());
            assertEquals(PageStatus.EXCLUDED, PageUnavailableException.statusOf(e).orElseThrow());
            assertTrue(e.getMessage().contains("excluded by filtering"), e::getMessage);
            PageUnavailableException direct = assertThrows(PageUnavailableException.class,
                    () -> f.readPage(ex, new byte[4096], 0));
            assertEquals(PageStatus.EXCLUDED, direct.status());
            long h = hole;
            assertEquals(PageStatus.OUTSIDE, PageUnavailableException.statusOf(
                    assertThrows(MemoryNotPresentException.class, () -> m.page(h))).orElseThrow());
            assertFalse(m.isPagePresent(ex));

            PhysicalMemory filled = m.withZeroFill(Set.of(PageStatus.EXCLUDED));
            assertTrue(filled.isPagePresent(ex));
            assertEquals(-1, filled.page(ex).mismatch(MemorySegment.ofArray(new byte[4096])));
            assertFalse(filled.isPagePresent(h), "holes stay holes");
            assertEquals(f.statistics().ramPages(), filled.presentPageCount());
            assertEquals(MemoryDigest.of(m), MemoryDigest.of(filled), "zero pages do not change the digest");
            assertThrows(IllegalArgumentException.class, () -> m.withZeroFill(EnumSet.of(PageStatus.OUTSIDE)));
        }
    }

    @Test
    void oneSplitPartAloneIsAPartialViewWithTheOtherPartsPagesLost() throws IOException {
        try (KdumpFile whole = openSplit();
                KdumpFile part = KdumpFile.open(List.of(Derived.split(C + ".d31.kdump-lzo", 3).get(1)))) {
            assertTrue(part.isSplit());
            assertTrue(part.isIncomplete());
            KdumpSubHeader s = part.subHeader();
            assertTrue(s.startPfn() > 0 && s.endPfn() < part.maxMapnr(), s::toString);
            long lostPfn = part.dumpable().nextSetBit(0);
            assertTrue(lostPfn < s.startPfn());
            assertEquals(PageStatus.LOST, part.status(lostPfn));
            assertEquals(PageStatus.PRESENT, whole.status(lostPfn));
            long mine = part.dumpable().nextSetBit(s.startPfn());
            byte[] a = new byte[4096];
            byte[] b = new byte[4096];
            part.readPage(mine, a, 0);
            whole.readPage(mine, b, 0);
            assertArrayEquals(b, a);
            assertEquals(whole.statistics().count(PageStatus.PRESENT),
                    part.statistics().count(PageStatus.PRESENT) + part.statistics().count(PageStatus.LOST));
        }
    }

    @Test
    void filesThatAreNotPartsOfOneSplitSetAreRejected() throws IOException {
        List<Path> parts = Derived.split(C + ".d31.kdump-lzo", 3);
        DumpFormatException e = assertThrows(DumpFormatException.class, () -> KdumpFile.open(List.of(
                parts.get(0), TestData.dump(C + ".d31.kdump-lzo"))).close());
        assertTrue(e.getMessage().contains("split"), e::getMessage);
        assertThrows(DumpFormatException.class, () -> KdumpFile.open(List.of(parts.get(0), parts.get(0))).close());
        assertThrows(DumpFormatException.class, () -> KdumpFile.open(List.of(parts.get(0),
                Derived.split(C + ".d31.kdump-zlib", 2).get(1))).close(), "parts of another dump");
    }

    @Test
    void concurrentReadersThroughASmallCacheSeeTheSameBytes() throws Exception {
        try (KdumpFile f = KdumpFile.openSources(List.of(org.kdump4j.io.ByteSource.open(
                TestData.dump(C + ".d31.kdump-zstd"))), 16)) {
            java.util.Map<Long, Integer> expected = new java.util.HashMap<>();
            f.memory().forEachPage((pfn, page) -> expected.put(pfn, java.util.Arrays.hashCode(page.toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE))));
            Long[] pfns = expected.keySet().toArray(Long[]::new);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            try {
                List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    long seed = t;
                    results.add(pool.submit(() -> {
                        java.util.Random r = new java.util.Random(seed);
                        byte[] buf = new byte[4096];
                        int checked = 0;
                        for (int i = 0; i < 3000; i++) {
                            long pfn = pfns[r.nextInt(pfns.length)];
                            if (r.nextBoolean()) {
                                f.memory().read(pfn * 4096, buf, 0, 4096);
                            } else {
                                MemorySegment.copy(f.memory().page(pfn), 0, MemorySegment.ofArray(buf), 0, 4096);
                            }
                            assertEquals(expected.get(pfn), java.util.Arrays.hashCode(buf), "pfn 0x" + Long.toHexString(pfn));
                            checked++;
                        }
                        return checked;
                    }));
                }
                for (java.util.concurrent.Future<Integer> r : results) {
                    assertEquals(3000, r.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(f.cache().capacity() <= 16);
        }
    }
}
