package org.kdump4j.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.TruncatedDumpException;

/**
 * Fuzzes {@link PhysicalMemory#ofExtents} against a naive model: random extents (overlapping, zero-fill,
 * near 2^64, larger than 2^63) over a small file. For every byte address the first extent that stores it
 * decides its value, else it is zero when any extent's zero-fill covers it, else it is absent. Checked:
 * {@code read}, {@code isPresent}, {@code isPagePresent}, {@code presentPageCount}, {@code ranges},
 * {@code page} and {@code forEachPage} (order, uniqueness, contents).
 *
 * <p>Input encoding (so seeds can be written by hand, see {@link #decode}): byte 0 selects the page size
 * ({@code 1 << (b % 13)}), byte 1 the extent count ({@code b % 9}); each extent is a mode byte, the
 * physical address and memory size (8 bytes LE each), the file size and file offset (2 bytes LE each);
 * the rest of the input is the file.
 */
class PhysicalMemoryFuzz {
    private static final String NAME = "fuzz.mem";
    /** forEachPage is compared page by page only below this many bytes of pages. */
    private static final long WALK_BYTES = 256 << 10;

    /** One extent of the model; {@code truncated} when its stored bytes lie past the end of the file. */
    record Ext(long pa, long ms, long fo, long fs) {
        long last() {
            return pa + ms - 1;
        }
    }

    record Input(int pageSize, List<Ext> extents, byte[] file) {
    }

