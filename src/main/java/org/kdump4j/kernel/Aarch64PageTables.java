package org.kdump4j.kernel;

import java.io.IOException;

/**
 * The aarch64 kernel (TTBR1) page-table walk for the 4 KiB, 16 KiB and 64 KiB granules and 36- to
 * 52-bit virtual addresses, from {@code swapper_pg_dir}.
 *
 * <p>Each level resolves {@code pageShift - 3} bits; the top level resolves what is left, so it may be
 * shorter than a page. Descriptor bits [1:0]: {@code 11} is a table (or a page at the last level),
 * {@code 01} a block (not at the last level), bit 0 clear is invalid. Output addresses are bits
 * [47:pageShift]; 52-bit physical addresses put bits [51:48] in descriptor bits [15:12] with 64 KiB pages
 * (FEAT_LPA), and bits [49:48] in place plus [51:50] in descriptor bits [9:8] with 4/16 KiB pages
 * (FEAT_LPA2, assumed when the walk uses 52-bit virtual addresses).
 */
final class Aarch64PageTables implements PageTables {
    private final String name;
    private final TablePages tables;
    private final long root;
    private final int pageShift;
    private final int stride;
    private final int vaBits;
    private final int levels;
    private final int topEntries;
    private final boolean lpa2;
    private final boolean lpa64k;

    /**
     * @param name the dump's name
     * @param tables entry reader (granule-sized table pages)
     * @param root physical address of {@code swapper_pg_dir}
     * @param pageShift 12, 14 or 16
     * @param vaBits the virtual-address width the tables are built for
     */
    Aarch64PageTables(String name, TablePages tables, long root, int pageShift, int vaBits) {
        if (pageShift != 12 && pageShift != 14 && pageShift != 16) {
            throw new IllegalArgumentException("aarch64 page shift must be 12, 14 or 16: " + pageShift);
        }
        if (vaBits < 25 || vaBits > 52) {
            throw new IllegalArgumentException("aarch64 virtual-address bits out of range: " + vaBits);
        }
        this.name = name;
        this.tables = tables;
        this.pageShift = pageShift;
        this.stride = pageShift - 3;
        this.vaBits = vaBits;
        this.levels = (vaBits - pageShift + stride - 1) / stride;
        this.topEntries = 1 << ((vaBits - pageShift - 1) % stride + 1);
        this.lpa2 = vaBits == 52 && pageShift != 16;
        this.lpa64k = pageShift == 16;
        this.root = root;
    }

    /** The number of levels walked. */
    int levels() {
        return levels;
    }

    /** The virtual-address width of the walk. */
    int vaBits() {
        return vaBits;
    }

    private String levelName(int k) {
        return "L" + (4 - k); // Arm numbering: the last table is L3
    }

    /** Bits [51:pageShift] of a descriptor's output address. */
    private long outputAddress(long e) {
        long granuleMask = -(1L << pageShift);
        if (lpa2) {
            return (e & 0x0003_ffff_ffff_f000L & granuleMask) | ((e & 0x300L) << 42);
        }
        long pa = e & 0x0000_ffff_ffff_f000L & granuleMask;
        if (lpa64k) {
            pa |= (e & 0xf000L) << 36;
        }
        return pa;
    }

    private boolean blockAllowed(int k) {
        return k == 2 || k == 3 && (pageShift == 12 || vaBits == 52 || lpa64k) || k == 4 && pageShift == 12 && lpa2;
    }

    @Override
    public Walk walk(long va) throws IOException {
        if ((va >> vaBits) != -1) { // TTBR1 addresses: bits [63:vaBits] all ones
            throw new TranslationException(name, TranslationException.Kind.NOT_KERNEL_ADDRESS, va, levelName(levels),
                    0, -1, null);
        }
        long table = root;
        for (int k = levels; k >= 1; k--) {
            int shift = pageShift + stride * (k - 1);
            long entries = k == levels ? topEntries : 1L << stride;
            long index = (va >>> shift) & (entries - 1);
            long entryAddress = table + 8 * index;
            long e = tables.entry(entryAddress, va, levelName(k));
            int type = (int) e & 3;
            if ((type & 1) == 0) {
                throw new TranslationException(name, TranslationException.Kind.NOT_MAPPED, va, levelName(k), e,
                        entryAddress, null);
            }
            if (k == 1) {
                if (type != 3) {
                    throw new TranslationException(name, TranslationException.Kind.NOT_MAPPED, va, levelName(k), e,
                            entryAddress, null);
                }
                return new Walk(outputAddress(e) | (va & ((1L << pageShift) - 1)), 1L << pageShift);
            }
            if (type == 1) {
                if (!blockAllowed(k)) {
                    throw new TranslationException(name, TranslationException.Kind.NOT_MAPPED, va, levelName(k), e,
                            entryAddress, null);
                }
                long size = 1L << shift;
                return new Walk((outputAddress(e) & -size) | (va & (size - 1)), size);
            }
            table = outputAddress(e);
        }
        throw new AssertionError("unreachable");
    }

    @Override
    public long root() {
        return root;
    }

    @Override
    public String describe() {
        return "aarch64 " + (1 << pageShift >> 10) + "K granule, " + vaBits + "-bit VA, " + levels + " levels";
    }

    @Override
    public int granule() {
        return 1 << pageShift;
    }

    @Override
    public long entrySpan(String level) {
        for (int k = 1; k <= levels; k++) {
            if (levelName(k).equals(level)) {
                return 1L << (pageShift + stride * (k - 1));
            }
        }
        return 1L << pageShift;
    }
}
