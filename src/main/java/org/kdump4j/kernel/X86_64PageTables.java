package org.kdump4j.kernel;

import java.io.IOException;

/**
 * The x86_64 kernel page-table walk: 4-level (48-bit virtual addresses, PML4 root) or 5-level (57-bit,
 * PML5 root) paging with 4 KiB pages, 2 MiB pages (PS bit in a page-directory entry) and 1 GiB pages (PS
 * bit in a page-directory-pointer entry). The memory-encryption mask ({@code sme_mask}, the SME C-bit) is
 * cleared from every entry before its address is used.
 */
final class X86_64PageTables implements PageTables {
    /** Bits 12..51 of a table or 4 KiB page entry. */
    static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;
    static final long PRESENT = 1L;
    static final long PAGE_SIZE_BIT = 1L << 7;
    private static final String[] LEVEL_NAMES = {"", "PT", "PD", "PDPT", "PML4", "PML5"};

    private final String name;
    private final TablePages tables;
    private final long root;
    private final int levels;
    private final long smeMask;

    /**
     * @param name the dump's name
     * @param tables entry reader
     * @param root physical address of the top-level table ({@code init_top_pgt})
     * @param fiveLevel whether 5-level paging is on ({@code NUMBER(pgtable_l5_enabled)})
     * @param smeMask the encryption bit mask to clear from entries (0 if none)
     */
    X86_64PageTables(String name, TablePages tables, long root, boolean fiveLevel, long smeMask) {
        this.name = name;
        this.tables = tables;
        this.root = root & ADDRESS_MASK;
        this.levels = fiveLevel ? 5 : 4;
        this.smeMask = smeMask;
    }

    /** The number of paging levels (4 or 5). */
    int levels() {
        return levels;
    }

    /** Whether {@code va} is canonical: the bits above the top translated bit copy that bit. */
    boolean isCanonical(long va) {
        int top = levels == 5 ? 56 : 47;
        return (va >> top) == 0 || (va >> top) == -1;
    }

    /** The name of a level (1 = PT ... 5 = PML5). */
    static String levelName(int level) {
        return LEVEL_NAMES[level];
    }

    @Override
    public Walk walk(long va) throws IOException {
        if (!isCanonical(va)) {
            throw new TranslationException(name, TranslationException.Kind.NOT_KERNEL_ADDRESS, va,
                    levelName(levels), 0, -1, null);
        }
        long table = root;
        for (int level = levels; level >= 1; level--) {
            int index = (int) (va >>> (12 + 9 * (level - 1))) & 511;
            long entryAddress = table + 8L * index;
            long raw = tables.entry(entryAddress, va, levelName(level));
            if ((raw & PRESENT) == 0) {
                throw new TranslationException(name, TranslationException.Kind.NOT_MAPPED, va, levelName(level), raw,
                        entryAddress, null);
            }
            long e = raw & ~smeMask;
            if (level == 3 && (e & PAGE_SIZE_BIT) != 0) {
                return new Walk((e & 0x000f_ffff_c000_0000L) | (va & 0x3fff_ffffL), 1L << 30);
            }
            if (level == 2 && (e & PAGE_SIZE_BIT) != 0) {
                return new Walk((e & 0x000f_ffff_ffe0_0000L) | (va & 0x1f_ffffL), 1L << 21);
            }
            if (level == 1) {
                return new Walk((e & ADDRESS_MASK) | (va & 0xfffL), 1L << 12);
            }
            table = e & ADDRESS_MASK;
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Finds the lowest virtual address at or above {@code from} (rounded down to 1 GiB) that has a
     * present entry at the 1 GiB level (PDPT), visiting at most {@code budget} entries. Used to find the
     * randomized direct map, which the kernel places on a 1 GiB boundary.
     *
     * @return the address, or -1 when none is found within the budget
     */
    long lowestMappedGigabyte(long from, int budget) throws IOException {
        int[] left = {budget};
        return lowest(root, levels, from & ~((1L << 30) - 1), left);
    }

    private long lowest(long table, int level, long from, int[] left) throws IOException {
        int shift = 12 + 9 * (level - 1);
        int first = (int) (from >>> shift) & 511;
        long prefix = level == levels ? (from >> (shift + 9)) << (shift + 9) : from & -(1L << (shift + 9));
        for (int i = first; i < 512; i++) {
            if (--left[0] < 0) {
                return -1;
            }
            long va = prefix | ((long) i << shift);
            long raw;
            try {
                raw = tables.entry(table + 8L * i, va, levelName(level));
            } catch (TranslationException e) {
                continue;
            }
            if ((raw & PRESENT) == 0) {
                continue;
            }
            if (level == 3) {
                return va;
            }
            long e = raw & ~smeMask;
            long found = lowest(e & ADDRESS_MASK, level - 1, i == first ? from : va, left);
            if (found != -1) {
                return found;
            }
        }
        return -1;
    }

    @Override
    public long root() {
        return root;
    }

    @Override
    public String describe() {
        return "x86_64 " + levels + "-level paging";
    }

    @Override
    public int granule() {
        return 4096;
    }

    @Override
    public long entrySpan(String level) {
        for (int l = 1; l <= levels; l++) {
            if (LEVEL_NAMES[l].equals(level)) {
                return 1L << (12 + 9 * (l - 1));
            }
        }
        return 4096;
    }
}
