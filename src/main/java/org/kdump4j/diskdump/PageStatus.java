package org.kdump4j.diskdump;

/**
 * What a kdump-compressed file says about one page frame: whether its bytes can be read, and if not,
 * exactly why.
 */
public enum PageStatus {
    /** The page is stored (raw, compressed, or as the shared zero page) and its descriptor is sane. */
    PRESENT("present"),
    /**
     * RAM that the writer left out: its bit is set in the 1st bitmap (RAM) but clear in the 2nd
     * (dumpable), because of the dump level ({@code makedumpfile -d}) or another exclusion.
     */
    EXCLUDED("excluded by filtering"),
    /**
     * A dumpable page whose data never made it into the file: the dump is incomplete
     * ({@code DUMP_DH_COMPRESSED_INCOMPLETE}, ENOSPC, {@code -L}), truncated, or the split part
     * holding it is missing. Its descriptor is all zero or lies past the end of the file.
     */
    LOST("lost in an incomplete dump"),
    /** Not RAM in the dumped machine (1st-bitmap bit clear), or a page frame beyond {@code max_mapnr}. */
    OUTSIDE("outside the dump"),
    /** A dumpable page whose descriptor is invalid or whose data fails to decode. */
    CORRUPT("corrupt");

    private final String description;

    PageStatus(String description) {
        this.description = description;
    }

    /** A short phrase for messages, e.g. {@code "excluded by filtering"}. */
    public String description() {
        return description;
    }
}
