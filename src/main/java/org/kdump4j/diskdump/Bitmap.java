package org.kdump4j.diskdump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.TruncatedDumpException;

/**
 * A kdump page bitmap (bit {@code p} = byte {@code p >> 3}, bit {@code p & 7}) held as words, with a
 * prefix count every {@value #WORDS_PER_RANK} words so {@link #rank} costs at most that many
 * {@code bitCount}s. Immutable once built; bits at or past {@link #size()} are zero.
 */
final class Bitmap {
    static final int WORDS_PER_RANK = 8;
    private static final int READ_CHUNK = 1 << 20;

    private final long[] words;
    private final long size;
    private final long[] ranks;
    private final long cardinality;

    private Bitmap(long[] words, long size) {
        this.words = words;
        this.size = size;
        int tail = (int) (size & 63);
        if (tail != 0 && words.length > 0) {
            words[words.length - 1] &= (1L << tail) - 1;
        }
        this.ranks = new long[(words.length + WORDS_PER_RANK - 1) / WORDS_PER_RANK + 1];
        long total = 0;
        for (int i = 0; i < words.length; i++) {
            if (i % WORDS_PER_RANK == 0) {
                ranks[i / WORDS_PER_RANK] = total;
            }
            total += Long.bitCount(words[i]);
        }
        ranks[ranks.length - 1] = total;
        this.cardinality = total;
    }

    /** Reads {@code bits} bits stored at {@code offset}. */
    static Bitmap read(Storage storage, long offset, long bits, String what) throws IOException {
        long bytes = (bits + 7) >>> 3;
        if (bits < 0 || (bits + 63) >>> 6 > Integer.MAX_VALUE - 16) {
            throw new DumpFormatException(storage.name(), offset, what + " of " + bits + " bits is too large");
        }
        if (bytes > storage.source().size()) {
            throw new DumpFormatException(storage.name(), offset, what + " of " + bytes
                    + " bytes is larger than the whole file");
        }
        if (offset < 0 || offset > storage.size() || bytes > storage.size() - offset) {
            throw new TruncatedDumpException(storage.name(), offset, bytes, storage.size(), what);
        }
        long[] words = new long[(int) ((bits + 63) >>> 6)];
        byte[] chunk = new byte[(int) Math.min(READ_CHUNK, (bytes + 7) & ~7L)];
        long done = 0;
        int w = 0;
        while (done < bytes) {
            int n = (int) Math.min(chunk.length, bytes - done);
            java.util.Arrays.fill(chunk, (byte) 0);
            storage.read(offset + done, chunk, 0, n);
            ByteBuffer b = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            int wordsHere = (n + 7) >>> 3;
            for (int i = 0; i < wordsHere && w < words.length; i++) {
                words[w++] = b.getLong(i * 8);
            }
            done += n;
        }
        return new Bitmap(words, bits);
    }

    /** A bitmap from words (for derived bitmaps). */
    static Bitmap of(long[] words, long size) {
        return new Bitmap(words, size);
    }

    /** The number of bits. */
    long size() {
        return size;
    }

    /** The number of set bits. */
    long cardinality() {
        return cardinality;
    }

    /** Whether bit {@code p} is set ({@code false} outside the bitmap). */
    boolean get(long p) {
        return p >= 0 && p < size && (words[(int) (p >>> 6)] & (1L << p)) != 0;
    }

    /** The number of set bits in {@code [0, p)}. */
    long rank(long p) {
        if (p <= 0) {
            return 0;
        }
        if (p >= size) {
            return cardinality;
        }
        int w = (int) (p >>> 6);
        int block = w / WORDS_PER_RANK;
        long r = ranks[block];
        for (int i = block * WORDS_PER_RANK; i < w; i++) {
            r += Long.bitCount(words[i]);
        }
        int bit = (int) (p & 63);
        if (bit != 0) {
            r += Long.bitCount(words[w] & ((1L << bit) - 1));
        }
        return r;
    }

    /** The first set bit at or after {@code from}, or -1. */
    long nextSetBit(long from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= size) {
            return -1;
        }
        int w = (int) (from >>> 6);
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return ((long) w << 6) + Long.numberOfTrailingZeros(word);
            }
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
    }

    /** The first clear bit at or after {@code from}, or {@link #size()} when none before the end. */
    long nextClearBit(long from) {
        if (from >= size) {
            return size;
        }
        int w = (int) (from >>> 6);
        long word = ~words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                return Math.min(size, ((long) w << 6) + Long.numberOfTrailingZeros(word));
            }
            if (++w == words.length) {
                return size;
            }
            word = ~words[w];
        }
    }

    /** A copy of the words (for building derived bitmaps). */
    long[] words() {
        return words.clone();
    }

    /** Whether both bitmaps have the same bits. */
    boolean sameBits(Bitmap o) {
        return size == o.size && java.util.Arrays.equals(words, o.words);
    }
}
