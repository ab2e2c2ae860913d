package org.kdump4j.elf;

import java.util.Map;
import java.util.OptionalInt;

/**
 * An {@code e_machine} value: an open constant, so unknown machines survive and print as numbers.
 *
 * @param value the raw 16-bit {@code e_machine}
 */
public record Machine(int value) {
    /** {@code EM_386}. */
    public static final Machine I386 = new Machine(3);
    /** {@code EM_MIPS}. */
    public static final Machine MIPS = new Machine(8);
    /** {@code EM_PPC}. */
    public static final Machine PPC = new Machine(20);
    /** {@code EM_PPC64}. */
    public static final Machine PPC64 = new Machine(21);
    /** {@code EM_S390} (31- and 64-bit). */
    public static final Machine S390 = new Machine(22);
    /** {@code EM_ARM}. */
    public static final Machine ARM = new Machine(40);
    /** {@code EM_IA_64}. */
    public static final Machine IA64 = new Machine(50);
    /** {@code EM_X86_64}. */
    public static final Machine X86_64 = new Machine(62);
    /** {@code EM_AARCH64}. */
    public static final Machine AARCH64 = new Machine(183);
    /** {@code EM_RISCV}. */
    public static final Machine RISCV = new Machine(243);
    /** {@code EM_LOONGARCH}. */
    public static final Machine LOONGARCH = new Machine(258);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "EM_NONE"), Map.entry(3, "EM_386"), Map.entry(8, "EM_MIPS"), Map.entry(20, "EM_PPC"),
            Map.entry(21, "EM_PPC64"), Map.entry(22, "EM_S390"), Map.entry(40, "EM_ARM"), Map.entry(42, "EM_SH"),
            Map.entry(50, "EM_IA_64"), Map.entry(62, "EM_X86_64"), Map.entry(183, "EM_AARCH64"),
            Map.entry(243, "EM_RISCV"), Map.entry(258, "EM_LOONGARCH"));

    private static final Map<Integer, String> ARCHES = Map.ofEntries(
            Map.entry(3, "i386"), Map.entry(8, "mips"), Map.entry(20, "ppc"), Map.entry(21, "ppc64"),
            Map.entry(22, "s390"), Map.entry(40, "arm"), Map.entry(50, "ia64"), Map.entry(62, "x86_64"),
            Map.entry(183, "aarch64"), Map.entry(243, "riscv"), Map.entry(258, "loongarch"));

    /** Checks the range. */
    public Machine {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("e_machine out of range: " + value);
        }
    }

    /** The {@code EM_*} name, or empty for an unknown value. */
    public java.util.Optional<String> knownName() {
        return java.util.Optional.ofNullable(NAMES.get(value));
    }

    /** A short architecture name ({@code x86_64}, {@code aarch64}, ...) or {@code machine-N}. */
    public String architecture() {
        return ARCHES.getOrDefault(value, "machine-" + value);
    }

    /**
     * The machine's word size in bytes when the machine fixes it (e.g. 4 for {@code EM_386} even in an
     * ELF64 file, as kexec-tools writes for i386 with RAM above 4 GiB); empty when it depends on the
     * ELF class (s390, MIPS, RISC-V, unknown machines).
     */
    public OptionalInt fixedWordSize() {
        return switch (value) {
            case 3, 20, 40 -> OptionalInt.of(4);
            case 21, 50, 62, 183, 258 -> OptionalInt.of(8);
            default -> OptionalInt.empty();
        };
    }

    @Override
    public String toString() {
        return knownName().orElse("EM_" + value);
    }

    // Written out: see SegmentType (no method-handle bootstrap on the start-up path).
    @Override
    public boolean equals(Object o) {
        return o instanceof Machine m && m.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }
}
