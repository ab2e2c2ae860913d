package org.kdump4j.diskdump;

/**
 * The C ABI a kdump file's header and sub-header were written with. No field records it: it is probed
 * (see {@link KdumpHeader}) and cross-checked with {@code utsname.machine}.
 */
public enum KdumpLayout {
    /** LP64: 8-byte {@code long} and {@code time_t}; the 464-byte header and 104-byte sub-header. */
    LP64(8, 104),
    /** ILP32 with 64-bit integers 4-byte aligned (i386): 452-byte header, 80-byte packed sub-header. */
    ILP32_PACKED(4, 80),
    /** ILP32 with 64-bit integers 8-byte aligned (ARM EABI and others): 452-byte header, 96-byte sub-header. */
    ILP32_ALIGNED(4, 96);

    private final int wordSize;
    private final int subHeaderSize;

    KdumpLayout(int wordSize, int subHeaderSize) {
        this.wordSize = wordSize;
        this.subHeaderSize = subHeaderSize;
    }

    /** The size of {@code long} in bytes. */
    public int wordSize() {
        return wordSize;
    }

    /** {@code sizeof(struct disk_dump_header)}. */
    public int headerSize() {
        return wordSize == 8 ? 464 : 452;
    }

    /** {@code sizeof(struct kdump_sub_header)}. */
    public int subHeaderSize() {
        return subHeaderSize;
    }

    /** Offset of {@code status}; the fields after it follow as 4-byte values. */
    int statusOffset() {
        return wordSize == 8 ? 424 : 412;
    }

    /**
     * Sub-header field offsets in this order: phys_base, dump_level, split, start_pfn, end_pfn,
     * offset_vmcoreinfo, size_vmcoreinfo, offset_note, size_note, offset_eraseinfo, size_eraseinfo,
     * start_pfn_64, end_pfn_64, max_mapnr_64.
     */
    int[] subHeaderOffsets() {
        return switch (this) {
            case LP64 -> new int[] {0, 8, 12, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96};
            case ILP32_PACKED -> new int[] {0, 4, 8, 12, 16, 20, 28, 32, 40, 44, 52, 56, 64, 72};
            case ILP32_ALIGNED -> new int[] {0, 4, 8, 12, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88};
        };
    }
}
