package org.kdump4j.elf;

import java.util.Map;
import java.util.Optional;

/**
 * A note's {@code n_type}, which only means something together with the note's owner name
 * ({@code CORE}, {@code LINUX}, {@code VMCOREINFO}, {@code QEMU}, ...): an open constant, so unknown
 * types survive and print as numbers.
 *
 * @param owner the note name (owner) without the terminating NUL
 * @param value the raw 32-bit {@code n_type}
 */
public record NoteType(String owner, int value) {
    /** {@code NT_PRSTATUS}: a CPU's registers ({@code CORE}). */
    public static final int NT_PRSTATUS = 1;
    /** {@code NT_PRFPREG}: floating-point registers ({@code CORE}). */
    public static final int NT_PRFPREG = 2;
    /** {@code NT_PRPSINFO}: process info ({@code CORE}). */
    public static final int NT_PRPSINFO = 3;
    /** {@code NT_TASKSTRUCT} ({@code CORE}, /proc/kcore only). */
    public static final int NT_TASKSTRUCT = 4;
    /** {@code NT_VMCOREDD}: a device dump ({@code LINUX}). */
    public static final int NT_VMCOREDD = 0x700;

    private static final Map<Integer, String> CORE = Map.of(1, "NT_PRSTATUS", 2, "NT_PRFPREG", 3, "NT_PRPSINFO",
            4, "NT_TASKSTRUCT", 6, "NT_AUXV", 0x53494749, "NT_SIGINFO", 0x46494c45, "NT_FILE");
    private static final Map<Integer, String> LINUX = Map.ofEntries(
            Map.entry(0x200, "NT_386_TLS"), Map.entry(0x202, "NT_X86_XSTATE"),
            Map.entry(0x300, "NT_S390_HIGH_GPRS"), Map.entry(0x301, "NT_S390_TIMER"),
            Map.entry(0x302, "NT_S390_TODCMP"), Map.entry(0x303, "NT_S390_TODPREG"),
            Map.entry(0x304, "NT_S390_CTRS"), Map.entry(0x305, "NT_S390_PREFIX"),
            Map.entry(0x306, "NT_S390_LAST_BREAK"), Map.entry(0x307, "NT_S390_SYSTEM_CALL"),
            Map.entry(0x308, "NT_S390_TDB"), Map.entry(0x309, "NT_S390_VXRS_LOW"),
            Map.entry(0x30a, "NT_S390_VXRS_HIGH"), Map.entry(0x406, "NT_ARM_PAC_MASK"),
            Map.entry(0x700, "NT_VMCOREDD"));

    /** Requires an owner. */
    public NoteType {
        java.util.Objects.requireNonNull(owner, "owner");
    }

    /** The conventional name for this owner and type, if known. */
    public Optional<String> knownName() {
        return Optional.ofNullable(switch (owner) {
            case "CORE" -> CORE.get(value);
            case "LINUX" -> LINUX.getOrDefault(value, CORE.get(value));
            case "VMCOREINFO", "VMCOREINFO_XEN" -> value == 0 ? "VMCOREINFO" : null;
            case "QEMU" -> value == 0 ? "QEMUCPUState" : null;
            case "ERASEINFO" -> value == 0 ? "ERASEINFO" : null;
            case "Xen" -> switch (value) {
                case 0x1000001 -> "XEN_ELFNOTE_CRASH_INFO";
                case 0x1000002 -> "XEN_ELFNOTE_CRASH_REGS";
                default -> null;
            };
            default -> null;
        });
    }

    /** Whether this is a {@code CORE}/{@code NT_PRSTATUS} note. */
    public boolean isPrStatus() {
        return value == NT_PRSTATUS && owner.equals("CORE");
    }

    @Override
    public String toString() {
        return knownName().orElse("0x" + Integer.toHexString(value));
    }

    // Written out: see SegmentType (no method-handle bootstrap on the start-up path).
    @Override
    public boolean equals(Object o) {
        return o instanceof NoteType t && t.value == value && t.owner.equals(owner);
    }

    @Override
    public int hashCode() {
        return 31 * owner.hashCode() + value;
    }
}
