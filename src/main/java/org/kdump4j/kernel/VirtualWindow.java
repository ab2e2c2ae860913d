package org.kdump4j.kernel;

import java.io.IOException;
import java.util.Arrays;

/**
 * Reads small pieces of one stretch of kernel virtual memory (a ring of log descriptors, a text ring)
 * through a window over it: a walk over consecutive entries then translates and copies once per window
 * instead of once per entry, which matters most right after JVM start, when every call runs
 * interpreted.
 *
 * <p>The result is exactly what reading each piece on its own gives: when a window cannot be read as a
 * whole (a page of it is missing from the dump, say), the piece is read on its own, and so are all later
 * pieces, so that a damaged stretch costs no more than one failed window. Not thread-safe: one walk, one
 * window.
 */
final class VirtualWindow {
    private final AddressSpace space;
    private final long base;
    private final long limit;
    private final int windowSize;
    private byte[] window = new byte[0];
    private long windowStart;
    private boolean direct;

    /**
     * @param space where to read
     * @param base the virtual address of offset 0
     * @param limit the stretch's length in bytes (pieces lie in {@code [0, limit)})
     * @param windowSize how many bytes a window holds at most
     */
    VirtualWindow(AddressSpace space, long base, long limit, int windowSize) {
        this.space = space;
        this.base = base;
        this.limit = limit;
        this.windowSize = windowSize;
    }

    /** The {@code length} bytes at {@code offset} of the stretch (a fresh array). */
    byte[] read(long offset, int length) throws IOException {
        if (direct || offset < 0 || length > windowSize || offset > limit - length) {
            return space.readVirtual(base + offset, length);
        }
        if (offset < windowStart || offset + length > windowStart + window.length) {
            int n = (int) Math.min(windowSize, limit - offset);
            try {
                window = space.readVirtual(base + offset, n);
                windowStart = offset;
            } catch (TranslationException e) {
                direct = true;
                window = new byte[0];
                return space.readVirtual(base + offset, length);
            }
        }
        int at = (int) (offset - windowStart);
        return Arrays.copyOfRange(window, at, at + length);
    }
}
