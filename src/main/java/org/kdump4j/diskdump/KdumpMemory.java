package org.kdump4j.diskdump;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PageVisitor;
import org.kdump4j.memory.PhysicalMemory;

/**
 * The physical memory of a {@link KdumpFile}, one page frame per block: present pages decode on demand
 * (through the file's bounded page cache), every other page is either an error that says why
 * ({@link PageStatus}: excluded, lost, outside, corrupt) or, when the caller asked for it with
 * {@link #withZeroFill}, zeros.
 *
 * <p>Strict by default: {@link #ranges()} are the runs of present pages, and reading anything else
 * throws {@link MemoryNotPresentException} whose cause is a {@link PageUnavailableException} carrying
 * the status; a page whose data fails to decode throws {@link PageUnavailableException} with
 * {@link PageStatus#CORRUPT}. Safe for concurrent readers.
 */
public final class KdumpMemory implements PhysicalMemory {
    private static final Set<PageStatus> FILLABLE = EnumSet.of(PageStatus.EXCLUDED, PageStatus.LOST,
            PageStatus.CORRUPT);
    /** The shortest read that {@link #withDecodeThreads} spreads over threads. */
    private static final long PARALLEL_READ_MIN = 1L << 20;

    private final KdumpFile file;
    private final Set<PageStatus> zeroFill;
    private final Bitmap visible;
    private final Bitmap present;
    private final int pageSize;
    private final int shift;
    private final List<MemoryRange> ranges;
    private final MemorySegment zeroPage;
    private final int decodeThreads;
    /** Whether whole-dump work runs on {@link #decodeThreads} threads: more than one, and a codec to run. */
    private final boolean parallel;

