package org.kdump4j.memory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import org.kdump4j.io.ByteSource;

/**
 * The page-ordered physical memory of a dump, whatever its file format: sorted, non-overlapping
 * ranges, reads that cross segment boundaries, zeros where the format says memory is zero, and an
 * error (never garbage) where the dump holds nothing.
 *
 * <p>Byte-exact reads ({@link #read}) fail on any byte that is not present. Page-granular access
 * ({@link #page}, {@link #forEachPage}) treats a page as present when at least one of its bytes is, and
 * reads the bytes the dump does not hold as zero, as makedumpfile and the {@code digest} command do.
 * Implementations are safe for concurrent readers.
 */
public interface PhysicalMemory {
    /** The most threads {@link #withDecodeThreads} accepts. */
    int MAX_DECODE_THREADS = 256;

    /**
     * Physical memory from file extents (ELF {@code PT_LOAD}s, raw image ranges).
     *
     * <p>Overlap rule: where extents overlap, bytes stored in the file win over zero-fill, and among
     * equals the extent listed first wins (program-header order, as makedumpfile and vmcore-dmesg do).
     * Extents with a memory size of 0 are ignored.
     *
     * @param source the file holding the bytes
     * @param extents the extents in priority order
     * @param pageSize the page size (a power of two)
     * @throws IOException if an extent's stored bytes lie outside the file
     */
    static PhysicalMemory ofExtents(ByteSource source, List<MemoryExtent> extents, int pageSize) throws IOException {
        return ExtentMemory.build(source, extents, pageSize);
    }

    /** The name of the dump, for messages. */
    String name();

    /** The page size in bytes (a power of two). */
    int pageSize();

    /** The present physical ranges, sorted and merged (adjacent ranges joined). */
    List<MemoryRange> ranges();

    /** Whether the byte at {@code address} is present. */
    boolean isPresent(long address);

    /** Whether at least one byte of page {@code pfn} is present. */
    boolean isPagePresent(long pfn);

    /** The number of present pages. */
    long presentPageCount();

    /**
     * Reads bytes; every byte must be present.
     *
     * @throws MemoryNotPresentException naming the first missing address
     * @throws IllegalArgumentException if the range wraps past the top of the 64-bit address space
     */
    void read(long address, byte[] dst, int dstOffset, int length) throws IOException;

    /**
     * Reads bytes into a segment; every byte must be present.
     *
     * @throws MemoryNotPresentException naming the first missing address
     * @throws IllegalArgumentException if the range wraps past the top of the 64-bit address space
     */
    void read(long address, MemorySegment dst, long dstOffset, long length) throws IOException;

    /** Reads an unsigned 32-bit or 64-bit word of {@code size} bytes (1, 2, 4 or 8) in {@code order}. */
    default long readWord(long address, int size, ByteOrder order) throws IOException {
        byte[] b = new byte[size];
        read(address, b, 0, size);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(order);
        return switch (size) {
            case 1 -> b[0] & 0xffL;
            case 2 -> bb.getShort() & 0xffffL;
            case 4 -> bb.getInt() & 0xffffffffL;
            case 8 -> bb.getLong();
            default -> throw new IllegalArgumentException("word size must be 1, 2, 4 or 8: " + size);
        };
    }

    /**
     * One page's bytes: a zero-copy view where the page lies in one mapped stretch of the file, else a
     * copy with the bytes the dump does not hold read as zero.
     *
     * @throws MemoryNotPresentException if no byte of the page is present
     */
    MemorySegment page(long pfn) throws IOException;

    /** Visits every present page in ascending page-frame order. */
    void forEachPage(PageVisitor visitor) throws IOException;

    /**
     * A view of the same memory that may decode pages on up to {@code threads} threads for whole-memory
     * work ({@link #forEachPage}, {@link #forEachStoredPage}, large reads), where the format compresses
     * pages (kdump-compressed and flattened dumps); the bytes, their order, the visitor's thread and the
     * errors stay the same. Formats that store pages as they are return this view. Default: 1.
     *
     * @param threads the number of decoding threads, 1 to {@link #MAX_DECODE_THREADS}
     * @throws IllegalArgumentException if {@code threads} is outside that
     */
    default PhysicalMemory withDecodeThreads(int threads) {
        checkDecodeThreads(threads);
        return this;
    }

    /**
     * Checks a decoding thread count (1 to {@link #MAX_DECODE_THREADS}) and returns it.
     *
     * @throws IllegalArgumentException if it is outside that
     */
    static int checkDecodeThreads(int threads) {
        if (threads < 1 || threads > MAX_DECODE_THREADS) {
            throw new IllegalArgumentException("decode threads must be 1 to " + MAX_DECODE_THREADS + ": " + threads);
        }
        return threads;
    }

    /**
     * Visits, in ascending page-frame order, every present page that may hold a non-zero byte: pages the
     * format knows to be all zero (an ELF segment's zero-fill past {@code p_filesz}) may be skipped. For
     * whole-memory work that ignores zero pages (digests, scans for a signature), this bounds the time a
     * hostile memory size can cost. The default visits every present page.
     */
    default void forEachStoredPage(PageVisitor visitor) throws IOException {
        forEachPage(visitor);
    }
}
