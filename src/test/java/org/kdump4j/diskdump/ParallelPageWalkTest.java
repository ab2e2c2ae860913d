package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kdump4j.io.ByteSource;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.MemoryDigest;

/**
 * {@link KdumpMemory#withDecodeThreads}: a walk with several decoding threads shows the visitor exactly
 * what the one-thread walk shows it (pages, order, thread, errors and where they come), on the real
 * makedumpfile and QEMU files and on constructed files with damaged pages.
 */
class ParallelPageWalkTest {
    private static final String C = "x86_64-6.1-kexec-c";

    @org.junit.jupiter.api.BeforeAll
    static void workersFromTheFirstBatch() {
        ParallelPageWalk.skipWarmUp(); // the small constructed dumps would otherwise run on one thread
    }

    /** What a walk showed: per page its frame number and a hash of its bytes, then the error, if any. */
    private record Seen(List<Long> pfns, List<Integer> hashes, Throwable error) {
    }

    private static Seen walk(KdumpMemory m) {
        List<Long> pfns = new ArrayList<>();
        List<Integer> hashes = new ArrayList<>();
        Thread caller = Thread.currentThread();
        try {
            m.forEachPage((pfn, page) -> {
                assertSame(caller, Thread.currentThread(), "the visitor runs on the calling thread");
                assertEquals(m.pageSize(), page.byteSize());
                assertTrue(page.isNative(), "pages handed out are off-heap");
                assertTrue(page.isReadOnly());
                pfns.add(pfn);
                hashes.add(java.util.Arrays.hashCode(page.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            });
            return new Seen(pfns, hashes, null);
        } catch (IOException | RuntimeException e) {
            return new Seen(pfns, hashes, e);
        }
    }

    private static void assertSameWalk(KdumpMemory m, int... threads) {
        Seen one = walk(m);
        for (int t : threads) {
            Seen many = walk(m.withDecodeThreads(t));
            int first = firstDifference(one, many);
            assertEquals(-1, first, () -> t + " threads: page " + first + " of the walk differs (" + one.pfns().size()
                    + " against " + many.pfns().size() + " pages)");
            if (one.error() == null) {
                assertEquals(null, many.error(), () -> t + " threads: " + many.error());
            } else {
                assertTrue(many.error() != null, t + " threads: the error");
                assertEquals(one.error().getClass(), many.error().getClass());
                assertEquals(one.error().getMessage(), many.error().getMessage());
            }
        }
        assertTrue(decodeThreadsAlive().isEmpty(), () -> "workers left running: " + decodeThreadsAlive());
    }

    /** The first position where two walks saw another page or other bytes, or -1. */
    private static int firstDifference(Seen a, Seen b) {
        int n = Math.min(a.pfns().size(), b.pfns().size());
        for (int i = 0; i < n; i++) {
            if (!a.pfns().get(i).equals(b.pfns().get(i)) || !a.hashes().get(i).equals(b.hashes().get(i))) {
                return i;
            }
        }
        return a.pfns().size() == b.pfns().size() ? -1 : n;
    }

    /**
     * Decoding threads still alive after a few seconds' grace (a pool counts as terminated when its workers
     * have left their loops, a moment before the threads themselves end).
     */
    private static List<String> decodeThreadsAlive() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("kdump4j-decode-")) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    names.add(t.getName());
                }
            }
        }
        return names;
    }

    private static Path dump(String name) throws IOException {
        return name.equals("d31.flat") ? Derived.flattened(C + ".d31.kdump-lzo") : TestData.dump(name);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {C + ".d31.kdump-lzo", C + ".d31.kdump-zlib", C + ".d31.kdump-zstd", "d31.flat",
        "x86_64-6.1-qemu.kdump-zlib.flat"})
    void realDumpsReadTheSameOnAnyNumberOfThreads(String name) throws IOException {
        try (KdumpFile f = KdumpFile.open(dump(name))) {
            Seen one = walk(f.memory());
            assertEquals(f.memory().presentPageCount(), one.pfns().size());
            assertTrue(one.pfns().size() > 1000, "the walk spans many batches");
            assertSameWalk(f.memory(), 2, 3, 8);
            assertEquals(MemoryDigest.of(f.memory()), MemoryDigest.of(f.memory().withDecodeThreads(4)));
        }
    }

    @Test
    void aSplitSetAndItsExcludedPagesAsZerosReadTheSame() throws IOException {
        try (KdumpFile f = KdumpFile.open(Derived.split(C + ".d31.kdump-zstd", 3))) {
            assertSameWalk(f.memory(), 2, 5);
            KdumpMemory filled = f.memory().withZeroFill(Set.of(PageStatus.EXCLUDED));
            assertTrue(filled.presentPageCount() > f.memory().presentPageCount());
            assertSameWalk(filled, 2, 3);
        }
    }

    /** A constructed dump of 4,000 pages in which a page that does not decode and a bad descriptor sit far apart. */
    private static KdumpFile damaged(long[] bad) throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.maxMapnr = 4000;
        Map<Long, byte[]> contents = SyntheticKdumpTest.populate(b, 11);
        List<Long> compressed = new ArrayList<>();
        for (var e : contents.entrySet()) {
            if (e.getKey() % 7 >= 4) {
                compressed.add(e.getKey());
            }
        }
        bad[0] = compressed.get(compressed.size() / 3);
        bad[1] = compressed.get(2 * compressed.size() / 3);
        byte[] page = contents.get(bad[0]);
        b.page(bad[0], page, Compression.ZLIB, new byte[] {1, 2, 3, 4, 5});
        b.badDescriptor(bad[1], 100, 0x03);
        return KdumpFile.openSources(List.of(ByteSource.of("damaged", b.build())));
    }

    @Test
    void aCorruptPageFailsAtItsTurnAfterEveryEarlierPageWasVisited() throws IOException {
        long[] bad = new long[2];
        try (KdumpFile f = damaged(bad)) {
            Seen one = walk(f.memory());
            assertTrue(one.error() instanceof PageUnavailableException, () -> String.valueOf(one.error()));
            assertEquals(bad[0], ((PageUnavailableException) one.error()).pfn());
            assertTrue(one.pfns().size() > 500, "the damage lies past the first batches");
            assertSameWalk(f.memory(), 2, 3, 7);
            Seen many = walk(f.memory().withDecodeThreads(3));
            assertEquals(PageStatus.CORRUPT, ((PageUnavailableException) many.error()).status());
            assertEquals(bad[0], ((PageUnavailableException) many.error()).pfn());
        }
    }

    @Test
    void zeroFilledCorruptPagesReadAsZerosAndTheWalkGoesOn() throws IOException {
        long[] bad = new long[2];
        try (KdumpFile f = damaged(bad)) {
            KdumpMemory lenient = f.memory().withZeroFill(Set.of(PageStatus.CORRUPT));
            Seen one = walk(lenient);
            assertEquals(null, one.error());
            assertTrue(one.pfns().contains(bad[0]) && one.pfns().contains(bad[1]));
            assertSameWalk(lenient, 2, 4);
            KdumpMemory both = lenient.withDecodeThreads(2).withZeroFill(Set.of(PageStatus.CORRUPT,
                    PageStatus.EXCLUDED));
            assertEquals(2, both.decodeThreads(), "zero-fill views keep the thread count");
            assertSameWalk(both.withDecodeThreads(1), 2);
        }
    }

    @Test
    void aVisitorThatThrowsStopsTheWalkWithItsOwnExceptionAndNoWorkerOutlivesIt() throws IOException {
        try (KdumpFile f = KdumpFile.open(TestData.dump(C + ".d31.kdump-zstd"))) {
            IOException stop = new IOException("stop here");
            int[] visited = {0};
            IOException e = assertThrows(IOException.class, () -> f.memory().withDecodeThreads(4)
                    .forEachPage((pfn, page) -> {
                        if (++visited[0] == 1000) {
                            throw stop;
                        }
                    }));
            assertSame(stop, e);
            assertEquals(1000, visited[0]);
            assertTrue(decodeThreadsAlive().isEmpty(), () -> "workers left running: " + decodeThreadsAlive());
            RuntimeException r = new IllegalStateException("unchecked");
            assertSame(r, assertThrows(IllegalStateException.class, () -> f.memory().withDecodeThreads(2)
                    .forEachPage((pfn, page) -> {
                        throw r;
                    })));
            assertTrue(decodeThreadsAlive().isEmpty(), () -> "workers left running: " + decodeThreadsAlive());
        }
    }

    @Test
    void pagesAreValidOnlyDuringTheCallButReadAsCopiesWhenKept() throws IOException {
        try (KdumpFile f = KdumpFile.open(TestData.dump(C + ".d31.kdump-lzo"))) {
            List<byte[]> copies = new ArrayList<>();
            List<Long> pfns = new ArrayList<>();
            f.memory().withDecodeThreads(2).forEachPage((pfn, page) -> {
                if (pfns.size() < 300) {
                    pfns.add(pfn);
                    copies.add(page.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
            });
            for (int i = 0; i < pfns.size(); i++) {
                assertEquals(-1, f.memory().page(pfns.get(i)).mismatch(MemorySegment.ofArray(copies.get(i))));
            }
        }
    }

    /** A read's bytes (hashed) and its error's class and message. */
    private static String read(KdumpMemory m, long address, int length) {
        byte[] b = new byte[length];
        try {
            m.read(address, b, 0, length);
            return "ok " + java.util.Arrays.hashCode(b);
        } catch (IOException | RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void assertSameReads(KdumpMemory m, long address, int length) {
        String one = read(m, address, length);
        for (int t : new int[] {2, 3}) {
            assertEquals(one, read(m.withDecodeThreads(t), address, length),
                    () -> t + " threads, read of " + length + " bytes at 0x" + Long.toHexString(address));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {C + ".d31.kdump-zstd", "d31.flat"})
    void largeReadsGiveTheSameBytesAndErrorsOnAnyNumberOfThreads(String name) throws IOException {
        try (KdumpFile f = KdumpFile.open(dump(name))) {
            KdumpMemory m = f.memory();
            int reads = 0;
            int failures = 0;
            for (org.kdump4j.memory.MemoryRange r : m.ranges()) {
                if (r.size() < (2 << 20)) {
                    continue;
                }
                // inside the range, starting mid-page
                assertSameReads(m, r.start() + 4097, (int) Math.min(r.size() - 8192, 3 << 20));
                // running past its end into pages the dump does not hold: the same error at the same address
                String past = read(m, r.end() - (1 << 20), (1 << 20) + 8192);
                assertTrue(past.startsWith(MemoryNotPresentException.class.getName()), past);
                assertSameReads(m, r.end() - (1 << 20), (1 << 20) + 8192);
                // starting in a page the dump does not hold, mid-page
                if (!m.isPagePresent((r.end() >>> 12))) {
                    assertSameReads(m, r.end() + 100, 1 << 20);
                }
                reads++;
            }
            assertTrue(reads >= 2, "ranges of at least 2 MiB: " + reads);
        }
    }

    @Test
    void aLargeReadOverACorruptPageFailsThereOrReadsItAsZerosAsOnOneThread() throws IOException {
        KdumpBuilder b = new KdumpBuilder();
        b.maxMapnr = 1000;
        for (long pfn = 0; pfn < b.maxMapnr; pfn++) {
            byte[] page = new byte[4096];
            for (int i = 0; i < page.length; i += 16) {
                page[i] = (byte) (pfn * 7 + i / 16);
            }
            b.page(pfn, page);
        }
        long bad = 700;
        b.page(bad, new byte[4096], Compression.ZLIB, new byte[] {1, 2, 3, 4, 5});
        try (KdumpFile f = KdumpFile.openSources(List.of(ByteSource.of("dense", b.build())))) {
            long from = 5;
            int length = (int) (f.maxMapnr() * 4096 - 4096);
            String strict = read(f.memory(), from, length);
            assertTrue(strict.startsWith(PageUnavailableException.class.getName()) && strict.contains("0x2bc"), strict);
            assertSameReads(f.memory(), from, length);
            KdumpMemory lenient = f.memory().withZeroFill(Set.of(PageStatus.CORRUPT));
            String zeros = read(lenient, from, length);
            assertTrue(zeros.startsWith("ok "), zeros);
            assertSameReads(lenient, from, length);
            byte[] all = new byte[length];
            lenient.withDecodeThreads(2).read(from, all, 0, length);
            assertEquals(-1, java.util.Arrays.mismatch(all, (int) (bad * 4096 - from), (int) (bad * 4096 - from + 4096),
                    new byte[4096], 0, 4096), "the corrupt page reads as zeros");
        }
    }

    @Test
    void theThreadCountIsChecked() throws IOException {
        try (KdumpFile f = KdumpFile.open(TestData.dump(C + ".d31.kdump-lzo"))) {
            KdumpMemory m = f.memory();
            assertEquals(1, m.decodeThreads());
            assertSame(m, m.withDecodeThreads(1));
            assertEquals(256, m.withDecodeThreads(256).decodeThreads());
            assertThrows(IllegalArgumentException.class, () -> m.withDecodeThreads(0));
            assertThrows(IllegalArgumentException.class, () -> m.withDecodeThreads(257));
            assertThrows(MemoryNotPresentException.class, () -> m.withDecodeThreads(3).page(0));
        }
    }
}
