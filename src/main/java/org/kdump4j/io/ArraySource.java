package org.kdump4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/** A {@link ByteSource} over a byte array: for tests, small headers and data already in memory. */
final class ArraySource implements ByteSource {

    private final String name;
    private final MemorySegment segment;
    private volatile boolean closed;

    ArraySource(String name, byte[] bytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.segment = MemorySegment.ofArray(Objects.requireNonNull(bytes, "bytes")).asReadOnly();
    }

    private void check(long offset, long length) throws IOException {
        if (closed) {
            throw new SourceClosedException(name, null);
        }
        Ranges.check(name, offset, length, segment.byteSize());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public boolean isMapped() {
        return false;
    }

    @Override
    public byte getByte(long offset) throws IOException {
        check(offset, 1);
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    @Override
    public short getShort(long offset, ByteOrder order) throws IOException {
        check(offset, 2);
        return segment.get(Layouts.shortIn(order), offset);
    }

    @Override
    public int getInt(long offset, ByteOrder order) throws IOException {
        check(offset, 4);
        return segment.get(Layouts.intIn(order), offset);
    }

    @Override
    public long getLong(long offset, ByteOrder order) throws IOException {
        check(offset, 8);
        return segment.get(Layouts.longIn(order), offset);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        check(offset, length);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, dst, dstOffset, length);
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long length) throws IOException {
        check(offset, length);
        MemorySegment.copy(segment, offset, dst, dstOffset, length);
    }

    @Override
    public MemorySegment slice(long offset, long length) throws IOException {
        check(offset, length);
        return segment.asSlice(offset, length);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "ArraySource[" + name + ", " + segment.byteSize() + " bytes]";
    }
}
