package org.kdump4j.elf;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;

/**
 * An ELF core file to write: class, byte order, machine, notes and segments. Immutable.
 *
 * <p>When there are notes, {@link ElfCoreWriter} puts them, 4-aligned, in one {@code PT_NOTE} that comes
 * first in the program header table (as {@code /proc/vmcore} and makedumpfile do), followed by
 * {@link #segments()} in order. An elfcorehdr has no notes of its own: its per-CPU and VMCOREINFO
 * {@code PT_NOTE}s are segments that point into the crashed kernel's memory.
 *
 * @param elfClass {@code EI_CLASS}
 * @param byteOrder {@code EI_DATA}
 * @param machine {@code e_machine}
 * @param flags {@code e_flags} (0 for every Linux dump producer)
 * @param notes the notes, in order
 * @param segments the program headers after the notes' {@code PT_NOTE}, in order
 */
public record ElfCoreModel(ElfClass elfClass, ByteOrder byteOrder, Machine machine, int flags, List<CoreNote> notes,
        List<CoreSegment> segments) {

    /** Validates and copies. */
    public ElfCoreModel {
        Objects.requireNonNull(elfClass, "elfClass");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(machine, "machine");
        notes = List.copyOf(notes);
        segments = List.copyOf(segments);
    }

    /** A model with {@code e_flags} 0. */
    public static ElfCoreModel of(ElfClass elfClass, ByteOrder byteOrder, Machine machine, List<CoreNote> notes,
            List<CoreSegment> segments) {
        return new ElfCoreModel(elfClass, byteOrder, machine, 0, notes, segments);
    }

    /** The number of program headers the file will have: the notes' {@code PT_NOTE}, if any, and the segments. */
    public long programHeaderCount() {
        return (notes.isEmpty() ? 0 : 1) + (long) segments.size();
    }

    /** A copy with other segments. */
    public ElfCoreModel withSegments(List<CoreSegment> newSegments) {
        return new ElfCoreModel(elfClass, byteOrder, machine, flags, notes, newSegments);
    }

    /** A copy with another class. */
    public ElfCoreModel withElfClass(ElfClass newClass) {
        return new ElfCoreModel(newClass, byteOrder, machine, flags, notes, segments);
    }
}
