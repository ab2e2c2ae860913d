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
 * {@code /proc/vmcore} on some kernels, size-0 procfs files and character devices, and for commands
 * that read a few scattered bytes of a large dump, where mapping it costs more than it saves.
 *
 * <p>Positional reads do not move a shared file position, so concurrent readers need no lock. If a
 * reader thread is interrupted, the JDK closes the channel for everyone; the source then reopens it
 * (unless it was closed on purpose) so other readers are not affected.
 *
 * <p>Reads smaller than a block are served from a small cache of whole file blocks: parsing makes
 * thousands of reads of a few bytes each (a kernel log walk reads two small records per message), and
 * one system call per read costs far more than the copy. The cache holds at most {@value #SLOTS}
 * blocks of {@value #BLOCK} bytes; its entries are immutable, so readers share it without a lock.
 */
final class ChannelFileSource implements ByteSource {
    /** Bytes per cached block. */
    static final int BLOCK = 1 << 15;
    /** Cached blocks per source. */
    static final int SLOTS = 8;

    /** One cached block: {@code data} holds the file's bytes from {@code index * BLOCK}. */
    private static final class Block {
        final long index;
        final byte[] data;

        Block(long index, byte[] data) {
            this.index = index;
            this.data = data;
        }
    }

    private final Block[] blocks = new Block[SLOTS];
    private int victim; // round-robin replacement; a racy update only changes which block goes next
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
        long end = fillToEnd(offset, dst);
        if (dst.hasRemaining()) {
            throw new TruncatedDumpException(name, end, dst.remaining(), end);
        }
    }

    /** Reads until {@code dst} is full or the file ends; returns the offset reached. */
    private long fillToEnd(long offset, ByteBuffer dst) throws IOException {
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
                break;
            }
            pos += n;
        }
        return pos;
    }

    /**
     * Copies {@code length} bytes at {@code offset} (in range, and at most one block long) through the
     * block cache.
     */
    private void cached(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        long index = offset / BLOCK;
        int at = (int) (offset % BLOCK);
        int first = Math.min(length, BLOCK - at);
        Block b = block(index);
        if (at + first > b.data.length) {
            throw new TruncatedDumpException(name, offset, length, index * BLOCK + b.data.length);
        }
        System.arraycopy(b.data, at, dst, dstOffset, first);
        if (first < length) { // the read crosses into the next block
            Block next = block(index + 1);
            int rest = length - first;
            if (rest > next.data.length) {
                throw new TruncatedDumpException(name, offset, length, (index + 1) * BLOCK + next.data.length);
            }
            System.arraycopy(next.data, 0, dst, dstOffset + first, rest);
        }
    }

    private Block block(long index) throws IOException {
        if (closed) {
            throw new SourceClosedException(name, null);
        }
        Block[] cache = blocks;
        for (Block b : cache) {
            if (b != null && b.index == index) {
                return b;
            }
        }
        long start = index * BLOCK;
        byte[] data = new byte[(int) Math.min(BLOCK, size - start)];
        long end = fillToEnd(start, ByteBuffer.wrap(data));
        if (end - start < data.length) { // the file ended early (a device or procfs file): keep what was read
            return new Block(index, java.util.Arrays.copyOf(data, (int) (end - start)));
        }
        Block b = new Block(index, data);
        int slot = victim;
        victim = (slot + 1) % SLOTS;
        cache[slot] = b;
        return b;
    }

    /** Whether a read goes through the block cache: small enough to cost less copied than read alone. */
    private static boolean small(int length) {
        return length < BLOCK;
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
        byte[] b = new byte[length];
        cached(offset, b, 0, length);
        return ByteBuffer.wrap(b).order(order);
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
        if (small(length)) {
            cached(offset, dst, dstOffset, length);
        } else {
            fill(offset, ByteBuffer.wrap(dst, dstOffset, length));
        }
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
        java.util.Arrays.fill(blocks, null);
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
