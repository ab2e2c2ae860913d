package org.kdump4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One ELF note: owner name, type and descriptor bytes, with where it was found.
 *
 * @param type the owner name and {@code n_type}
 * @param descriptor the descriptor bytes ({@code n_descsz} of them); use {@link #descriptor()} copies
 * @param offset the file offset of the note header ({@code Elf_Nhdr})
 * @param descriptorOffset the file offset of the descriptor
 */
public record Note(NoteType type, byte[] descriptor, long offset, long descriptorOffset) {

    /** Copies the descriptor in. */
    public Note {
        Objects.requireNonNull(type, "type");
        descriptor = descriptor.clone();
    }

    /** The owner name ({@code CORE}, {@code VMCOREINFO}, ...). */
    public String name() {
        return type.owner();
    }

    /** A copy of the descriptor bytes. */
    @Override
    public byte[] descriptor() {
        return descriptor.clone();
    }

    /** {@code n_descsz}. */
    public int descriptorSize() {
        return descriptor.length;
    }

    /** A read-only view of the descriptor in the given byte order. */
    public ByteBuffer descriptorBuffer(ByteOrder order) {
        return ByteBuffer.wrap(descriptor).asReadOnlyBuffer().order(order);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Note n && n.type.equals(type) && java.util.Arrays.equals(n.descriptor, descriptor)
                && n.offset == offset && n.descriptorOffset == descriptorOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, java.util.Arrays.hashCode(descriptor), offset, descriptorOffset);
    }

    @Override
    public String toString() {
        return "Note[" + type.owner() + " " + type + ", " + descriptor.length + " bytes at 0x"
                + Long.toHexString(offset) + "]";
    }
}
