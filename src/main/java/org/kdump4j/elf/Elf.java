package org.kdump4j.elf;

/**
 * The ELF dictionary: raw constants and structure sizes from the ELF gABI and Linux's
 * {@code elf.h}/{@code elfcore.h}, kept apart from the decoded model.
 */
public final class Elf {
    private Elf() {
    }

    /** {@code ELFCLASS32}. */
    public static final int ELFCLASS32 = 1;
    /** {@code ELFCLASS64}. */
    public static final int ELFCLASS64 = 2;
    /** {@code ELFDATA2LSB}: little endian. */
    public static final int ELFDATA2LSB = 1;
    /** {@code ELFDATA2MSB}: big endian. */
    public static final int ELFDATA2MSB = 2;
    /** {@code EV_CURRENT}. */
    public static final int EV_CURRENT = 1;

    /** {@code ET_CORE}: a core file, the type of every vmcore and elfcorehdr. */
    public static final int ET_CORE = 4;

    /** {@code PN_XNUM}: {@code e_phnum} escape; the real count is in section header 0's {@code sh_info}. */
    public static final int PN_XNUM = 0xffff;

    /** Size of {@code Elf32_Ehdr}. */
    public static final int EHDR32_SIZE = 52;
    /** Size of {@code Elf64_Ehdr}. */
    public static final int EHDR64_SIZE = 64;
    /** Size of {@code Elf32_Phdr}. */
    public static final int PHDR32_SIZE = 32;
    /** Size of {@code Elf64_Phdr}. */
    public static final int PHDR64_SIZE = 56;
    /** Size of {@code Elf32_Shdr}. */
    public static final int SHDR32_SIZE = 40;
    /** Size of {@code Elf64_Shdr}. */
    public static final int SHDR64_SIZE = 64;
    /** Size of {@code Elf_Nhdr} (same in both classes). */
    public static final int NHDR_SIZE = 12;

    /** {@code PF_X}. */
    public static final int PF_X = 1;
    /** {@code PF_W}. */
    public static final int PF_W = 2;
    /** {@code PF_R}. */
    public static final int PF_R = 4;
}
