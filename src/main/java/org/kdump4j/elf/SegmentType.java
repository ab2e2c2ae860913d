package org.kdump4j.elf;

import java.util.Map;
import java.util.Optional;

/**
 * A {@code p_type} value: an open constant, so unknown and OS-specific types survive and print well
 * ({@code PT_LOOS+0x3}).
 *
 * @param value the raw 32-bit {@code p_type}
 */
public record SegmentType(int value) {
    /** {@code PT_NULL}. */
    public static final SegmentType NULL = new SegmentType(0);
    /** {@code PT_LOAD}: memory. */
    public static final SegmentType LOAD = new SegmentType(1);
    /** {@code PT_DYNAMIC}. */
    public static final SegmentType DYNAMIC = new SegmentType(2);
    /** {@code PT_INTERP}. */
    public static final SegmentType INTERP = new SegmentType(3);
    /** {@code PT_NOTE}: notes (CPU registers, VMCOREINFO). */
    public static final SegmentType NOTE = new SegmentType(4);
    /** {@code PT_SHLIB}. */
    public static final SegmentType SHLIB = new SegmentType(5);
    /** {@code PT_PHDR}. */
    public static final SegmentType PHDR = new SegmentType(6);
    /** {@code PT_TLS}. */
    public static final SegmentType TLS = new SegmentType(7);

    private static final int PT_LOOS = 0x60000000;
    private static final int PT_HIOS = 0x6fffffff;
    private static final int PT_LOPROC = 0x70000000;
    private static final Map<Integer, String> NAMES = Map.of(0, "NULL", 1, "LOAD", 2, "DYNAMIC", 3, "INTERP",
            4, "NOTE", 5, "SHLIB", 6, "PHDR", 7, "TLS", 0x6474e550, "GNU_EH_FRAME", 0x6474e551, "GNU_STACK");

    /** The short name as readelf prints it ({@code LOAD}, {@code NOTE}), if known. */
    public Optional<String> knownName() {
        return Optional.ofNullable(NAMES.get(value));
    }

    @Override
    public String toString() {
        String n = NAMES.get(value);
        if (n != null) {
            return "PT_" + n;
        }
        if (Integer.compareUnsigned(value, PT_LOOS) >= 0 && Integer.compareUnsigned(value, PT_HIOS) <= 0) {
            return "PT_LOOS+0x" + Integer.toHexString(value - PT_LOOS);
        }
        if (Integer.compareUnsigned(value, PT_LOPROC) >= 0) {
            return "PT_LOPROC+0x" + Integer.toHexString(value - PT_LOPROC);
        }
        return "PT_0x" + Integer.toHexString(value);
    }

    // Written out: a record's generated equals/hashCode bootstrap method handles on first use, which
    // costs the CLI milliseconds at start-up on the path every ELF dump takes.
    @Override
    public boolean equals(Object o) {
        return o instanceof SegmentType t && t.value == value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }
}
