package org.kdump4j.kernel;

/**
 * Builds x86_64 page tables in {@link SyntheticMemory}: 4 KiB, 2 MiB and 1 GiB mappings under a PML4
 * (4-level) or PML5 (5-level) root, written the way the hardware reads them (9 index bits per level,
 * present bit 0, writable bit 1, page-size bit 7 for large pages).
 */
final class X86Tables {
    static final long P = 1;
    static final long RW = 2;
    static final long PS = 0x80;
    static final long ADDR = 0x000f_ffff_ffff_f000L;

    final SyntheticMemory mem;
    final int levels;
    final long root;
    final long encryptBit;

    X86Tables(SyntheticMemory mem, boolean fiveLevel, long encryptBit) {
        this.mem = mem;
        this.levels = fiveLevel ? 5 : 4;
        this.root = mem.alloc(4096);
        this.encryptBit = encryptBit;
    }

    static int index(long va, int level) {
        return (int) (va >>> (12 + 9 * (level - 1))) & 511;
    }

    /** The physical address of the table at {@code level} on the way to {@code va}, creating it. */
    long table(long va, int level) {
        long t = root;
        for (int l = levels; l > level; l--) {
            long slot = t + 8L * index(va, l);
            long e = mem.u64(slot);
            if ((e & P) == 0) {
                long fresh = mem.alloc(4096);
                e = fresh | P | RW | encryptBit;
                mem.u64(slot, e);
            }
            t = e & ADDR & ~encryptBit;
        }
        return t;
    }

    /** Maps one page of size 4 KiB (pageLevel 1), 2 MiB (2) or 1 GiB (3). */
    X86Tables map(long va, long pa, int pageLevel) {
        long t = table(va, pageLevel);
        mem.u64(t + 8L * index(va, pageLevel), pa | P | RW | (pageLevel > 1 ? PS : 0) | encryptBit);
        return this;
    }

    /** The physical address of the entry for {@code va} at {@code level} (the tables must exist). */
    long entryAddress(long va, int level) {
        return table(va, level) + 8L * index(va, level);
    }
}
