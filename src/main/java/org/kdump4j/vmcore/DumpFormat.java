package org.kdump4j.vmcore;

/** The file formats {@link Vmcore} recognises. */
public enum DumpFormat {
    /** An ELF core: {@code /proc/vmcore} copies, makedumpfile {@code -E}, QEMU {@code dump-guest-memory}. */
    ELF,
    /** A raw physical-memory image ({@code /dev/oldmem} style): file offset equals physical address. */
    RAW,
    /** makedumpfile/QEMU kdump-compressed ({@code "KDUMP   "} signature), single file or split parts. */
    KDUMP_COMPRESSED,
    /** makedumpfile flattened format ({@code "makedumpfile"} signature), read in place. */
    FLATTENED
}
