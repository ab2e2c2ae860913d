package org.kdump4j.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import org.kdump4j.memory.PageVisitor;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.Vmcore;

/**
 * Interleaved full scans in one JVM, for a view/plain ratio that survives a busy (shared) machine:
 * each round runs the view scan and the plain-segment scans back to back (order rotated), so load
 * from elsewhere hits all of them alike; reports min and median per variant and their ratios.
 *
 * <p>usage: Interleaved VMCORE [WARMUP_ROUNDS] [ROUNDS]
 */
public final class Interleaved {
    private Interleaved() {
    }

    private static final class XorVisitor implements PageVisitor {
        long x;

        @Override
        public void visit(long pfn, MemorySegment page) {
            x ^= xorView(page, 0, page.byteSize());
        }
    }

    // One identical copy of the loop per variant, so each gets its own JIT profile.
    static long xorView(MemorySegment seg, long off, long len) {
        long x = 0;
        for (long p = off, end = off + len; p < end; p += 8) {
            x ^= seg.get(BenchDump.LONG, p);
        }
        return x;
    }

    static long xorRuns(MemorySegment seg, long off, long len) {
        long x = 0;
        for (long p = off, end = off + len; p < end; p += 8) {
            x ^= seg.get(BenchDump.LONG, p);
        }
        return x;
    }

    static long xorPages(MemorySegment seg, long off, long len) {
        long x = 0;
        for (long p = off, end = off + len; p < end; p += 8) {
            x ^= seg.get(BenchDump.LONG, p);
        }
        return x;
    }

    static long view(PhysicalMemory m) throws IOException {
        XorVisitor v = new XorVisitor();
        m.forEachPage(v);
        return v.x;
    }

    static long plainRuns(BenchDump d) {
        long x = 0;
        for (int i = 0; i < d.runOffsets.length; i++) {
            x ^= xorRuns(d.file, d.runOffsets[i], d.runLengths[i]);
        }
        return x;
    }

    static long plainPages(BenchDump d) {
        long x = 0;
        for (int i = 0; i < d.runOffsets.length; i++) {
            long end = d.runOffsets[i] + d.runLengths[i];
            for (long p = d.runOffsets[i]; p < end; p += 4096) {
                MemorySegment page = d.file.asSlice(p, Math.min(4096, end - p));
                x ^= xorPages(page, 0, page.byteSize());
            }
        }
        return x;
    }

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        String[] names = {"view forEachPage", "plain runs", "plain pages"};
        try (BenchDump d = BenchDump.open(path); Vmcore v = Vmcore.open(path)) {
            PhysicalMemory m = v.memory();
            double[][] t = new double[3][rounds];
            long expect = d.checksum();
            for (int r = -warm; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    int which = Math.floorMod(r + k, 3);
                    long t0 = System.nanoTime();
                    long x = switch (which) {
                        case 0 -> view(m);
                        case 1 -> plainRuns(d);
                        default -> plainPages(d);
                    };
                    long t1 = System.nanoTime();
                    if (x != expect) {
                        throw new IllegalStateException(names[which] + " XOR differs");
                    }
                    if (r >= 0) {
                        t[which][r] = (t1 - t0) / 1e6;
                    }
                }
            }
            double[] min = new double[3];
            double[] med = new double[3];
            for (int k = 0; k < 3; k++) {
                double[] s = t[k].clone();
                Arrays.sort(s);
                min[k] = s[0];
                med[k] = rounds % 2 == 1 ? s[rounds / 2] : (s[rounds / 2 - 1] + s[rounds / 2]) / 2;
                System.out.printf("%-18s min %8.3f ms  median %8.3f ms  max %8.3f ms%n", names[k], min[k], med[k],
                        s[rounds - 1]);
            }
            System.out.printf("ratio view/plain runs:  min %.3f  median %.3f%n", min[0] / min[1], med[0] / med[1]);
            System.out.printf("ratio view/plain pages: min %.3f  median %.3f%n", min[0] / min[2], med[0] / med[2]);
        }
    }
}
