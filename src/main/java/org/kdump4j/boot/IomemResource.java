package org.kdump4j.boot;

import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/iomem}: a named physical address range and the ranges nested in it, because
 * kdump tools find RAM, the crash region and the kernel image through these names.
 *
 * @param start first address (unsigned)
 * @param end last address, <em>inclusive</em> as the kernel prints it (unsigned)
 * @param name the resource name, e.g. {@code System RAM}, {@code Crash kernel}, {@code Kernel code}
 * @param children the resources printed nested one level deeper, in order
 */
public record IomemResource(long start, long end, String name, List<IomemResource> children) {

    /** Copies the children. */
    public IomemResource {
        Objects.requireNonNull(name, "name");
        children = List.copyOf(children);
    }

    /**
     * The number of bytes, {@code end - start + 1}, wrapped to 64 bits (so the whole 64-bit space
     * reads as 0, and an empty resource printed with {@code end = start - 1} as 0 too).
     */
    public long size() {
        return end - start + 1;
    }

    /** Whether {@code address} is in {@code [start, end]} (unsigned). */
    public boolean contains(long address) {
        return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) <= 0;
    }

    /** The line as the kernel prints it at depth 0, e.g. {@code 00100000-bffdffff : System RAM}. */
    @Override
    public String toString() {
        return Iomem.hex(start) + "-" + Iomem.hex(end) + " : " + name;
    }
}
