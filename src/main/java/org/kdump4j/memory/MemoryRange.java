package org.kdump4j.memory;

/**
 * A range of physical addresses {@code [start, start + size)}; both unsigned 64-bit values.
 *
 * @param start the first address
 * @param size the number of bytes (may be 0)
 */
public record MemoryRange(long start, long size) implements Comparable<MemoryRange> {

    /** Rejects ranges that wrap past the top of the 64-bit address space. */
    public MemoryRange {
        if (size != 0 && Long.compareUnsigned(start + size - 1, start) < 0) {
            throw new IllegalArgumentException("range wraps: start 0x" + Long.toHexString(start) + " size 0x"
                    + Long.toHexString(size));
        }
    }

    /** A range from inclusive {@code first} to inclusive {@code last}, as {@code /proc/iomem} prints them. */
    public static MemoryRange ofInclusive(long first, long last) {
        if (Long.compareUnsigned(last, first) < 0) {
            throw new IllegalArgumentException("last < first");
        }
        return new MemoryRange(first, last - first + 1);
    }

    /** The first address after the range (0 when it ends at the top of the address space). */
    public long end() {
        return start + size;
    }

    /** The last address in the range (meaningless for an empty range). */
    public long last() {
        return start + size - 1;
    }

    /** Whether {@code address} lies in the range. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address - start, size) < 0;
    }

    @Override
    public int compareTo(MemoryRange o) {
        int c = Long.compareUnsigned(start, o.start);
        return c != 0 ? c : Long.compareUnsigned(size, o.size);
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(start) + "-0x" + Long.toHexString(start + size) + ")";
    }
}
