package org.kdump4j.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A file memory-mapped in power-of-two chunks ({@code offset >> power} selects the chunk,
 * {@code offset & mask} the position in it), all in one shared {@link Arena}.
 *
 * <p>Closing the arena unmaps every chunk; a read racing with {@link #close()} sees a dead scope
 * ({@link IllegalStateException}) and reports {@link SourceClosedException}. Reads that cross a
 * chunk boundary take a byte-wise slow path.
 */
final class MappedFileSource implements ByteSource {
    private final String name;
    private final long size;
    private final int power;
    private final long mask;
    private final Arena arena;
    private final MemorySegment[] chunks;
    /**
     * Byte-buffer views of the chunks in both byte orders (null when a chunk exceeds 2 GiB), used for the
     * small reads that parsing makes: right after JVM start, while everything runs interpreted, a buffer
     * access costs a fraction of a memory-segment access. Only absolute gets are used, which change no
     * buffer state, so the views are shared by all threads; they carry the arena's scope, so a read after
     * {@link #close()} fails like a segment read does.
     */
    private final ByteBuffer[] big;
    private final ByteBuffer[] little;

    private MappedFileSource(String name, long size, int power, Arena arena, MemorySegment[] chunks) {
        this.name = name;
        this.size = size;
        this.power = power;
        this.mask = (1L << power) - 1;
        this.arena = arena;
        this.chunks = chunks;
        if (power <= 30) {
            this.big = new ByteBuffer[chunks.length];
            this.little = new ByteBuffer[chunks.length];
            for (int i = 0; i < chunks.length; i++) {
                big[i] = chunks[i].asByteBuffer().order(ByteOrder.BIG_ENDIAN);
                little[i] = big[i].duplicate().order(ByteOrder.LITTLE_ENDIAN);
            }
        } else {
            this.big = null;
            this.little = null;
        }
    }

    private ByteBuffer view(int chunk, ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN ? big[chunk] : little[chunk];
    }

    /** Maps the whole file. */
    static MappedFileSource map(Path path, int power, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long count = (size >>> power) + 1;
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": too many chunks of 2^" + power + " bytes; use a larger chunk size");
            }
            Arena arena = Arena.ofShared();
            MemorySegment[] chunks = new MemorySegment[(int) count];
            boolean ok = false;
            try {
                long chunk = 1L << power;
                for (int i = 0; i < chunks.length; i++) {
                    long start = (long) i << power;
                    long len = Math.min(chunk, size - start);
                    chunks[i] = len == 0 ? MemorySegment.ofArray(new byte[0])
                            : ch.map(FileChannel.MapMode.READ_ONLY, start, len, arena);
                }
                ok = true;
            } catch (IOException e) {
                throw new IOException(name + ": cannot map " + size + " bytes in chunks of 2^" + power
                        + " bytes (" + e.getMessage() + "); check 'ulimit -v' and 'sysctl vm.max_map_count',"
                        + " or use positional access", e);
            } finally {
                if (!ok) {
                    arena.close();
                }
            }
            return new MappedFileSource(name, size, power, arena, chunks);
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
        return true;
    }

    private IOException failure(RuntimeException e) {
        if (!arena.scope().isAlive()) {
            return new SourceClosedException(name, e);
        }
        throw e;
    }

    @Override
    public byte getByte(long offset) throws IOException {
        Ranges.check(name, offset, 1, size);
        try {
            return chunks[(int) (offset >>> power)].get(ValueLayout.JAVA_BYTE, offset & mask);
        } catch (IllegalStateException e) {
            throw failure(e);
        }
    }

    @Override
    public short getShort(long offset, ByteOrder order) throws IOException {
        Ranges.check(name, offset, 2, size);
        try {
            long in = offset & mask;
            int k = (int) (offset >>> power);
            MemorySegment c = chunks[k];
            if (in + 2 <= c.byteSize()) {
                return big != null ? view(k, order).getShort((int) in) : c.get(Layouts.shortIn(order), in);
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
        return MemorySegment.ofArray(readBytes(offset, 2)).get(Layouts.shortIn(order), 0);
    }

    @Override
    public int getInt(long offset, ByteOrder order) throws IOException {
        Ranges.check(name, offset, 4, size);
        try {
            long in = offset & mask;
            int k = (int) (offset >>> power);
            MemorySegment c = chunks[k];
            if (in + 4 <= c.byteSize()) {
                return big != null ? view(k, order).getInt((int) in) : c.get(Layouts.intIn(order), in);
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
        return MemorySegment.ofArray(readBytes(offset, 4)).get(Layouts.intIn(order), 0);
    }

    @Override
    public long getLong(long offset, ByteOrder order) throws IOException {
        Ranges.check(name, offset, 8, size);
        try {
            long in = offset & mask;
            int k = (int) (offset >>> power);
            MemorySegment c = chunks[k];
            if (in + 8 <= c.byteSize()) {
                return big != null ? view(k, order).getLong((int) in) : c.get(Layouts.longIn(order), in);
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
        return MemorySegment.ofArray(readBytes(offset, 8)).get(Layouts.longIn(order), 0);
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (big == null) {
            read(offset, MemorySegment.ofArray(dst), dstOffset, length);
            return;
        }
        Ranges.check(name, offset, length, size);
        try {
            long pos = offset;
            int done = 0;
            while (done < length) {
                int k = (int) (pos >>> power);
                int in = (int) (pos & mask);
                int n = Math.min(length - done, big[k].capacity() - in);
                big[k].get(in, dst, dstOffset + done, n);
                done += n;
                pos += n;
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
    }

    @Override
    public void read(long offset, MemorySegment dst, long dstOffset, long length) throws IOException {
        Ranges.check(name, offset, length, size);
        try {
            long pos = offset;
            long done = 0;
            while (done < length) {
                MemorySegment c = chunks[(int) (pos >>> power)];
                long in = pos & mask;
                long n = Math.min(length - done, c.byteSize() - in);
                MemorySegment.copy(c, in, dst, dstOffset + done, n);
                done += n;
                pos += n;
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
    }

    @Override
    public MemorySegment slice(long offset, long length) throws IOException {
        Ranges.check(name, offset, length, size);
        try {
            long in = offset & mask;
            MemorySegment c = chunks[(int) (offset >>> power)];
            if (in + length <= c.byteSize()) {
                MemorySegment view = c.asSlice(in, length);
                // asSlice does not check the scope: a slice() that starts after close() must not hand out a
                // dead view (its first access would throw IllegalStateException, not SourceClosedException)
                if (!arena.scope().isAlive()) {
                    throw new SourceClosedException(name, null);
                }
                return view;
            }
        } catch (IllegalStateException e) {
            throw failure(e);
        }
        MemorySegment copy = MemorySegment.ofArray(new byte[Math.toIntExact(length)]);
        read(offset, copy, 0, length);
        return copy.asReadOnly();
    }

    @Override
    public void close() {
        // A shared arena refuses to close while another thread is inside an access; retry until it is gone.
        while (arena.scope().isAlive()) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException e) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public String toString() {
        return "MappedFileSource[" + name + ", " + size + " bytes, chunk 2^" + power + "]";
    }
}
