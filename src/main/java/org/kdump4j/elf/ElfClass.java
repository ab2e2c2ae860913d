package org.kdump4j.elf;

/** The ELF class ({@code EI_CLASS}): the width of header fields, not necessarily the machine's word size. */
public enum ElfClass {
    /** {@code ELFCLASS32}: 32-bit header fields. */
    ELF32(Elf.EHDR32_SIZE, Elf.PHDR32_SIZE, Elf.SHDR32_SIZE),
    /** {@code ELFCLASS64}: 64-bit header fields. */
    ELF64(Elf.EHDR64_SIZE, Elf.PHDR64_SIZE, Elf.SHDR64_SIZE);

    private final int headerSize;
    private final int programHeaderSize;
    private final int sectionHeaderSize;

    ElfClass(int headerSize, int programHeaderSize, int sectionHeaderSize) {
        this.headerSize = headerSize;
        this.programHeaderSize = programHeaderSize;
        this.sectionHeaderSize = sectionHeaderSize;
    }

    /** {@code sizeof(ElfN_Ehdr)}. */
    public int headerSize() {
        return headerSize;
    }

    /** {@code sizeof(ElfN_Phdr)}. */
    public int programHeaderSize() {
        return programHeaderSize;
    }

    /** {@code sizeof(ElfN_Shdr)}. */
    public int sectionHeaderSize() {
        return sectionHeaderSize;
    }

    /** The {@code EI_CLASS} byte. */
    public int value() {
        return this == ELF32 ? Elf.ELFCLASS32 : Elf.ELFCLASS64;
    }
}
