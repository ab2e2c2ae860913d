package org.kdump4j.diskdump;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free cache of decoded pages: direct-mapped by page frame number into a fixed number
 * of slots, each holding one immutable entry. A racing put simply replaces the slot; readers see
 * either the old or the new entry, both complete. Memory is bounded by slots × block size.
 */
final class PageCache {
    private record Entry(long pfn, byte[] data) {
    }

    private final AtomicReferenceArray<Entry> slots;
    private final int mask;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    /**
     * Creates a cache.
     *
     * @param slots the number of pages held at most (rounded up to a power of two; 0 disables caching)
     */
    PageCache(int slots) {
        int n = slots <= 0 ? 0 : Integer.highestOneBit(Math.max(1, slots - 1)) << 1;
        if (slots == 1) {
            n = 1;
        }
        this.slots = new AtomicReferenceArray<>(n);
        this.mask = n - 1;
    }

    private int slot(long pfn) {
        long h = pfn * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The cached page, or {@code null}. */
    byte[] get(long pfn) {
        if (slots.length() == 0) {
            return null;
        }
        Entry e = slots.get(slot(pfn));
        if (e != null && e.pfn == pfn) {
            hits.incrementAndGet();
            return e.data;
        }
        misses.incrementAndGet();
        return null;
    }

    /** Caches a page; {@code data} must never change afterwards. */
    void put(long pfn, byte[] data) {
        if (slots.length() != 0) {
            slots.set(slot(pfn), new Entry(pfn, data));
        }
    }

    /** The number of slots. */
    int capacity() {
        return slots.length();
    }

    /** Lookups that found their page. */
    long hits() {
        return hits.get();
    }

    /** Lookups that did not. */
    long misses() {
        return misses.get();
    }
}
