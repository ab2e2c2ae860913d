package org.kdump4j.diskdump;

import java.util.Arrays;

/**
 * The keys of a small direct-mapped cache of FSE decoding tables: which table description (its exact
 * bytes) each slot's table was built from. The owner keeps the tables themselves, one per slot.
 *
 * <p>A description is found without parsing it: the slot is chosen by a hash of its first bytes, and the
 * slot's remembered description must equal the input's next bytes exactly. FSE descriptions are
 * self-delimiting (where one ends depends only on its own bits), so equal bytes mean an equal
 * description and table. Memory is bounded by the slot count and the longest description remembered;
 * one instance belongs to one thread's {@link ZstdScratch}.
 */
final class ZstdTableCache {
    private final int slots;
    private final int maxLength;
    /** Slot k's description at {@code [k * maxLength, k * maxLength + lengths[k])}. */
    private final byte[] sources;
    /** Per slot: the length of its description, 0 if it holds none (the slot's table is then not valid). */
    private final int[] lengths;

    /**
     * @param slots a power of two
     * @param maxLength the longest description remembered (longer ones are built every time)
     */
    ZstdTableCache(int slots, int maxLength) {
        this.slots = slots;
        this.maxLength = maxLength;
        this.sources = new byte[slots * maxLength];
        this.lengths = new int[slots];
    }

    /** The slot whose table was built from the description starting at {@code in[ip]}, or -1. */
    int find(byte[] in, int ip, int end) {
        int k = slot(in, ip, end);
        int n = lengths[k];
        int at = k * maxLength;
        if (n == 0 || n > end - ip || !Arrays.equals(in, ip, ip + n, sources, at, at + n)) {
            return -1;
        }
        return k;
    }

    /** The length of the description slot {@code k} holds. */
    int length(int k) {
        return lengths[k];
    }

    /**
     * The slot a description starting at {@code in[ip]} belongs in (its first three bytes, or fewer if the
     * input ends, hashed). The caller builds the table there, then calls {@link #remember}.
     */
    int slot(byte[] in, int ip, int end) {
        int n = Math.min(3, end - ip);
        int key = n;
        for (int i = 0; i < n; i++) {
            key = key << 8 | (in[ip + i] & 0xff);
        }
        return (key * 0x9E3779B1) >>> 16 & (slots - 1);
    }

    /** Records that slot {@code k} now holds the table of the description {@code in[ip, ip + length)}. */
    void remember(int k, byte[] in, int ip, int length) {
        if (length > maxLength) {
            lengths[k] = 0;
            return;
        }
        System.arraycopy(in, ip, sources, k * maxLength, length);
        lengths[k] = length;
    }
}
