package org.kdump4j.kernel;

/**
 * Builds aarch64 TTBR1 page tables in {@link SyntheticMemory} for a granule of 4, 16 or 64 KiB and a
 * virtual-address width, as the Arm architecture lays them out: each table level resolves
 * {@code pageShift - 3} bits, the top level whatever remains; table and page descriptors end in binary
 * {@code 11}, block descriptors in {@code 01}; the access flag (bit 10) is set as the kernel does.
 */
final class ArmTables {
    static final long AF = 1L << 10;

    final SyntheticMemory mem;
    final int pageShift;
    final int vaBits;
    final int stride;
    final int levels;
    final int topBits;
    final long root;

    ArmTables(SyntheticMemory mem, int pageShift, int vaBits) {
        this.mem = mem;
        this.pageShift = pageShift;
        this.vaBits = vaBits;
        this.stride = pageShift - 3;
        int l = 1;
        while (pageShift + stride * l < vaBits) {
            l++;
        }
        this.levels = l;
        this.topBits = vaBits - pageShift - stride * (levels - 1);
        this.root = mem.alloc(1 << pageShift);
    }

    /** Index at walk step k (k = levels for the top table, 1 for the last). */
    int index(long va, int k) {
        int bits = k == levels ? topBits : stride;
        return (int) ((va >>> (pageShift + stride * (k - 1))) & ((1L << bits) - 1));
    }

    /** The descriptor bits that encode output address {@code pa}. */
    long encode(long pa) {
        if (pageShift == 16) {
            return (pa & 0x0000_ffff_ffff_0000L) | ((pa >>> 48) & 0xf) << 12;
        }
        if (vaBits == 52) {
            return (pa & 0x0003_ffff_ffff_f000L) | ((pa >>> 50) & 3) << 8;
        }
        return pa & 0x0000_ffff_ffff_f000L;
    }

    long table(long va, int k) {
        long t = root;
        for (int s = levels; s > k; s--) {
            long slot = t + 8L * index(va, s);
            long e = mem.u64(slot);
            if ((e & 1) == 0) {
                long fresh = mem.alloc(1 << pageShift);
                mem.u64(slot, encode(fresh) | 3);
                t = fresh;
            } else {
                t = e & 0x0000_ffff_ffff_f000L & -(1L << pageShift); // test tables live low in memory
            }
        }
        return t;
    }

    /** Maps a page (k = 1) or a block (k >= 2) of size {@code 1 << (pageShift + stride*(k-1))}. */
    ArmTables map(long va, long pa, int k) {
        long t = table(va, k);
        mem.u64(t + 8L * index(va, k), encode(pa) | (k == 1 ? 3 : 1) | AF);
        return this;
    }

    long blockSize(int k) {
        return 1L << (pageShift + stride * (k - 1));
    }
}
