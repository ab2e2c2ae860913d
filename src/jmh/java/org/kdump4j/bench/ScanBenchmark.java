package org.kdump4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.kdump4j.memory.PageVisitor;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.Vmcore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Sequential scan of every present page, every byte consumed (XOR of the page's longs).
 *
 * <ul>
 *   <li>{@code viewForEachPage}: {@code Vmcore.memory().forEachPage}, zero-copy page views;
 *   <li>{@code plainRuns}: the baseline: the whole file mapped as one segment, each resolved
 *       {@code PT_LOAD} byte range XORed in one loop;
 *   <li>{@code plainPages}: the same segment, walked page by page ({@code asSlice} per page), to
 *       separate the cost of "one call per page" from the cost of the library;
 *   <li>{@code viewPageLoop}, {@code sourceSlicePages}: attribution (see the methods).
 * </ul>
 * Every variant returns the same XOR (checked in setup against an independent loop). Score:
 * milliseconds per full scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ScanBenchmark {
    private static final int PAGE = 4096;

    private BenchDump plain;
    private Vmcore vmcore;
    private PhysicalMemory memory;

    /** Accumulates over pages; a field so the visitor needs no capture. */
    private static final class XorVisitor implements PageVisitor {
        long x;

        @Override
        public void visit(long pfn, MemorySegment page) {
            x ^= BenchDump.xorLongs(page, 0, page.byteSize());
        }
    }

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) throws IOException {
        plain = BenchDump.open(BenchDump.path());
        for (long l : plain.runLengths) {
            if (l % 8 != 0) {
                throw new IOException("PT_LOAD length not a multiple of 8: " + l);
            }
        }
        vmcore = Vmcore.open(plain.path);
        memory = vmcore.memory();
        // run only the measured variant here (the others would pollute the JIT's type profiles)
        String bench = params.getBenchmark();
        String variant = bench.substring(bench.lastIndexOf('.') + 1);
        long got = switch (variant) {
            case "viewForEachPage" -> viewForEachPage();
            case "viewPageLoop" -> viewPageLoop();
            case "sourceSlicePages" -> sourceSlicePages();
            case "plainRuns" -> plainRuns();
            case "plainPages" -> plainPages();
            default -> throw new IllegalStateException("unknown benchmark " + bench);
        };
        long want = plain.checksum();
        if (got != want) {
            throw new IllegalStateException(variant + ": XOR " + Long.toHexString(got) + ", expected "
                    + Long.toHexString(want));
        }
        System.out.printf("%n# dump %s: %d present pages, %d file-backed bytes in %d runs, mapped=%s%n",
                plain.path, memory.presentPageCount(), plain.bytes(), plain.runs.size(), vmcore.source().isMapped());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vmcore.close();
        plain.close();
    }

    @Benchmark
    public long viewForEachPage() throws IOException {
        XorVisitor v = new XorVisitor();
        memory.forEachPage(v);
        return v.x;
    }

    /** Attribution: the same pages through {@code memory.page(pfn)} (lookup per page, no visitor). */
    @Benchmark
    public long viewPageLoop() throws IOException {
        long x = 0;
        for (org.kdump4j.memory.MemoryRange r : memory.ranges()) {
            long first = r.start() / PAGE;
            long last = (r.start() + r.size() - 1) / PAGE;
            for (long pfn = first; pfn <= last; pfn++) {
                MemorySegment page = memory.page(pfn);
                x ^= BenchDump.xorLongs(page, 0, page.byteSize());
            }
        }
        return x;
    }

    /** Attribution: the plain runs' pages through the library's {@code ByteSource.slice} (no memory layer). */
    @Benchmark
    public long sourceSlicePages() throws IOException {
        org.kdump4j.io.ByteSource src = vmcore.source();
        long[] offs = plain.runOffsets;
        long[] lens = plain.runLengths;
        long x = 0;
        for (int i = 0; i < offs.length; i++) {
            long end = offs[i] + lens[i];
            for (long p = offs[i]; p < end; p += PAGE) {
                MemorySegment page = src.slice(p, Math.min(PAGE, end - p));
                x ^= BenchDump.xorLongs(page, 0, page.byteSize());
            }
        }
        return x;
    }

    @Benchmark
    public long plainRuns() {
        MemorySegment f = plain.file;
        long[] offs = plain.runOffsets;
        long[] lens = plain.runLengths;
        long x = 0;
        for (int i = 0; i < offs.length; i++) {
            x ^= BenchDump.xorLongs(f, offs[i], lens[i]);
        }
        return x;
    }

    @Benchmark
    public long plainPages() {
        MemorySegment f = plain.file;
        long[] offs = plain.runOffsets;
        long[] lens = plain.runLengths;
        long x = 0;
        for (int i = 0; i < offs.length; i++) {
            long end = offs[i] + lens[i];
            for (long p = offs[i]; p < end; p += PAGE) {
                MemorySegment page = f.asSlice(p, Math.min(PAGE, end - p));
                x ^= BenchDump.xorLongs(page, 0, page.byteSize());
            }
        }
        return x;
    }
}
