package org.kdump4j.diskdump;

/**
 * FSE table descriptions (RFC 8878 4.1.1): reads the normalized counts of a distribution and spreads its
 * symbols over the states of a decoding table. One instance is scratch space for one thread; the
 * decoding tables themselves ({@link ZstdSequenceTable}, the Huffman weight table in {@link ZstdHuffman})
 * are built from {@link #symbols} and {@link #next} after {@link #spread()}.
 */
final class ZstdFse {
    /** The largest accuracy log any Zstandard FSE table may use (literal and match lengths: 9). */
    static final int MAX_LOG = 9;

    /** Normalized count per symbol ({@code -1}: "less than one"), valid up to {@link #maxSymbol}. */
    final short[] norm = new short[256];
    /** After {@link #spread()}: the symbol of each state. */
    final byte[] symbols = new byte[1 << MAX_LOG];
    /** Scratch for {@link #spread()}: the symbols in runs of their counts (8 bytes of slack). */
    private final byte[] runs = new byte[(1 << MAX_LOG) + 8];
    /** Scratch for {@link #spread()}: the "less than one" symbols in order (they take the last states). */
    private final byte[] lowSymbols = new byte[1 << MAX_LOG];
    /** After {@link #spread()}: per symbol, its count; the table builder numbers its states from here. */
    final int[] next = new int[256];
    /** The last symbol of the distribution. */
    int maxSymbol;
    /** The accuracy log of the distribution. */
    int log;

    /**
     * Reads a table description forward from {@code ip}, for symbols up to {@code maxSymbolAllowed} and an
     * accuracy log up to {@code maxLog}; returns the position after it.
     */
    int read(byte[] in, int ip, int end, int inOffset, int maxSymbolAllowed, int maxLog)
            throws DecompressionException {
        int bitLimit = (end - ip) * 8;
        if (bitLimit < 4) {
            throw ZstdDecoder.error(ip - inOffset, "FSE table description is truncated");
        }
        // a 64-bit window of the stream from byte `at`, `shift` bits of it used (kept <= 40: every
        // field is at most 10 bits); bits past `end` read as zero
        int at = ip;
        long window = load(in, at, end);
        int accuracy = (int) (window & 15) + 5;
        int shift = 4;
        if (accuracy > maxLog) {
            throw ZstdDecoder.error(ip - inOffset, "FSE accuracy log " + accuracy + " exceeds " + maxLog);
        }
        short[] counts = norm;
        int remaining = 1 << accuracy;
        int symbol = 0;
        while (remaining > 0) {
            if (symbol > maxSymbolAllowed) {
                throw ZstdDecoder.error(ip - inOffset, "FSE table description has too many symbols");
            }
            if (shift > 40) {
                at += shift >>> 3;
                shift &= 7;
                window = load(in, at, end);
            }
            int bit = (at - ip) * 8 + shift;
            int plus1 = remaining + 1;
            int nb = 32 - Integer.numberOfLeadingZeros(plus1);
            int threshold = 1 << (nb - 1);
            int max = 2 * threshold - 1 - plus1;
            if (bit + nb > bitLimit + 1) {
                throw ZstdDecoder.error(ip - inOffset, "FSE table description is truncated");
            }
            int v = (int) (window >>> shift) & (2 * threshold - 1);
            int low = v & (threshold - 1);
            int value;
            if (low < max) {
                value = low;
                shift += nb - 1;
            } else {
                if (bit + nb > bitLimit) {
                    throw ZstdDecoder.error(ip - inOffset, "FSE table description is truncated");
                }
                value = v >= threshold ? v - max : v;
                shift += nb;
            }
            int prob = value - 1;
            remaining -= prob == -1 ? 1 : prob;
            if (remaining < 0) {
                throw ZstdDecoder.error(ip - inOffset, "FSE probabilities exceed the table size");
            }
            counts[symbol++] = (short) prob;
            if (prob == 0) {
                while (true) {
                    if (shift > 40) {
                        at += shift >>> 3;
                        shift &= 7;
                        window = load(in, at, end);
                    }
                    if ((at - ip) * 8 + shift + 2 > bitLimit) {
                        throw ZstdDecoder.error(ip - inOffset, "FSE table description is truncated");
                    }
                    int repeat = (int) (window >>> shift) & 3;
                    shift += 2;
                    if (symbol + repeat > maxSymbolAllowed + 1) {
                        throw ZstdDecoder.error(ip - inOffset, "FSE zero-probability run exceeds the symbol range");
                    }
                    for (int i = 0; i < repeat; i++) {
                        counts[symbol++] = 0;
                    }
                    if (repeat != 3) {
                        break;
                    }
                }
            }
        }
        int bits = (at - ip) * 8 + shift;
        if (bits > bitLimit) {
            throw ZstdDecoder.error(ip - inOffset, "FSE table description is truncated");
        }
        maxSymbol = symbol - 1;
        log = accuracy;
        return ip + ((bits + 7) >>> 3);
    }

