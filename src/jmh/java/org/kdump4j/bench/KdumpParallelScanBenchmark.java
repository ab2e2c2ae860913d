package org.kdump4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.kdump4j.diskdump.KdumpFile;
import org.kdump4j.diskdump.KdumpMemory;
import org.kdump4j.io.ByteSource;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.vmcore.MemoryDigest;
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
 * The full scan of {@link KdumpScanBenchmark#scan} (every present page of a {@code -d 31} kdump file, each
 * XORed by the visitor on the calling thread), with the pages decoded on {@code threads} worker threads
 * ({@link KdumpMemory#withDecodeThreads}). Not the single-threaded comparison: it shows what the
 * library does for whole-dump work when cores are free. Same files, same cache setting (disabled).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class KdumpParallelScanBenchmark {
    /** lzo = makedumpfile -l, zlib = -c, zstd = -z, raw = no compression option. */
    @Param({"lzo", "zlib", "zstd", "raw"})
    public String codec;

    /** Decoding threads. */
    @Param({"2"})
    public int threads;

    private KdumpFile file;
    private KdumpMemory memory;
    private final java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofShared();
    private final java.lang.foreign.MemorySegment chunk = arena.allocate(8 << 20, 8);

    @Setup(Level.Trial)
    public void setup() throws IOException {
        Path p = KdumpPages.dumpFile(codec);
        ByteSource src = ByteSource.open(p);
        file = KdumpPages.openUncached(src);
        memory = file.memory().withDecodeThreads(threads);
        KdumpScanBenchmark.XorVisitor one = new KdumpScanBenchmark.XorVisitor();
        file.memory().forEachPage(one);
        KdumpScanBenchmark.XorVisitor many = new KdumpScanBenchmark.XorVisitor();
        memory.forEachPage(many);
        if (many.pages != one.pages || many.x != one.x) {
            throw new IllegalStateException(codec + ": " + threads + " threads visited " + many.pages + " pages, xor 0x"
                    + Long.toHexString(many.x) + "; one thread " + one.pages + ", xor 0x" + Long.toHexString(one.x));
        }
        System.out.printf("%n# kdump %s, %d decoding threads: %d present pages, xor 0x%x%n", p, threads, many.pages,
                many.x);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        file.close();
        arena.close();
    }

    @Benchmark
    public long scan() throws IOException {
        KdumpScanBenchmark.XorVisitor v = new KdumpScanBenchmark.XorVisitor();
        memory.forEachPage(v);
        return v.x;
    }

    /**
     * What {@code kdump4j digest} does in a warm JVM: SHA-256 over every non-zero page on the calling thread
     * while the pages are decoded on {@code threads} threads.
     */
    @Benchmark
    public long digest() throws IOException {
        return MemoryDigest.of(memory).pages();
    }

    /**
     * What {@code kdump4j convert} does to copy memory: every present range read in 8 MiB chunks into one
     * native buffer (reads of 1 MiB or more decode on {@code threads} threads).
     */
    @Benchmark
    public long readRanges() throws IOException {
        long x = 0;
        for (MemoryRange r : memory.ranges()) {
            for (long done = 0; done < r.size(); ) {
                long n = Math.min(chunk.byteSize(), r.size() - done);
                memory.read(r.start() + done, chunk, 0, n);
                x ^= chunk.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0);
                done += n;
            }
        }
        return x;
    }
}