    static Input decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int pageSize = 1 << (Byte.toUnsignedInt(b.hasRemaining() ? b.get() : 12) % 13);
        int n = (b.hasRemaining() ? Byte.toUnsignedInt(b.get()) : 0) % 9;
        int[] modes = new int[n];
        long[][] raw = new long[n][4];
        for (int i = 0; i < n; i++) {
            modes[i] = b.hasRemaining() ? Byte.toUnsignedInt(b.get()) : 0;
            raw[i][0] = b.remaining() >= 8 ? b.getLong() : 0;
            raw[i][1] = b.remaining() >= 8 ? b.getLong() : 0;
            raw[i][2] = b.remaining() >= 2 ? Short.toUnsignedInt(b.getShort()) : 0;
            raw[i][3] = b.remaining() >= 2 ? Short.toUnsignedInt(b.getShort()) : 0;
        }
        byte[] file = Arrays.copyOfRange(data, b.position(), data.length);
        List<Ext> extents = new ArrayList<>();
        long prevPa = 0;
        for (int i = 0; i < n; i++) {
            int m = modes[i];
            long pa = switch (m & 3) {
                case 0 -> Long.remainderUnsigned(raw[i][0], 0x10000);
                case 1 -> -Long.remainderUnsigned(raw[i][0], 0x10000);
                case 2 -> raw[i][0];
                default -> prevPa + Long.remainderUnsigned(raw[i][0], 0x2000);
            };
            long ms = switch ((m >> 2) & 3) {
                case 0 -> Long.remainderUnsigned(raw[i][1], 0x4000);
                case 1 -> -pa - Long.remainderUnsigned(raw[i][1], 0x100);
                case 2 -> raw[i][1];
                default -> Long.remainderUnsigned(raw[i][1], 0x100);
            };
            if (ms != 0 && pa != 0 && Long.compareUnsigned(pa + ms - 1, pa) < 0) {
                ms = -pa; // up to the top of the address space, no wrap
            }
            long fsCap = Long.compareUnsigned(ms, file.length) < 0 ? ms : file.length;
            long fs = raw[i][2] % (fsCap + 1);
            long fo = (m & 0x20) != 0 ? raw[i][3] : raw[i][3] % (file.length - fs + 1);
            extents.add(new Ext(pa, ms, fo, fs));
            prevPa = pa;
        }
        return new Input(pageSize, extents, file);
    }

    @FuzzTest(maxDuration = "60s")
    void fuzz(byte[] data) throws IOException {
        Input in = decode(data);
        List<MemoryExtent> list = new ArrayList<>();
        boolean truncated = false;
        for (int i = 0; i < in.extents().size(); i++) {
            Ext e = in.extents().get(i);
            list.add(new MemoryExtent(e.pa(), e.ms(), e.fo(), e.fs(), "extent[" + i + "]"));
            truncated |= e.fs() > 0 && e.fo() + e.fs() > in.file().length;
        }
        PhysicalMemory mem;
        try {
            mem = PhysicalMemory.ofExtents(ByteSource.of(NAME, in.file()), list, in.pageSize());
        } catch (TruncatedDumpException e) {
            assertTrue(truncated, e::getMessage);
            assertTrue(e.getMessage().startsWith(NAME + ": ") && e.getMessage().contains("offset 0x"));
            return;
        }
        assertTrue(!truncated, "stored bytes past the end of the file were accepted");
        new Checker(in, mem).run();
    }

    /** The model and the checks. */
    static final class Checker {
        private final Input in;
        private final PhysicalMemory mem;
        private final int ps;
        private final int shift;
        private final List<Ext> live;
        /** The union of all extents: sorted, merged inclusive [first, last] pairs. */
        private final List<long[]> union;

        Checker(Input in, PhysicalMemory mem) {
            this.in = in;
            this.mem = mem;
            this.ps = in.pageSize();
            this.shift = Integer.numberOfTrailingZeros(ps);
            this.live = in.extents().stream().filter(e -> e.ms() != 0).toList();
            List<Ext> sorted = new ArrayList<>(live);
            sorted.sort(Comparator.comparing(Ext::pa, Long::compareUnsigned));
            List<long[]> u = new ArrayList<>();
            for (Ext e : sorted) {
                long[] cur = u.isEmpty() ? null : u.getLast();
                if (cur != null && cur[1] != -1L && Long.compareUnsigned(e.pa(), cur[1] + 1) <= 0) {
                    if (Long.compareUnsigned(e.last(), cur[1]) > 0) {
                        cur[1] = e.last();
                    }
                } else if (cur == null || cur[1] != -1L) {
                    u.add(new long[] {e.pa(), e.last()});
                }
            }
            this.union = u;
        }

        /** The model's byte at {@code a} (0..255), or -1 when absent. */
        int at(long a) {
            for (Ext e : in.extents()) {
                long d = a - e.pa();
                if (Long.compareUnsigned(d, e.fs()) < 0) {
                    return in.file()[(int) (e.fo() + d)] & 0xff;
                }
            }
            for (Ext e : live) {
                if (Long.compareUnsigned(a - e.pa(), e.ms()) < 0) {
                    return 0;
                }
            }
            return -1;
        }

        long maxPfn() {
            return -1L >>> shift;
        }

        boolean pagePresent(long pfn) {
            if (Long.compareUnsigned(pfn, maxPfn()) > 0) {
                return false;
            }
            long first = pfn << shift;
            long last = first + ps - 1;
            for (Ext e : live) {
                if (Long.compareUnsigned(e.pa(), last) <= 0 && Long.compareUnsigned(first, e.last()) <= 0) {
                    return true;
                }
            }
            return false;
        }

        BigInteger pageCount() {
            BigInteger count = BigInteger.ZERO;
            long lastCounted = 0;
            boolean any = false;
            for (long[] r : union) {
                long first = r[0] >>> shift;
                long last = r[1] >>> shift;
                if (any && first == lastCounted) {
                    if (first == last) {
                        continue;
                    }
                    first++;
                }
                count = count.add(BigInteger.valueOf(last - first).add(BigInteger.ONE)
                        .add(last - first < 0 ? BigInteger.ONE.shiftLeft(64) : BigInteger.ZERO));
                lastCounted = last;
                any = true;
            }
            return count;
        }

        void run() throws IOException {
            checkRanges();
            BigInteger pages = pageCount();
            if (pages.bitLength() <= 64) {
                assertEquals(pages.longValue(), mem.presentPageCount(), "presentPageCount");
            }
            TreeSet<Long> addrs = new TreeSet<>(Long::compareUnsigned);
            for (long a : new long[] {0, 1, -1L, -2L, Long.MIN_VALUE, Long.MAX_VALUE}) {
                addrs.add(a);
            }
            for (Ext e : in.extents()) {
                for (long base : new long[] {e.pa(), e.pa() + e.fs(), e.pa() + e.ms()}) {
                    for (long d = -2; d <= 1; d++) {
                        long a = base + d;
                        addrs.add(a);
                        addrs.add(a & -ps);
                        addrs.add(a | (ps - 1));
                    }
                }
            }
            int k = 0;
            for (long a : addrs) {
                assertEquals(at(a) >= 0, mem.isPresent(a), () -> "isPresent 0x" + Long.toHexString(a));
                checkRead(a, 1);
                checkRead(a, 9);
                if (k++ % 8 == 0) {
                    checkRead(a, Math.min(ps + 3, 300));
                }
            }
            TreeSet<Long> pfns = new TreeSet<>(Long::compareUnsigned);
            for (long a : addrs) {
                pfns.add(a >>> shift);
                pfns.add((a >>> shift) + 1);
            }
            pfns.add(-1L); // beyond the address space for every page size but 1
            pfns.add(maxPfn());
            int checkedPages = 0;
            for (long pfn : pfns) {
                boolean present = pagePresent(pfn);
                assertEquals(present, mem.isPagePresent(pfn), () -> "isPagePresent 0x" + Long.toHexString(pfn));
                if (checkedPages++ < 48) {
                    checkPage(pfn, present);
                }
            }
            if (pages.compareTo(BigInteger.valueOf(WALK_BYTES >> shift)) <= 0) {
                checkWalk(pages.longValue());
            }
        }

        private void checkRanges() {
            List<MemoryRange> got = mem.ranges();
            List<String> expected = new ArrayList<>();
            for (long[] r : union) {
                expected.add(Long.toHexString(r[0]) + "-" + Long.toHexString(r[1]));
            }
            List<String> actual = new ArrayList<>();
            for (MemoryRange r : got) {
                assertTrue(r.size() != 0, () -> "empty range " + r);
                actual.add(Long.toHexString(r.start()) + "-" + Long.toHexString(r.last()));
            }
            if (!union.isEmpty() && union.getFirst()[0] == 0 && union.getFirst()[1] == -1L) {
                // all 2^64 bytes: one MemoryRange cannot hold the size; accept a split at any point
                assertTrue(got.size() == 2 && got.get(0).start() == 0 && got.get(1).start() == got.get(0).end()
                        && got.get(1).last() == -1L, () -> "whole address space as " + got);
                return;
            }
            assertEquals(expected, actual, "ranges()");
        }

        private void checkRead(long a, int len) throws IOException {
            boolean wraps = Long.compareUnsigned(a + len - 1, a) < 0;
            Long missing = null;
            byte[] expected = new byte[len];
            for (int i = 0; i < len && !wraps; i++) {
                int v = at(a + i);
                if (v < 0) {
                    missing = a + i;
                    break;
                }
                expected[i] = (byte) v;
            }
            byte[] got = new byte[len];
            try {
                if ((len & 1) == 0) {
                    mem.read(a, MemorySegment.ofArray(got), 0, len);
                } else {
                    mem.read(a, got, 0, len);
                }
            } catch (MemoryNotPresentException e) {
                if (wraps) {
                    return;
                }
                if (missing == null) {
                    fail("read 0x" + Long.toHexString(a) + "+" + len + ": " + e.getMessage());
                }
                assertEquals(missing.longValue(), e.address(), e::getMessage);
                assertTrue(e.getMessage().startsWith(NAME + ": "));
                return;
            } catch (IllegalArgumentException e) {
                if (wraps) {
                    return;
                }
                throw e;
            }
            assertTrue(!wraps, () -> "read 0x" + Long.toHexString(a) + "+" + len + " wrapped past 2^64");
            assertEquals(null, missing, () -> "read 0x" + Long.toHexString(a) + "+" + len + " over a hole");
            assertArrayEquals(expected, got, () -> "bytes at 0x" + Long.toHexString(a));
        }

        /** The page's bytes: stored runs copied in reverse priority order (first extent wins), else zero. */
        private byte[] modelPage(long pfn) {
            byte[] b = new byte[ps];
            long first = pfn << shift;
            long last = first + ps - 1;
            List<Ext> all = in.extents();
            for (int k = all.size() - 1; k >= 0; k--) {
                Ext e = all.get(k);
                if (e.fs() == 0) {
                    continue;
                }
                long s = e.pa();
                long l = s + e.fs() - 1;
                if (Long.compareUnsigned(s, last) > 0 || Long.compareUnsigned(l, first) < 0) {
                    continue;
                }
                long from = Long.compareUnsigned(s, first) > 0 ? s : first;
                long to = Long.compareUnsigned(l, last) < 0 ? l : last;
                System.arraycopy(in.file(), (int) (e.fo() + (from - s)), b, (int) (from - first), (int) (to - from + 1));
            }
            return b;
        }

        private void checkPage(long pfn, boolean present) throws IOException {
            MemorySegment page;
            try {
                page = mem.page(pfn);
            } catch (MemoryNotPresentException e) {
                assertTrue(!present, () -> "page 0x" + Long.toHexString(pfn) + ": " + e.getMessage());
                return;
            } catch (IllegalArgumentException e) {
                assertTrue(Long.compareUnsigned(pfn, maxPfn()) > 0, e::toString);
                return;
            }
            assertTrue(present, () -> "page 0x" + Long.toHexString(pfn) + " is not present but page() answered");
            assertEquals(ps, page.byteSize());
            assertArrayEquals(modelPage(pfn), page.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                    () -> "page 0x" + Long.toHexString(pfn));
        }

        private void checkWalk(long pages) throws IOException {
            List<Long> seen = new ArrayList<>();
            mem.forEachPage((pfn, page) -> {
                if (!seen.isEmpty()) {
                    assertTrue(Long.compareUnsigned(seen.getLast(), pfn) < 0, "pfns strictly ascending");
                }
                seen.add(pfn);
                assertTrue(pagePresent(pfn), () -> "visited absent page 0x" + Long.toHexString(pfn));
                assertEquals(ps, page.byteSize());
                assertArrayEquals(modelPage(pfn), page.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                        () -> "walked page 0x" + Long.toHexString(pfn));
            });
            assertEquals(pages, seen.size(), "forEachPage visits every present page once");
        }
    }
}
