package org.kdump4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Random access to the bytes of a dump, whatever they live in: a memory-mapped file of any size, a
 * file read with positional reads (procfs, devices), or a byte array.
 *
 * <p>All methods are safe for concurrent use. Reading after {@link #close()} throws
 * {@link SourceClosedException}, never crashes the JVM. Reading past the end throws
 * {@link TruncatedDumpException}. Offsets are unsigned in spirit but must be non-negative here.
 */
public sealed interface ByteSource extends AutoCloseable permits MappedFileSource, ChannelFileSource, ArraySource {

    /**
     * Opens a file with default options (mapped when possible, positional reads otherwise).
     *
     * @param path the file
     * @return the source; the caller closes it
     * @throws IOException if the file cannot be opened
     */
    static ByteSource open(Path path) throws IOException {
        return open(path, SourceOptions.defaults());
    }

    /**
     * Opens a file.
     *
     * @param path the file
     * @param options access mode and chunk size
     * @return the source; the caller closes it
     * @throws IOException if the file cannot be opened (or mapped, in {@link AccessMode#MAPPED})
     */
    static ByteSource open(Path path, SourceOptions options) throws IOException {
        return FileSources.open(path, options, path.toString());
    }

    /**
     * Opens a file under another name for messages (e.g. the archive a temporary file came from).
     *
     * @param path the file
     * @param options access mode and chunk size
     * @param name the name used in messages and {@link #name()}
     * @return the source; the caller closes it
     * @throws IOException if the file cannot be opened
     */
    static ByteSource open(Path path, SourceOptions options, String name) throws IOException {
        return FileSources.open(path, options, name);
    }

    /**
     * Wraps a byte array (not copied: the caller must not change it afterwards).
     *
     * @param name a name for messages
     * @param bytes the content
     */
    static ByteSource of(String name, byte[] bytes) {
        return new ArraySource(name, bytes);
    }

    /** The name used in messages: the path for files. */
    String name();

    /** The size in bytes. For devices whose size is unknown this is {@link Long#MAX_VALUE}. */
    long size();

    /** Whether reads are served from memory-mapped segments (zero-copy {@link #slice}). */
    boolean isMapped();

    /** Reads one byte. */
    byte getByte(long offset) throws IOException;

    /** Reads a 16-bit value in the given byte order. */
    short getShort(long offset, ByteOrder order) throws IOException;

    /** Reads a 32-bit value in the given byte order. */
    int getInt(long offset, ByteOrder order) throws IOException;

    /** Reads a 64-bit value in the given byte order. */
    long getLong(long offset, ByteOrder order) throws IOException;

    /** Reads {@code length} bytes at {@code offset} into {@code dst[dstOffset..]}. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /** Copies {@code length} bytes at {@code offset} into {@code dst} at {@code dstOffset}. */
    void read(long offset, MemorySegment dst, long dstOffset, long length) throws IOException;

    /**
     * A read-only segment holding {@code length} bytes at {@code offset}: a zero-copy view when the
     * range lies inside one mapped chunk, otherwise a fresh copy. A view becomes inaccessible when
     * the source is closed.
     */
    MemorySegment slice(long offset, long length) throws IOException;

    /**
     * Reads a small region into a new array.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    default byte[] readBytes(long offset, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: " + length);
        }
        byte[] b = new byte[length];
        read(offset, b, 0, length);
        return b;
    }

    /** Closes the source; later reads throw {@link SourceClosedException}. Idempotent. */
    @Override
    void close();
}
