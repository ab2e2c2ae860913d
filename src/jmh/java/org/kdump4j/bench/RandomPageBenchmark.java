package org.kdump4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.Vmcore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Random 4 KiB page reads: {@value #N} random present page frames (fixed seed, each stored whole in the
 * file), every byte of each page consumed (XOR of its longs). Score: nanoseconds per page.
 *
 * <ul>
 *   <li>{@code viewPage}: {@code memory.page(pfn)} (zero-copy view, lookup by binary search);
 *   <li>{@code viewRead}: {@code memory.read(pfn * 4096, byte[4096])} (copy), then XOR the array;
 *   <li>{@code plainPage} / {@code plainRead}: the same on the one-segment mapping with the file offsets
 *       precomputed (no lookup at all): {@code asSlice}, and {@code MemorySegment.copy} into the array.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class RandomPageBenchmark {
    static final int N = 4096;
    private static final int PAGE = 4096;

    private BenchDump plain;
    private Vmcore vmcore;
    private PhysicalMemory memory;
    private long[] pfns;
    private long[] fileOffsets;
    private final byte[] buf = new byte[PAGE];
    private final MemorySegment bufSeg = MemorySegment.ofArray(buf);

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws IOException {
        plain = BenchDump.open(BenchDump.path());
        vmcore = Vmcore.open(plain.path);
        memory = vmcore.memory();
        if (memory.pageSize() != PAGE) {
            throw new IOException("expected 4 KiB pages, got " + memory.pageSize());
        }
        // candidates: pages stored whole in one run (in page frame order)
        long count = 0;
        for (BenchDump.Run r : plain.runs) {
            long first = (r.paddr() + PAGE - 1) / PAGE;
            long end = (r.paddr() + r.length()) / PAGE;
            count += Math.max(0, end - first);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        pfns = new long[N];
        fileOffsets = new long[N];
        for (int k = 0; k < N; k++) {
            long pick = rnd.nextLong(count);
            for (BenchDump.Run r : plain.runs) {
                long first = (r.paddr() + PAGE - 1) / PAGE;
                long n = Math.max(0, (r.paddr() + r.length()) / PAGE - first);
                if (pick < n) {
                    pfns[k] = first + pick;
                    break;
                }
                pick -= n;
            }
            fileOffsets[k] = plain.fileOffset(pfns[k] * PAGE, PAGE);
        }
        long want = 0;
        for (long off : fileOffsets) {
            want ^= BenchDump.xorLongsCheck(plain.file, off, PAGE);
        }
        // run only the measured variant here (the others would pollute the JIT's type profiles)
        String bench = params.getBenchmark();
        String variant = bench.substring(bench.lastIndexOf('.') + 1);
        long got = switch (variant) {
            case "viewPage" -> viewPage();
            case "viewRead" -> viewRead();
            case "plainPage" -> plainPage();
            case "plainRead" -> plainRead();
            default -> throw new IllegalStateException("unknown benchmark " + bench);
        };
        if (got != want) {
            throw new IllegalStateException(variant + ": XOR " + Long.toHexString(got) + ", expected "
                    + Long.toHexString(want));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vmcore.close();
        plain.close();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long viewPage() throws IOException {
        long x = 0;
        for (long pfn : pfns) {
            x ^= BenchDump.xorLongs(memory.page(pfn), 0, PAGE);
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long viewRead() throws IOException {
        long x = 0;
        for (long pfn : pfns) {
            memory.read(pfn * PAGE, buf, 0, PAGE);
            x ^= BenchDump.xorLongs(bufSeg, 0, PAGE);
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long plainPage() {
        MemorySegment f = plain.file;
        long x = 0;
        for (long off : fileOffsets) {
            x ^= BenchDump.xorLongs(f.asSlice(off, PAGE), 0, PAGE);
        }
        return x;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long plainRead() {
        MemorySegment f = plain.file;
        long x = 0;
        for (long off : fileOffsets) {
            MemorySegment.copy(f, off, bufSeg, 0, PAGE);
            x ^= BenchDump.xorLongs(bufSeg, 0, PAGE);
        }
        return x;
    }
}
