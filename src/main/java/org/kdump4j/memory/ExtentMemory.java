package org.kdump4j.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.TruncatedDumpException;

/**
 * {@link PhysicalMemory} over file extents: the extents are resolved once into sorted, disjoint pieces
 * (each either stored in the file or zero-fill), looked up by binary search.
 */
final class ExtentMemory implements PhysicalMemory {
    private static final long ZERO_FILL = -1;

    private final ByteSource source;
    private final int pageSize;
    private final int pageShift;
    /** Piece i covers [starts[i], lasts[i]] (inclusive, unsigned); offsets[i] is its file offset or ZERO_FILL. */
    private final long[] starts;
    private final long[] lasts;
    private final long[] offsets;
    private final long presentPages;
    private final List<MemoryRange> ranges;
    /** The shared read-only zero page, made on first use (a memory segment is costly right after JVM start). */
    private volatile MemorySegment zeroPage;
    /**
     * Whether pages made here (zero pages, assembled pages) live off-heap: true for mapped sources, so
     * that every page a caller sees is of one kind (native, like the mapped views). A consumer loop
     * that sees both heap and native segments gets compiled for "either base" by C2, which made the
     * full scan several times slower (see docs/BENCHMARKS.md).
     */
    private final boolean nativePages;

    private ExtentMemory(ByteSource source, int pageSize, long[] starts, long[] lasts, long[] offsets) {
        this.source = source;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.starts = starts;
        this.lasts = lasts;
        this.offsets = offsets;
        this.nativePages = source.isMapped();
        this.ranges = mergeRanges();
        this.presentPages = countPages();
    }