    KdumpMemory(KdumpFile file, Set<PageStatus> zeroFill, int decodeThreads) {
        this.file = file;
        this.decodeThreads = decodeThreads;
        this.parallel = decodeThreads > 1 && !file.header().requestedCompressions().isEmpty();
        this.zeroFill = zeroFill.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(zeroFill));
        this.present = file.present();
        this.pageSize = file.blockSize();
        this.shift = Integer.numberOfTrailingZeros(pageSize);
        this.visible = visible(file, this.zeroFill);
        this.ranges = runs(visible, shift);
        this.zeroPage = MemorySegment.ofArray(new byte[pageSize]).asReadOnly();
    }

    private static Bitmap visible(KdumpFile file, Set<PageStatus> zeroFill) {
        if (!zeroFill.contains(PageStatus.EXCLUDED) && !(zeroFill.contains(PageStatus.LOST) && file.lost() != null)) {
            return file.present();
        }
        long[] w = file.present().words();
        if (zeroFill.contains(PageStatus.EXCLUDED)) {
            long[] ram = file.ram().words();
            long[] dump = file.dumpable().words();
            for (int i = 0; i < w.length; i++) {
                w[i] |= ram[i] & ~dump[i];
            }
        }
        if (zeroFill.contains(PageStatus.LOST) && file.lost() != null) {
            long[] lost = file.lost().words();
            for (int i = 0; i < w.length; i++) {
                w[i] |= lost[i];
            }
        }
        return Bitmap.of(w, file.present().size());
    }

    private static List<MemoryRange> runs(Bitmap b, int shift) {
        List<MemoryRange> out = new ArrayList<>();
        for (long s = b.nextSetBit(0); s >= 0; ) {
            long e = b.nextClearBit(s);
            out.add(new MemoryRange(s << shift, (e - s) << shift));
            s = b.nextSetBit(e);
        }
        return List.copyOf(out);
    }

    /**
     * A view of the same dump in which pages of the given statuses read as zeros (and, for excluded and
     * lost pages, count as present). Allowed: {@link PageStatus#EXCLUDED}, {@link PageStatus#LOST},
     * {@link PageStatus#CORRUPT}; an empty set is the strict view.
     *
     * @throws IllegalArgumentException for {@link PageStatus#PRESENT} or {@link PageStatus#OUTSIDE}
     */
    public KdumpMemory withZeroFill(Set<PageStatus> statuses) {
        Objects.requireNonNull(statuses, "statuses");
        for (PageStatus s : statuses) {
            if (!FILLABLE.contains(s)) {
                throw new IllegalArgumentException("only excluded, lost and corrupt pages can be zero-filled: " + s);
            }
        }
        return statuses.equals(zeroFill) ? this : new KdumpMemory(file, statuses, decodeThreads);
    }

    /**
     * A view of the same dump that decodes pages on {@code threads} threads, the calling thread and
     * {@code threads - 1} workers, for whole-dump work: {@link #forEachPage} and reads of at least 1 MiB.
     * Nothing else changes: the visitor is still called on the calling thread, one page at a time in
     * ascending page-frame order, and walks and reads give the same bytes and the same error at the same
     * page as with one thread. At most {@code 2 × threads} batches of about 256 KiB are decoded ahead, so
     * memory use stays bounded. 1 (the default) decodes on the calling thread alone, and so does a dump whose
     * header names no compression (its pages need no decoding; the threads would only add hand-overs).
     *
     * @param threads the number of decoding threads, 1 to {@link PhysicalMemory#MAX_DECODE_THREADS}
     * @throws IllegalArgumentException if {@code threads} is outside that
     */
    @Override
    public KdumpMemory withDecodeThreads(int threads) {
        PhysicalMemory.checkDecodeThreads(threads);
        return threads == decodeThreads ? this : new KdumpMemory(file, zeroFill, threads);
    }

    /** The number of threads {@link #forEachPage} decodes on (1: the calling thread). */
    public int decodeThreads() {
        return decodeThreads;
    }

    /** The statuses this view reads as zeros (empty for the strict view). */
    public Set<PageStatus> zeroFill() {
        return zeroFill;
    }

    /** The dump. */
    public KdumpFile file() {
        return file;
    }

    /** The status of page frame {@code pfn} (see {@link KdumpFile#status}). */
    public PageStatus status(long pfn) throws IOException {
        return file.status(pfn);
    }

    @Override
    public String name() {
        return file.name();
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
        return visible.get(address >>> shift);
    }

    @Override
    public boolean isPagePresent(long pfn) {
        return visible.get(pfn);
    }

    @Override
    public long presentPageCount() {
        return visible.cardinality();
    }

    @Override
    public void read(long address, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        read(address, MemorySegment.ofArray(dst), dstOffset, length);
    }

    /**
     * {@inheritDoc}
     *
     * <p>With {@link #withDecodeThreads} above 1, a read of at least 1 MiB decodes its pages on that many
     * threads (the bytes, and the error for the first page that cannot be read, are the same).
     */
    @Override
    public void read(long address, MemorySegment dst, long dstOffset, long length) throws IOException {
        long last = address + length - 1;
        if (parallel && length >= PARALLEL_READ_MIN && Long.compareUnsigned(last, address) > 0) {
            Objects.checkFromIndexSize(dstOffset, length, dst.byteSize());
            long[] copied = {0};
            ParallelPageWalk.frames(this, visible, address >>> shift, (last >>> shift) + 1, address)
                    .run((pfn, page) -> {
                        long a = address + copied[0];
                        int inPage = (int) (a & (pageSize - 1));
                        long n = Math.min(length - copied[0], pageSize - inPage);
                        MemorySegment.copy(page, inPage, dst, dstOffset + copied[0], n);
                        copied[0] += n;
                    });
            return;
        }
        long done = 0;
        while (done < length) {
            long a = address + done;
            long pfn = a >>> shift;
            int inPage = (int) (a & (pageSize - 1));
            long n = Math.min(length - done, pageSize - inPage);
            MemorySegment page = page(pfn, a);
            MemorySegment.copy(page, inPage, dst, dstOffset + done, n);
            done += n;
        }
    }

    @Override
    public MemorySegment page(long pfn) throws IOException {
        return page(pfn, pfn << shift);
    }

    private MemorySegment page(long pfn, long address) throws IOException {
        if (!visible.get(pfn)) {
            throw notPresent(pfn, address);
        }
        if (!present.get(pfn)) {
            return zeroPage;
        }
        PageCache cache = file.cache();
        byte[] cached = cache.get(pfn);
        if (cached != null) {
            return MemorySegment.ofArray(cached).asReadOnly();
        }
        byte[] out = new byte[pageSize];
        MemorySegment seg;
        try {
            seg = file.load(pfn, out, true);
        } catch (PageUnavailableException e) {
            return unavailable(e, address);
        }
        if (seg.heapBase().orElse(null) == out) {
            cache.put(pfn, out);
        }
        return seg.asReadOnly();
    }

    /** What a page that failed to load reads as in this view: zeros, or the error (thrown). */
    MemorySegment unavailable(PageUnavailableException e, long address) throws IOException {
        if (zeroFill.contains(e.status())) {
            return zeroPage;
        }
        if (e.status() == PageStatus.CORRUPT) {
            throw e;
        }
        MemoryNotPresentException m = new MemoryNotPresentException(file.name(), address, e.getMessage());
        m.initCause(e);
        throw m;
    }

    /** The error for reading frame {@code pfn}, which this view does not show, at {@code address}. */
    MemoryNotPresentException notPresent(long pfn, long address) throws IOException {
        KdumpFile.Descriptor d = new KdumpFile.Descriptor();
        file.locate(pfn, d);
        PageStatus status = d.status == PageStatus.PRESENT ? PageStatus.LOST : d.status;
        PageUnavailableException cause = new PageUnavailableException(file.name(), pfn, status, d.detail, null);
        MemoryNotPresentException m = new MemoryNotPresentException(file.name(), address, "page 0x"
                + Long.toHexString(pfn) + " is " + status.description() + (d.detail.isEmpty() ? "" : ": " + d.detail));
        m.initCause(cause);
        return m;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every page handed out lives off-heap (raw pages are views of the mapped file; decoded, cached
     * and zero pages are copied into one native page buffer): a consumer loop that saw heap and native
     * segments mixed would be compiled for both and run several times slower.
     */
    @Override
    public void forEachPage(PageVisitor visitor) throws IOException {
        if (parallel) {
            ParallelPageWalk.visiblePages(this, visible).run(visitor);
            return;
        }
        byte[] buf = new byte[pageSize];
        MemorySegment bufHeap = MemorySegment.ofArray(buf);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(pageSize, 8);
            MemorySegment pageView = page.asReadOnly();
            MemorySegment zeros = arena.allocate(pageSize, 8).asReadOnly();
            for (long pfn = visible.nextSetBit(0); pfn >= 0; ) {
                long runEnd = visible.nextClearBit(pfn);
                for (; pfn < runEnd; pfn++) {
                    MemorySegment seg;
                    try {
                        seg = walkPage(pfn, buf, bufHeap, page, pageView, zeros);
                    } catch (PageUnavailableException e) {
                        unavailable(e, pfn << shift); // zeros if this view fills them, else it throws
                        seg = zeros;
                    }
                    visitor.visit(pfn, seg);
                }
                pfn = visible.nextSetBit(runEnd);
            }
        }
    }

    /**
     * One page of a walk over the pages this view shows: {@code zeros} for a page shown but not stored, a
     * read-only view of the mapped file for a page stored raw, else the page's bytes (cached, or decoded
     * through {@code buf}, whose segment is {@code bufHeap}) copied into the native {@code slot}, returning
     * {@code slotView}. Walks hand out off-heap pages only (see {@link #forEachPage}).
     *
     * @throws PageUnavailableException if the page fails to load (the walk decides: zeros or the error)
     */
    MemorySegment walkPage(long pfn, byte[] buf, MemorySegment bufHeap, MemorySegment slot, MemorySegment slotView,
            MemorySegment zeros) throws IOException {
        if (!present.get(pfn)) {
            return zeros;
        }
        byte[] cached = file.cache().get(pfn);
        if (cached != null) {
            MemorySegment.copy(MemorySegment.ofArray(cached), 0, slot, 0, pageSize);
            return slotView;
        }
        MemorySegment seg = file.load(pfn, buf, true);
        if (seg.heapBase().orElse(null) == buf) {
            MemorySegment.copy(bufHeap, 0, slot, 0, pageSize);
            return slotView;
        }
        return seg.asReadOnly();
    }

    @Override
    public String toString() {
        return "KdumpMemory[" + file.name() + ", " + ranges.size() + " ranges, " + visible.cardinality() + " pages"
                + (zeroFill.isEmpty() ? "" : ", zero-fill " + zeroFill) + "]";
    }
}
