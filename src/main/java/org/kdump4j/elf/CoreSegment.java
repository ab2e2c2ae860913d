package org.kdump4j.elf;

import java.util.Objects;

/**
 * A program header to write, with where its bytes come from. Addresses and sizes are unsigned 64-bit
 * values held in {@code long}s; for ELF32 they must fit in 32 bits (a {@code p_vaddr} or {@code p_paddr}
 * of all ones, "no address", is written as {@code 0xffffffff}).
 *
 * @param type {@code p_type}
 * @param flags {@code p_flags}
 * @param virtualAddress {@code p_vaddr}
 * @param physicalAddress {@code p_paddr}
 * @param fileSize {@code p_filesz}
 * @param memorySize {@code p_memsz} (at least {@code p_filesz} for written contents)
 * @param align {@code p_align}
 * @param content where the bytes are: at a given offset (written by someone else), bytes the writer
 *     places and writes, or bytes of another segment of the same file
 */
public record CoreSegment(SegmentType type, int flags, long virtualAddress, long physicalAddress, long fileSize,
        long memorySize, long align, Content content) {

    /** Read, write, execute: what both elfcorehdr producers put on every {@code PT_LOAD}. */
    public static final int RWX = Elf.PF_R | Elf.PF_W | Elf.PF_X;

    /** Validates. */
    public CoreSegment {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        if (content instanceof Bytes b && b.bytes.length != fileSize) {
            throw new IllegalArgumentException("segment bytes (" + b.bytes.length + ") differ from p_filesz 0x"
                    + Long.toHexString(fileSize));
        }
        if (content instanceof SharedWith sw && Long.compareUnsigned(fileSize, memorySize) > 0) {
            throw new IllegalArgumentException("p_filesz 0x" + Long.toHexString(fileSize) + " exceeds p_memsz 0x"
                    + Long.toHexString(memorySize) + " of a segment sharing segment " + sw.segment() + "'s bytes");
        }
        if (!(content instanceof At) && fileSize < 0) {
            throw new IllegalArgumentException("p_filesz of written contents too large: 0x" + Long.toHexString(fileSize));
        }
    }

    /** Where a segment's bytes are. */
    public sealed interface Content permits At, Bytes, Streamed, SharedWith {
    }

    /**
     * The segment's {@code p_offset} is given and the writer writes no bytes for it: an elfcorehdr, whose
     * offsets are physical addresses in the crashed kernel's memory.
     *
     * @param offset {@code p_offset}
     */
    public record At(long offset) implements Content {
    }

    /**
     * Bytes held in memory; the writer plans the offset.
     *
     * @param bytes the contents (not copied)
     */
    public record Bytes(byte[] bytes) implements Content {
        /** Requires bytes. */
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * Bytes produced while writing; the writer plans the offset.
     *
     * @param source writes exactly {@code p_filesz} bytes
     */
    public record Streamed(SegmentSource source) implements Content {
        /** Requires a source. */
        public Streamed {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The segment's file bytes are bytes another segment of the same model writes: the writer writes
     * nothing for it and points its {@code p_offset} into that segment's file range. The ELF format lets
     * program headers share file bytes; a vmcore's kernel-text {@code PT_LOAD} covers physical memory a RAM
     * {@code PT_LOAD} also covers, and this describes it without storing the bytes twice.
     *
     * @param segment the index, in {@link ElfCoreModel#segments()}, of a segment with {@link Bytes} or
     *     {@link Streamed} contents
     * @param offset where this segment's bytes start inside that segment's bytes; this segment's
     *     {@code p_filesz} bytes from there must lie inside them
     */
    public record SharedWith(int segment, long offset) implements Content {
        /** Validates. */
        public SharedWith {
            if (segment < 0 || offset < 0) {
                throw new IllegalArgumentException("bad shared segment " + segment + " at offset " + offset);
            }
        }
    }

    /** A {@code PT_LOAD} at a given offset (elfcorehdr style: {@code p_filesz == p_memsz}, {@code p_align} 0). */
    public static CoreSegment loadAt(long offset, long vaddr, long paddr, long size) {
        return new CoreSegment(SegmentType.LOAD, RWX, vaddr, paddr, size, size, 0, new At(offset));
    }

    /** A {@code PT_NOTE} at a given offset (elfcorehdr style: {@code p_paddr == p_offset}, no flags). */
    public static CoreSegment noteAt(long address, long size) {
        return new CoreSegment(SegmentType.NOTE, 0, 0, address, size, size, 0, new At(address));
    }

    /** Whether the writer plans this segment's offset and writes its bytes. */
    public boolean isWritten() {
        return content instanceof Bytes || content instanceof Streamed;
    }
}