    static ExtentMemory build(ByteSource source, List<MemoryExtent> extents, int pageSize) throws IOException {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two: " + pageSize);
        }
        TreeMap<Long, long[]> pieces = new TreeMap<>(Long::compareUnsigned);
        for (MemoryExtent e : extents) {
            if (e.fileSize() != 0 && (e.fileOffset() < 0 || e.fileOffset() > source.size()
                    || Long.compareUnsigned(e.fileSize(), source.size() - e.fileOffset()) > 0)) {
                throw new TruncatedDumpException(source.name(), e.fileOffset(), e.fileSize(), source.size(),
                        e.origin() + " data");
            }
        }
        // stored bytes first (they win over zero-fill), each pass in priority order
        for (MemoryExtent e : extents) {
            if (e.fileSize() != 0) {
                fillGaps(pieces, e.physicalAddress(), e.physicalAddress() + e.fileSize() - 1, e.fileOffset());
            }
        }
        for (MemoryExtent e : extents) {
            if (Long.compareUnsigned(e.memorySize(), e.fileSize()) > 0) {
                fillGaps(pieces, e.physicalAddress() + e.fileSize(), e.physicalAddress() + e.memorySize() - 1,
                        ZERO_FILL);
            }
        }
        int n = pieces.size();
        long[] starts = new long[n];
        long[] lasts = new long[n];
        long[] offsets = new long[n];
        int i = 0;
        for (Map.Entry<Long, long[]> p : pieces.entrySet()) {
            starts[i] = p.getKey();
            lasts[i] = p.getValue()[0];
            offsets[i] = p.getValue()[1];
            i++;
        }
        return new ExtentMemory(source, pageSize, starts, lasts, offsets);
    }

    /** Adds [first, last] where no piece exists yet; value = {last, fileOffset of first or ZERO_FILL}. */
    private static void fillGaps(TreeMap<Long, long[]> pieces, long first, long last, long fileOffset) {
        long pos = first;
        while (true) {
            Map.Entry<Long, long[]> floor = pieces.floorEntry(pos);
            if (floor != null && Long.compareUnsigned(floor.getValue()[0], pos) >= 0) {
                long covered = floor.getValue()[0];
                if (Long.compareUnsigned(covered, last) >= 0) {
                    return;
                }
                pos = covered + 1;
                continue;
            }
            Map.Entry<Long, long[]> next = pieces.higherEntry(pos);
            long gapLast = next == null || Long.compareUnsigned(next.getKey(), last) > 0 ? last : next.getKey() - 1;
            long off = fileOffset == ZERO_FILL ? ZERO_FILL : fileOffset + (pos - first);
            pieces.put(pos, new long[] {gapLast, off});
            if (gapLast == last) {
                return;
            }
            pos = gapLast + 1;
        }
    }

    private List<MemoryRange> mergeRanges() {
        List<MemoryRange> out = new ArrayList<>();
        int i = 0;
        while (i < starts.length) {
            long s = starts[i];
            long l = lasts[i];
            while (i + 1 < starts.length && starts[i + 1] == l + 1 && !(s == 0 && lasts[i + 1] == -1L)) {
                l = lasts[++i];
            }
            out.add(MemoryRange.ofInclusive(s, l));
            i++;
        }
        return List.copyOf(out);
    }

    private long countPages() {
        long count = 0;
        long lastCounted = -1;
        boolean any = false;
        for (int i = 0; i < starts.length; i++) {
            long first = starts[i] >>> pageShift;
            long last = lasts[i] >>> pageShift;
            if (any && Long.compareUnsigned(first, lastCounted) <= 0) {
                first = lastCounted + 1;
            }
            if (Long.compareUnsigned(first, last) <= 0) {
                count += last - first + 1;
                lastCounted = last;
                any = true;
            }
        }
        return count;
    }

    /** Index of the last piece whose start is <= address (unsigned), or -1. */
    private int floor(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private int pieceAt(long address) {
        int i = floor(address);
        return i >= 0 && Long.compareUnsigned(lasts[i], address) >= 0 ? i : -1;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public List<MemoryRange> ranges() {
        return ranges;
    }

    @Override
    public boolean isPresent(long address) {
        return pieceAt(address) >= 0;
    }

    @Override
    public boolean isPagePresent(long pfn) {
        if (!validPfn(pfn)) {
            return false;
        }
        long first = pfn << pageShift;
        int i = floor(first + pageSize - 1);
        return i >= 0 && Long.compareUnsigned(lasts[i], first) >= 0;
    }

    /** Whether page {@code pfn} lies inside the 64-bit address space. */
    private boolean validPfn(long pfn) {
        return pageShift == 0 || pfn >>> (64 - pageShift) == 0;
    }

    @Override
    public long presentPageCount() {
        return presentPages;
    }

    @Override
    public void read(long address, byte[] dst, int dstOffset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
        // the same walk as for a segment, kept on arrays: small reads (page tables, kernel structures)
        // right after JVM start are much cheaper without wrapping the array in a segment
        checkNoWrap(address, length);
        int done = 0;
        while (done < length) {
            long a = address + done;
            int i = pieceFor(a);
            int n = (int) runLength(i, a, length - done);
            if (offsets[i] == ZERO_FILL) {
                java.util.Arrays.fill(dst, dstOffset + done, dstOffset + done + n, (byte) 0);
            } else {
                source.read(offsets[i] + (a - starts[i]), dst, dstOffset + done, n);
            }
            done += n;
        }
    }

    @Override
    public void read(long address, MemorySegment dst, long dstOffset, long length) throws IOException {
        checkNoWrap(address, length);
        long done = 0;
        while (done < length) {
            long a = address + done;
            int i = pieceFor(a);
            long n = runLength(i, a, length - done);
            if (offsets[i] == ZERO_FILL) {
                dst.asSlice(dstOffset + done, n).fill((byte) 0);
            } else {
                source.read(offsets[i] + (a - starts[i]), dst, dstOffset + done, n);
            }
            done += n;
        }
    }

    private static void checkNoWrap(long address, long length) {
        if (length > 0 && Long.compareUnsigned(address + length - 1, address) < 0) {
            throw new IllegalArgumentException("read of 0x" + Long.toHexString(length) + " bytes at 0x"
                    + Long.toHexString(address) + " wraps past the top of the 64-bit address space");
        }
    }

    /** The piece holding address {@code a}. */
    private int pieceFor(long a) throws MemoryNotPresentException {
        int i = pieceAt(a);
        if (i < 0) {
            throw new MemoryNotPresentException(source.name(), a, "not in any stored range");
        }
        return i;
    }

    /** How many of {@code wanted} bytes from {@code a} on piece {@code i} holds. */
    private long runLength(int i, long a, long wanted) {
        long inPiece = lasts[i] - a + 1; // unsigned; 0 means 2^64
        return inPiece != 0 && Long.compareUnsigned(inPiece, wanted) < 0 ? inPiece : wanted;
    }

    @Override
    public MemorySegment page(long pfn) throws IOException {
        if (!validPfn(pfn)) {
            throw new MemoryNotPresentException(source.name(), pfn << pageShift, "page frame 0x"
                    + Long.toHexString(pfn) + " lies beyond the 64-bit address space");
        }
        long first = pfn << pageShift;
        long last = first + pageSize - 1;
        int i = pieceAt(first);
        if (i >= 0 && Long.compareUnsigned(lasts[i], last) >= 0) {
            return offsets[i] == ZERO_FILL ? zeroPage() : source.slice(offsets[i] + (first - starts[i]), pageSize);
        }
        return assemble(pfn, first, last);
    }

    private MemorySegment zeroPage() {
        MemorySegment z = zeroPage;
        if (z == null) {
            z = newPage().asReadOnly();
            zeroPage = z; // a benign race: every thread gets an equal zero page
        }
        return z;
    }

    /** A zeroed page: off-heap (freed by the GC) for mapped sources, else on the heap. */
    private MemorySegment newPage() {
        return nativePages ? Arena.ofAuto().allocate(pageSize, 8) : MemorySegment.ofArray(new byte[pageSize]);
    }

    /** Builds a page that several pieces (or holes) share; missing bytes stay zero. */
    private MemorySegment assemble(long pfn, long first, long last) throws IOException {
        int i = floor(first);
        if (i < 0 || Long.compareUnsigned(lasts[i], first) < 0) {
            i++;
        }
        MemorySegment page = null;
        for (; i < starts.length && Long.compareUnsigned(starts[i], last) <= 0; i++) {
            long s = Long.compareUnsigned(starts[i], first) > 0 ? starts[i] : first;
            long e = Long.compareUnsigned(lasts[i], last) < 0 ? lasts[i] : last;
            if (page == null) {
                page = newPage();
            }
            if (offsets[i] != ZERO_FILL) {
                source.read(offsets[i] + (s - starts[i]), page, s - first, e - s + 1);
            }
        }
        if (page == null) {
            throw new MemoryNotPresentException(source.name(), first, "page 0x" + Long.toHexString(pfn)
                    + " has no stored byte");
        }
        return page.asReadOnly();
    }

    @Override
    public void forEachPage(PageVisitor visitor) throws IOException {
        walk(visitor, false);
    }

    @Override
    public void forEachStoredPage(PageVisitor visitor) throws IOException {
        walk(visitor, true);
    }

    /**
     * Visits pages in ascending order, each once (by the first piece that reaches it). With
     * {@code skipZeroFill}, pages lying wholly inside a zero-fill piece are skipped, so a hostile
     * {@code p_memsz} of 2^63 costs nothing.
     */
    private void walk(PageVisitor visitor, boolean skipZeroFill) throws IOException {
        long nextPfn = 0;
        boolean started = false;
        for (int i = 0; i < starts.length; i++) {
            long pfn = starts[i] >>> pageShift;
            long lastPfn = lasts[i] >>> pageShift;
            if (started && Long.compareUnsigned(pfn, nextPfn) < 0) {
                pfn = nextPfn;
            }
            for (; Long.compareUnsigned(pfn, lastPfn) <= 0; pfn++) {
                long first = pfn << pageShift;
                long last = first + pageSize - 1;
                boolean inside = Long.compareUnsigned(first, starts[i]) >= 0 && Long.compareUnsigned(last, lasts[i]) <= 0;
                if (skipZeroFill && inside && offsets[i] == ZERO_FILL) {
                    // jump to the piece's last page: only a partial last page can hold other pieces' bytes
                    if (pfn == lastPfn) {
                        break;
                    }
                    pfn = lastPfn - 1;
                    continue;
                }
                MemorySegment page;
                if (inside) {
                    page = offsets[i] == ZERO_FILL ? zeroPage()
                            : source.slice(offsets[i] + (first - starts[i]), pageSize);
                } else {
                    page = assemble(pfn, first, last);
                }
                visitor.visit(pfn, page);
                if (pfn == -1L) {
                    return;
                }
            }
            nextPfn = lastPfn + 1;
            started = true;
        }
    }

    @Override
    public String toString() {
        return "PhysicalMemory[" + source.name() + ", " + ranges.size() + " ranges, " + presentPages + " pages]";
    }
}
