package org.kdump4j.diskdump;

import java.nio.ByteBuffer;

/**
 * {@code struct kdump_sub_header} (at byte offset {@code block_size}), widened to Java types. Fields
 * the file's header version predates read as 0.
 *
 * @param layout the C ABI the struct was read with
 * @param physBase {@code phys_base}
 * @param dumpLevel {@code dump_level} (v1+)
 * @param split {@code split}: non-zero in a {@code --split} part (v2+)
 * @param startPfn the first PFN of this part: {@code start_pfn_64} (v6+), else {@code start_pfn} (v2+)
 * @param endPfn the PFN after this part's last: {@code end_pfn_64} (v6+), else {@code end_pfn}
 * @param offsetVmcoreinfo {@code offset_vmcoreinfo}: file offset of the VMCOREINFO text (v3+)
 * @param sizeVmcoreinfo {@code size_vmcoreinfo}
 * @param offsetNote {@code offset_note}: file offset of the ELF notes (v4+)
 * @param sizeNote {@code size_note}
 * @param offsetEraseinfo {@code offset_eraseinfo} (v5+)
 * @param sizeEraseinfo {@code size_eraseinfo}
 * @param maxMapnr64 {@code max_mapnr_64} (v6+; 0 before)
 */
public record KdumpSubHeader(KdumpLayout layout, long physBase, DumpLevel dumpLevel, int split, long startPfn,
        long endPfn, long offsetVmcoreinfo, long sizeVmcoreinfo, long offsetNote, long sizeNote,
        long offsetEraseinfo, long sizeEraseinfo, long maxMapnr64) {

    /** Whether this file is one part of a {@code --split} set. */
    public boolean isSplit() {
        return split != 0;
    }

    static KdumpSubHeader parse(KdumpHeader h, KdumpLayout layout, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(h.byteOrder());
        int[] o = layout.subHeaderOffsets();
        int v = h.headerVersion();
        boolean wide = layout == KdumpLayout.LP64;
        long physBase = wide ? b.getLong(o[0]) : Integer.toUnsignedLong(b.getInt(o[0]));
        int dumpLevel = v >= 1 ? b.getInt(o[1]) : 0;
        int split = v >= 2 ? b.getInt(o[2]) : 0;
        long start = 0;
        long end = 0;
        if (v >= 2) {
            start = wide ? b.getLong(o[3]) : Integer.toUnsignedLong(b.getInt(o[3]));
            end = wide ? b.getLong(o[4]) : Integer.toUnsignedLong(b.getInt(o[4]));
        }
        long offVmci = v >= 3 ? b.getLong(o[5]) : 0;
        long sizeVmci = v >= 3 ? (wide ? b.getLong(o[6]) : Integer.toUnsignedLong(b.getInt(o[6]))) : 0;
        long offNote = v >= 4 ? b.getLong(o[7]) : 0;
        long sizeNote = v >= 4 ? (wide ? b.getLong(o[8]) : Integer.toUnsignedLong(b.getInt(o[8]))) : 0;
        long offErase = v >= 5 ? b.getLong(o[9]) : 0;
        long sizeErase = v >= 5 ? (wide ? b.getLong(o[10]) : Integer.toUnsignedLong(b.getInt(o[10]))) : 0;
        long maxMapnr64 = 0;
        if (v >= 6) {
            start = b.getLong(o[11]);
            end = b.getLong(o[12]);
            maxMapnr64 = b.getLong(o[13]);
        }
        return new KdumpSubHeader(layout, physBase, new DumpLevel(dumpLevel), split, start, end, offVmci, sizeVmci,
                offNote, sizeNote, offErase, sizeErase, maxMapnr64);
    }
}
