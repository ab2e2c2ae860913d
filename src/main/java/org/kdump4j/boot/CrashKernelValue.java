package org.kdump4j.boot;

/**
 * What the kernel's {@code parse_crashkernel()} hands to the reservation code for one machine: the
 * numbers that decide the crash region, before placement.
 *
 * @param size bytes of the main crash region (never 0)
 * @param base requested start address; 0 means "the kernel chooses" (there is no way to ask for address 0)
 * @param lowSize bytes of the additional low region when the main one is placed high
 *     ({@code ,low} or the architecture's default); 0 for the plain form
 * @param high whether the {@code crashkernel=X,high} form was used (the main region is tried above the low limit first)
 * @param cmaSize bytes of the {@code crashkernel=Z,cma} CMA reservation (Linux 6.17+), 0 if none
 */
public record CrashKernelValue(long size, long base, long lowSize, boolean high, long cmaSize) {

    /** Checks that the size is not 0 (the kernel never reserves a 0-byte region). */
    public CrashKernelValue {
        if (size == 0) {
            throw new IllegalArgumentException("size must not be 0");
        }
    }

    /** Whether the caller asked for a fixed start address ({@code @offset} with a non-zero offset). */
    public boolean fixedBase() {
        return base != 0;
    }
}
