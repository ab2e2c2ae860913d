package org.kdump4j.elf;

import java.util.Objects;

/**
 * One decoded program header ({@code ElfN_Phdr}), widened to 64 bits. Addresses and sizes are
 * unsigned 64-bit values held in {@code long}s.
 *
 * @param index position in the program header table
 * @param type {@code p_type}
 * @param flags {@code p_flags} ({@link Elf#PF_R}, {@link Elf#PF_W}, {@link Elf#PF_X})
 * @param offset {@code p_offset}: where the segment's bytes start in the file
 * @param virtualAddress {@code p_vaddr} (0 or all ones when the producer had none)
 * @param physicalAddress {@code p_paddr}: the physical address the bytes represent
 * @param fileSize {@code p_filesz}: bytes present in the file
 * @param memorySize {@code p_memsz}: bytes of memory; past {@code p_filesz} they read as zero
 * @param align {@code p_align}
 */
public record ProgramHeader(
        int index,
        SegmentType type,
        int flags,
        long offset,
        long virtualAddress,
        long physicalAddress,
        long fileSize,
        long memorySize,
        long align) {

    /** Requires a type. */
    public ProgramHeader {
        Objects.requireNonNull(type, "type");
    }

    /** Whether this is a {@code PT_LOAD}. */
    public boolean isLoad() {
        return type.equals(SegmentType.LOAD);
    }

    /** Whether this is a {@code PT_NOTE}. */
    public boolean isNote() {
        return type.equals(SegmentType.NOTE);
    }

    /** The flags as readelf prints them, e.g. {@code "RWE"}. */
    public String flagString() {
        return ((flags & Elf.PF_R) != 0 ? "R" : " ") + ((flags & Elf.PF_W) != 0 ? "W" : " ")
                + ((flags & Elf.PF_X) != 0 ? "E" : " ");
    }
}
