package org.kdump4j.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file read with positional reads ({@code pread}): for files that cannot be mapped, such as
 * {@code /proc/vmcore} on some kernels, size-0 procfs files and character devices.
 *
 * <p>Positional reads do not move a shared file position, so concurrent readers need no lock. If a
 * reader thread is interrupted, the JDK closes the channel for everyone; the source then reopens it
 * (unless it was closed on purpose) so other readers are not affected.
 */
final class ChannelFileSource implements ByteSource {
    private final Path path;
    private final String name;
    private final long size;
    private final Object reopenLock = new Object();
    private volatile FileChannel channel;
    private volatile boolean closed;

    private ChannelFileSource(Path path, String name, FileChannel channel, long size) {
        this.path = path;
        this.name = name;
        this.channel = channel;
        this.size = size;
    }

    static ChannelFileSource open(Path path, String name) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size == 0 && !Files.isRegularFile(path)) {
                size = Long.MAX_VALUE; // devices and procfs files report 0: read until EOF
            }
            return new ChannelFileSource(path, name, ch, size);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean isMapped() {
        return false;
    }

    private void fill(long offset, ByteBuffer dst) throws IOException {
        if (closed) {
            throw new SourceClosedException(name, null);
        }
        long pos = offset;
        int attempts = 0;
        while (dst.hasRemaining()) {
            int n;
            try {
                n = channel.read(dst, pos);
            } catch (ClosedChannelException e) {
                if (closed || ++attempts > 3) {
                    throw new SourceClosedException(name, e);
                }
                reopen();
                continue;
            }
            if (n < 0) {
                throw new TruncatedDumpException(name, pos, dst.remaining(), pos);
            }
            pos += n;
        }
    }

    private void reopen() throws IOException {
        synchronized (reopenLock) {
            if (!closed && !channel.isOpen()) {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
        }
    }

    private ByteBuffer buffer(long offset, int length, ByteOrder order) throws IOException {
        Ranges.check(name, offset, length, size);
        ByteBuffer b = ByteBuffer.allocate(length).order(order);
        fill(offset, b);
        return b.flip();
    }

    @Override
    public byte getByte(long offset) throws IOException {
        return buffer(offset, 1, ByteOrder.BIG_ENDIAN).get(0);
    }

    @Override
    public short getShort(long offset, ByteOrder order) throws IOException {
        return buffer(offset, 2, order).getShort(0);
    }

    @Override
    public int getInt(long offset, ByteOrder order) throws IOException {
        return buffer(offset, 4, order).getInt(0);
    }

    @Override
    public long getLong(long offset, ByteOrder order) throws IOException {
        return buffer(offset, 8, order).getLong(0);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        Ranges.check(name, offset, length, size);
        fill(offset, ByteBuffer.wrap(dst, dstOffset, length));
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long length) throws IOException {
        Ranges.check(name, offset, length, size);
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(length - done, 1 << 20);
            fill(offset + done, dst.asSlice(dstOffset + done, n).asByteBuffer());
            done += n;
        }
    }

    @Override
    public MemorySegment slice(long offset, long length) throws IOException {
        Ranges.check(name, offset, length, size);
        MemorySegment copy = MemorySegment.ofArray(new byte[Math.toIntExact(length)]);
        read(offset, copy, 0, length);
        return copy.asReadOnly();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (reopenLock) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do: the source is unusable either way
            }
        }
    }

    @Override
    public String toString() {
        return "ChannelFileSource[" + name + "]";
    }
}