    /** Uses a distribution given directly (the predefined ones) instead of reading one. */
    ZstdFse set(short[] counts, int accuracy) {
        System.arraycopy(counts, 0, norm, 0, counts.length);
        maxSymbol = counts.length - 1;
        log = accuracy;
        return this;
    }

    /**
     * Spreads the symbols over the {@code 1 << log} states (RFC 8878 4.1.1): "less than one" symbols
     * take the last states, the others are placed with the standard step; sets {@link #next} to each
     * symbol's count.
     *
     * @return false when the counts do not fill the table exactly
     */
    boolean spread() {
        int size = 1 << log;
        int high = size - 1;
        short[] counts = norm;
        byte[] table = symbols;
        int[] first = next;
        byte[] run = runs;
        byte[] lessThanOne = lowSymbols;
        // "less than one" symbols at the top; the others laid out in runs (8 bytes per write: a run of up
        // to 8 takes one write, the next run overwrites the excess), then placed with the standard step
        int n = 0;
        for (int s = 0; s <= maxSymbol; s++) {
            int c = counts[s];
            if (c == -1) {
                if (high < 0) {
                    return false;
                }
                lessThanOne[size - 1 - high] = (byte) s;
                high--;
                first[s] = 1;
            } else {
                first[s] = c;
                long pattern = (s & 0xffL) * 0x0101010101010101L;
                ZstdBitReader.LE_LONG.set(run, n, pattern);
                for (int i = 8; i < c; i += 8) {
                    ZstdBitReader.LE_LONG.set(run, n + i, pattern);
                }
                n += c;
            }
        }
        if (n != high + 1) {
            return false;
        }
        // the k-th position of the walk is k * step modulo the size (step is odd: every state once), so
        // each position is computed on its own rather than from the previous one
        int step = (size >>> 1) + (size >>> 3) + 3;
        int mask = size - 1;
        if (high == size - 1) {
            for (int i = 0; i < n; i++) {
                table[(i * step) & mask] = run[i];
            }
        } else {
            // positions above `high` are skipped: the walk covers them too, writing a symbol that does not
            // advance the run, and the "less than one" symbols are put back over them afterwards
            int j = 0;
            for (int k = 0; k < size; k++) {
                int pos = (k * step) & mask;
                table[pos] = run[j];
                j += ((high - pos) >>> 31) ^ 1;
            }
            for (int i = 0, top = size - 1; top > high; i++, top--) {
                table[top] = lessThanOne[i];
            }
        }
        return true;
    }

    /** Little-endian 64 bits at {@code at}, bytes at or past {@code end} read as zero. */
    private static long load(byte[] in, int at, int end) {
        if (at + 8 <= end) {
            return (long) ZstdBitReader.LE_LONG.get(in, at);
        }
        long v = 0;
        for (int i = 0; i < 8 && at + i < end; i++) {
            v |= (long) (in[at + i] & 0xff) << (8 * i);
        }
        return v;
    }
}
