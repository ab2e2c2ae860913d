package org.kdump4j.elf;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The decoded ELF file header ({@code ElfN_Ehdr}), every field widened to 64 bits once.
 *
 * @param elfClass {@code EI_CLASS}
 * @param byteOrder {@code EI_DATA}: the order of every multi-byte field in headers, notes and memory
 * @param identVersion {@code EI_VERSION}
 * @param osAbi {@code EI_OSABI}
 * @param abiVersion {@code EI_ABIVERSION}
 * @param type {@code e_type} ({@link Elf#ET_CORE} for dumps)
 * @param machine {@code e_machine}
 * @param version {@code e_version}
 * @param entry {@code e_entry}
 * @param programHeaderOffset {@code e_phoff}
 * @param sectionHeaderOffset {@code e_shoff}
 * @param flags {@code e_flags}
 * @param headerSize {@code e_ehsize} as written (QEMU writes odd values; not relied on)
 * @param programHeaderEntrySize {@code e_phentsize}
 * @param rawProgramHeaderCount {@code e_phnum} as written ({@link Elf#PN_XNUM} when extended)
 * @param programHeaderCount the real number of program headers (from section 0 when {@code PN_XNUM})
 * @param sectionHeaderEntrySize {@code e_shentsize}
 * @param sectionHeaderCount {@code e_shnum}
 * @param sectionNameIndex {@code e_shstrndx}
 */
public record ElfHeader(
        ElfClass elfClass,
        ByteOrder byteOrder,
        int identVersion,
        int osAbi,
        int abiVersion,
        int type,
        Machine machine,
        long version,
        long entry,
        long programHeaderOffset,
        long sectionHeaderOffset,
        long flags,
        int headerSize,
        int programHeaderEntrySize,
        int rawProgramHeaderCount,
        long programHeaderCount,
        int sectionHeaderEntrySize,
        int sectionHeaderCount,
        int sectionNameIndex) {

    /** Requires the non-numeric fields. */
    public ElfHeader {
        Objects.requireNonNull(elfClass, "elfClass");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(machine, "machine");
    }

    /** Whether {@code e_phnum} was {@code PN_XNUM} and the count came from section header 0. */
    public boolean usesExtendedNumbering() {
        return rawProgramHeaderCount == Elf.PN_XNUM;
    }

    /**
     * The target's word size in bytes: fixed by the machine where it can be (i386 is 4 even in ELF64
     * files), else by the ELF class.
     */
    public int wordSize() {
        return machine.fixedWordSize().orElse(elfClass == ElfClass.ELF32 ? 4 : 8);
    }

    /** The {@code e_type} name as readelf prints it ({@code CORE}, {@code EXEC}, ...). */
    public String typeName() {
        return switch (type) {
            case 0 -> "NONE";
            case 1 -> "REL";
            case 2 -> "EXEC";
            case 3 -> "DYN";
            case Elf.ET_CORE -> "CORE";
            default -> "0x" + Integer.toHexString(type);
        };
    }
}
