package org.kdump4j.diskdump;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import org.kdump4j.io.ByteSource;

/**
 * The bytes of one kdump file as its offsets see them: the file itself, or a flattened file's
 * records placed where they belong ({@link FlatStorage}). Thread-safe.
 */
interface Storage {

    /** The name for messages. */
    String name();

    /** The logical size in bytes. */
    long size();

    /** The underlying file. */
    ByteSource source();

    /** Reads {@code length} bytes at logical {@code offset}; bytes past {@link #size()} are an error. */
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    /** A zero-copy view of {@code length} bytes at {@code offset}, or {@code null} when none is possible. */
    MemorySegment view(long offset, int length) throws IOException;

    /** Reads a 32-bit value. */
    default int getInt(long offset, ByteOrder order) throws IOException {
        byte[] b = new byte[4];
        read(offset, b, 0, 4);
        return java.nio.ByteBuffer.wrap(b).order(order).getInt();
    }

    /** Reads a 64-bit value. */
    default long getLong(long offset, ByteOrder order) throws IOException {
        byte[] b = new byte[8];
        read(offset, b, 0, 8);
        return java.nio.ByteBuffer.wrap(b).order(order).getLong();
    }

    /** Reads a small region into a new array. */
    default byte[] readBytes(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        read(offset, b, 0, length);
        return b;
    }

    /** The file read directly. */
    record Direct(ByteSource source) implements Storage {
        @Override
        public String name() {
            return source.name();
        }

        @Override
        public long size() {
            return source.size();
        }

        @Override
        public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
            source.read(offset, dst, dstOffset, length);
        }

        @Override
        public MemorySegment view(long offset, int length) throws IOException {
            return source.isMapped() ? source.slice(offset, length) : null;
        }

        @Override
        public int getInt(long offset, ByteOrder order) throws IOException {
            return source.getInt(offset, order);
        }

        @Override
        public long getLong(long offset, ByteOrder order) throws IOException {
            return source.getLong(offset, order);
        }
    }
}
