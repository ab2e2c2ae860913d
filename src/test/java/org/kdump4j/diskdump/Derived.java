package org.kdump4j.diskdump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.kdump4j.testing.TestData;

/**
 * Flattened and split forms of a committed kdump file, made the way makedumpfile makes them, cached in
 * {@code target/testdata/derived/}.
 *
 * <p>Split: every part keeps the whole header and bitmaps, sets {@code split} and its
 * {@code [start_pfn, end_pfn)} (both the 32-bit and the {@code _64} fields), holds only its range's
 * descriptors at the start of the table, and its data at the original offsets after the room for the
 * whole dump's table (makedumpfile's layout, with the other parts' data left in place).
 */
final class Derived {
    private Derived() {
    }

    private static Path dir() throws IOException {
        Path d = Path.of("target", "testdata", "derived");
        Files.createDirectories(d);
        return d;
    }

    private static void write(Path p, byte[] bytes) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The flattened form ({@code makedumpfile -F}-style records of 64 KiB, with an end marker). */
    static synchronized Path flattened(String stem) throws IOException {
        Path out = dir().resolve(stem + ".flat");
        if (!Files.exists(out)) {
            write(out, KdumpBuilder.flatten(Files.readAllBytes(TestData.dump(stem)), 65536, null, true));
        }
        return out;
    }

    /** {@code parts} split parts with about equal dumpable pages each. */
    static synchronized List<Path> split(String stem, int parts) {
        try {
            List<Path> out = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                out.add(dir().resolve(stem + ".split" + (i + 1) + "of" + parts));
            }
            if (out.stream().allMatch(Files::exists)) {
                return out;
            }
            Path src = TestData.dump(stem);
            byte[] file = Files.readAllBytes(src);
            try (KdumpFile k = KdumpFile.open(src)) {
                if (k.layout() != KdumpLayout.LP64 || k.headerVersion() < 6) {
                    throw new IllegalStateException("derivation written for 64-bit v6 files: " + stem);
                }
                Bitmap dumpable = k.dumpable();
                long total = dumpable.cardinality();
                int bs = k.blockSize();
                long table = (1L + k.header().subHeaderBlocks() + k.header().bitmapBlocks()) * bs;
                ByteOrder order = k.byteOrder();
                long start = 0;
                for (int i = 0; i < parts; i++) {
                    long end = i == parts - 1 ? k.maxMapnr() : pfnOfRank(dumpable, total * (i + 1) / parts);
                    byte[] p = file.clone();
                    ByteBuffer b = ByteBuffer.wrap(p).order(order);
                    b.putInt(bs + 12, 1);
                    b.putLong(bs + 16, start);
                    b.putLong(bs + 24, end);
                    b.putLong(bs + 80, start);
                    b.putLong(bs + 88, end);
                    long r0 = dumpable.rank(start);
                    long r1 = dumpable.rank(end);
                    System.arraycopy(file, (int) (table + 24 * r0), p, (int) table, (int) (24 * (r1 - r0)));
                    java.util.Arrays.fill(p, (int) (table + 24 * (r1 - r0)), (int) (table + 24 * total), (byte) 0);
                    write(out.get(i), p);
                    start = end;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The smallest PFN p with rank(p) == r (the PFN after the r-th dumpable page). */
    private static long pfnOfRank(Bitmap b, long r) {
        long lo = 0;
        long hi = b.size();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (b.rank(mid) < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
