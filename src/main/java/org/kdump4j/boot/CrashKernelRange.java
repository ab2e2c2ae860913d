package org.kdump4j.boot;

import java.util.OptionalLong;

/**
 * One entry {@code start-[end]:size} of the {@code crashkernel=} range syntax: "if the RAM size is in
 * [start, end), reserve size".
 *
 * @param start inclusive lower bound of the RAM size (unsigned)
 * @param end exclusive upper bound, empty for an open end ({@code 2G-:128M})
 * @param size bytes to reserve when the entry matches (unsigned)
 */
public record CrashKernelRange(long start, OptionalLong end, long size) {

    /** Checks that a given end is above the start, as the kernel requires. */
    public CrashKernelRange {
        if (end.isPresent() && Long.compareUnsigned(end.getAsLong(), start) <= 0) {
            throw new IllegalArgumentException("end " + Long.toUnsignedString(end.getAsLong())
                    + " must be above start " + Long.toUnsignedString(start));
        }
    }

    /** Whether the entry matches the (already rounded) RAM size: start inclusive, end exclusive. */
    public boolean contains(long ram) {
        return Long.compareUnsigned(ram, start) >= 0
                && (end.isEmpty() || Long.compareUnsigned(ram, end.getAsLong()) < 0);
    }

    /** The canonical text, e.g. {@code 512M-2G:64M} or {@code 2G-:128M}. */
    @Override
    public String toString() {
        return MemorySize.format(start) + "-" + (end.isPresent() ? MemorySize.format(end.getAsLong()) : "")
                + ":" + MemorySize.format(size);
    }
}
