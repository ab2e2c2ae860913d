package org.kdump4j.elf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A note to write: owner name, {@code n_type} and descriptor bytes. The written {@code n_namesz} is the
 * name's length plus its NUL, as every Linux producer writes it ({@code "CORE"} is 5).
 *
 * @param type owner name (no NUL inside, ISO-8859-1) and {@code n_type}
 * @param descriptor the descriptor ({@code n_descsz} bytes); copied in and out
 */
public record CoreNote(NoteType type, byte[] descriptor) {

    /** Validates and copies. */
    public CoreNote {
        Objects.requireNonNull(type, "type");
        descriptor = descriptor.clone();
        if (type.owner().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("note name contains a NUL: " + type.owner());
        }
        for (int i = 0; i < type.owner().length(); i++) {
            if (type.owner().charAt(i) > 0xff) {
                throw new IllegalArgumentException("note name is not ISO-8859-1: " + type.owner());
            }
        }
    }

    /** A note of the given owner, type and descriptor. */
    public static CoreNote of(String owner, int type, byte[] descriptor) {
        return new CoreNote(new NoteType(owner, type), descriptor);
    }

    /** The same note as a decoded {@link Note} from a file. */
    public static CoreNote of(Note note) {
        return new CoreNote(note.type(), note.descriptor());
    }

    /** A copy of the descriptor. */
    @Override
    public byte[] descriptor() {
        return descriptor.clone();
    }

    /** {@code n_namesz}: the name's length plus the NUL. */
    public int nameSize() {
        return type.owner().length() + 1;
    }

    /** The bytes this note takes in a note area with 4-byte alignment (header, padded name and descriptor). */
    public long encodedSize() {
        return Elf.NHDR_SIZE + align4(nameSize()) + align4(descriptor.length);
    }

    static long align4(long v) {
        return (v + 3) & ~3L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoreNote n && n.type.equals(type) && Arrays.equals(n.descriptor, descriptor);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(descriptor);
    }

    @Override
    public String toString() {
        return "CoreNote[" + type.owner() + " " + type + ", " + descriptor.length + " bytes]";
    }
}
