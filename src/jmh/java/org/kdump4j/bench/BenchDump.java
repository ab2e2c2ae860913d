package org.kdump4j.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The benchmark's dump and its plain baseline: the whole file mapped as ONE {@link MemorySegment}
 * ({@link FileChannel#map} into an {@link Arena}), and the {@code PT_LOAD} byte ranges resolved
 * independently of the library (ELF64 little-endian program headers parsed here; where loads overlap
 * the first one listed wins, as the library's rule says).
 */
final class BenchDump implements AutoCloseable {
    /** System property naming the dump; {@code bin/bench} sets it. */
    static final String PROPERTY = "kdump4j.bench.vmcore";
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

    /** A stretch of physical memory stored contiguously in the file. */
    record Run(long paddr, long fileOffset, long length) {
    }

    final Path path;
    final Arena arena;
    final MemorySegment file;
    /** File-backed runs in ascending physical order, disjoint. */
    final List<Run> runs;
    /** The same, flattened for the hot loop: offsets[i], lengths[i]. */
    final long[] runOffsets;
    final long[] runLengths;

    private BenchDump(Path path, Arena arena, MemorySegment file, List<Run> runs) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.runs = runs;
        this.runOffsets = runs.stream().mapToLong(Run::fileOffset).toArray();
        this.runLengths = runs.stream().mapToLong(Run::length).toArray();
    }

    /** The dump named by the system property, else the first default that exists. */
    static Path path() throws IOException {
        String p = System.getProperty(PROPERTY, "");
        if (!p.isBlank()) {
            return Path.of(p);
        }
        for (String c : new String[] {"target/bench/x86_64-6.1-kexec-c.vmcore", "/var/tmp/kdump4j-gen/kexec-c/vmcore"}) {
            if (Files.isRegularFile(Path.of(c))) {
                return Path.of(c);
            }
        }
        throw new IOException("no benchmark dump: set -D" + PROPERTY + "=PATH (bin/bench does)");
    }

    static BenchDump open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new BenchDump(path, arena, file, resolveLoads(file));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Parses ELF64 LE PT_LOADs and resolves overlaps (first listed wins) into disjoint file-backed runs. */
    private static List<Run> resolveLoads(MemorySegment f) throws IOException {
        if (f.get(ValueLayout.JAVA_INT, 0) != 0x464c457f || f.get(ValueLayout.JAVA_BYTE, 4) != 2
                || f.get(ValueLayout.JAVA_BYTE, 5) != 1) {
            throw new IOException("baseline needs an ELF64 little-endian dump");
        }
        long phoff = f.get(LONG, 32);
        int phentsize = Short.toUnsignedInt(f.get(ValueLayout.JAVA_SHORT_UNALIGNED, 54));
        int phnum = Short.toUnsignedInt(f.get(ValueLayout.JAVA_SHORT_UNALIGNED, 56));
        List<Run> taken = new ArrayList<>(); // disjoint, any order
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (f.get(ValueLayout.JAVA_INT_UNALIGNED, ph) != 1) {
                continue; // not PT_LOAD
            }
            long off = f.get(LONG, ph + 8);
            long paddr = f.get(LONG, ph + 24);
            long filesz = f.get(LONG, ph + 32);
            if (paddr == -1L || filesz == 0) {
                continue;
            }
            List<Run> pending = new ArrayList<>(List.of(new Run(paddr, off, filesz)));
            for (Run t : taken) { // cut away what earlier loads already cover
                List<Run> next = new ArrayList<>();
                for (Run r : pending) {
                    long rEnd = r.paddr + r.length;
                    long tEnd = t.paddr + t.length;
                    if (tEnd <= r.paddr || t.paddr >= rEnd) {
                        next.add(r);
                        continue;
                    }
                    if (r.paddr < t.paddr) {
                        next.add(new Run(r.paddr, r.fileOffset, t.paddr - r.paddr));
                    }
                    if (tEnd < rEnd) {
                        next.add(new Run(tEnd, r.fileOffset + (tEnd - r.paddr), rEnd - tEnd));
                    }
                }
                pending = next;
            }
            taken.addAll(pending);
        }
        taken.sort(Comparator.comparingLong(Run::paddr));
        return List.copyOf(taken);
    }

    /** Bytes covered by the runs. */
    long bytes() {
        long n = 0;
        for (long l : runLengths) {
            n += l;
        }
        return n;
    }

    /** File offset of physical address {@code paddr} if all {@code len} bytes lie in one run, else -1. */
    long fileOffset(long paddr, long len) {
        for (Run r : runs) {
            if (paddr >= r.paddr && paddr + len <= r.paddr + r.length) {
                return r.fileOffset + (paddr - r.paddr);
            }
        }
        return -1;
    }

    /**
     * XOR of the little-endian longs in {@code [off, off + len)} ({@code len} a multiple of 8): the
     * one inner loop that every benchmark uses to consume bytes.
     */
    static long xorLongs(MemorySegment seg, long off, long len) {
        long x = 0;
        long end = off + len;
        for (long p = off; p < end; p += 8) {
            x ^= seg.get(LONG, p);
        }
        return x;
    }

    /**
     * The expected XOR of all runs, computed with a private copy of the loop so that checking a
     * benchmark's result does not feed the JIT's profile of {@link #xorLongs} with other callers' types.
     */
    long checksum() {
        long x = 0;
        for (int i = 0; i < runOffsets.length; i++) {
            x ^= xorLongsCheck(file, runOffsets[i], runLengths[i]);
        }
        return x;
    }

    static long xorLongsCheck(MemorySegment seg, long off, long len) {
        long x = 0;
        long end = off + len;
        for (long p = off; p < end; p += 8) {
            x ^= seg.get(LONG, p);
        }
        return x;
    }

    @Override
    public void close() {
        arena.close();
    }
}
