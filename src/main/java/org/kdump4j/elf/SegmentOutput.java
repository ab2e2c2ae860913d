package org.kdump4j.elf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a streamed segment's bytes go: the writer hands one to {@link SegmentSource#writeTo} positioned at
 * the segment's planned {@code p_offset}. Bytes are appended in order; the writer refuses more than the
 * segment's {@code p_filesz} and checks afterwards that exactly that many arrived.
 */
public interface SegmentOutput {

    /** Appends the buffer's remaining bytes. */
    void write(ByteBuffer bytes) throws IOException;

    /** Appends a segment's bytes (e.g. a zero-copy view of a mapped dump). */
    default void write(MemorySegment bytes) throws IOException {
        write(bytes.asByteBuffer());
    }

    /**
     * Appends {@code length} bytes of a file channel from {@code position}, in the kernel where the
     * platform can ({@code copy_file_range}/{@code sendfile}), with positional reads (procfs safe).
     */
    void transferFrom(FileChannel source, long position, long length) throws IOException;

    /** Appends {@code length} zero bytes. */
    void writeZeros(long length) throws IOException;

    /** How many bytes were appended so far. */
    long written();
}
