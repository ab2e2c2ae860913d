package org.kdump4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.kdump4j.diskdump.KdumpFile;
import org.kdump4j.diskdump.KdumpMemory;
import org.kdump4j.io.ByteSource;
import org.kdump4j.memory.PageVisitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential scan of every present page of a kdump-compressed {@code -d 31} file (issue 3): one op =
 * {@code memory.forEachPage(...)} over the whole dump, every page consumed (XOR of its 512 longs),
 * single-threaded. Score: ms per full scan; MB/s = present pages x 4096 / score ({@code bin/bench-kdump}
 * prints it; the setup prints the byte count).
 *
 * <p>The file is opened once per trial with the decoded-page cache disabled
 * ({@code KdumpFile.openSources(sources, 0)}). {@code forEachPage} never fills that cache (only
 * {@code page(pfn)} does), so this changes nothing for this benchmark, but it guarantees that every
 * iteration decodes every compressed page again, whatever the cache policy becomes. Raw pages of
 * the mapped file are zero-copy views; compressed ones are decoded into one reused buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class KdumpScanBenchmark {
    /** lzo = makedumpfile -l, zlib = -c, zstd = -z, raw = no compression option. */
    @Param({"lzo", "zlib", "zstd", "raw"})
    public String codec;

    private KdumpFile file;
    private KdumpMemory memory;

    /** XORs every long of every page (the consumer of a full read). */
    static final class XorVisitor implements PageVisitor {
        long x;
        long pages;

        @Override
        public void visit(long pfn, MemorySegment page) {
            x ^= BenchDump.xorLongs(page, 0, page.byteSize());
            pages++;
        }
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path p = KdumpPages.dumpFile(codec);
        ByteSource src = ByteSource.open(p);
        file = KdumpPages.openUncached(src);
        memory = file.memory();
        XorVisitor v = new XorVisitor();
        memory.forEachPage(v);
        if (v.pages != memory.presentPageCount()) {
            throw new IllegalStateException(codec + ": visited " + v.pages + " pages, present "
                    + memory.presentPageCount());
        }
        System.out.printf("%n# kdump %s: %d present pages, %d bytes, xor 0x%x, mapped=%s%n", p, v.pages,
                v.pages * memory.pageSize(), v.x, src.isMapped());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        file.close();
    }

    @Benchmark
    public long scan() throws IOException {
        XorVisitor v = new XorVisitor();
        memory.forEachPage(v);
        return v.x;
    }

    /** One copy of the XOR loop for native (mapped, raw-stored) pages, one for heap (decoded) pages. */
    private static final class SplitVisitor implements PageVisitor {
        long x;

        @Override
        public void visit(long pfn, MemorySegment page) {
            x ^= page.isNative() ? xorNative(page) : xorHeap(page);
        }
    }

    static long xorNative(MemorySegment seg) {
        long x = 0;
        for (long p = 0, end = seg.byteSize(); p < end; p += 8) {
            x ^= seg.get(BenchDump.LONG, p);
        }
        return x;
    }

    static long xorHeap(MemorySegment seg) {
        long x = 0;
        for (long p = 0, end = seg.byteSize(); p < end; p += 8) {
            x ^= seg.get(BenchDump.LONG, p);
        }
        return x;
    }

    /**
     * Attribution: a full read like {@link #scan}, but with separate copies of the XOR loop for native
     * and heap pages, so that neither loop's JIT profile sees both kinds of segment.
     */
    @Benchmark
    public long scanSplitLoop() throws IOException {
        SplitVisitor v = new SplitVisitor();
        memory.forEachPage(v);
        return v.x;
    }

    private static final class TouchVisitor implements PageVisitor {
        long x;

        @Override
        public void visit(long pfn, MemorySegment page) {
            x ^= page.get(BenchDump.LONG, 0) ^ page.byteSize();
        }
    }

    /**
     * Attribution only (not a full read): the same walk and decoding, but the visitor reads one long per
     * page, so {@code scan - scanTouch} is the cost of consuming the bytes.
     */
    @Benchmark
    public long scanTouch() throws IOException {
        TouchVisitor v = new TouchVisitor();
        memory.forEachPage(v);
        return v.x;
    }
}
