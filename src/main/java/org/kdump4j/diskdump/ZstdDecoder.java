package org.kdump4j.diskdump;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Zstandard decoder written from RFC 8878: frames (with or without content size, window descriptor and
 * content checksum; skippable frames are skipped), raw, RLE and compressed blocks, literals sections
 * (raw, RLE, Huffman-coded with one or four streams, treeless reuse of the previous table, weights
 * given directly or FSE-compressed), sequences sections (predefined, RLE, FSE-compressed and repeated
 * tables) and the three repeat offsets. Dictionaries are not supported (kdump writers use none).
 *
 * <p>Bounded: the output never exceeds the capacity, every table, bit read and copy is checked, and any
 * malformed input raises {@link DecompressionException}.
 */
final class ZstdDecoder {
    static final int MAGIC = 0xFD2FB528;
    private static final int MAX_BLOCK_SIZE = 128 * 1024;
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    // RFC 8878 3.1.1.3.2.1.1: baselines and extra bits of the literal-length and match-length codes
    private static final int[] LL_BASE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 22, 24, 28,
        32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
    private static final int[] LL_BITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 6,
        7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final int[] ML_BASE = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027,
        2051, 4099, 8195, 16387, 32771, 65539};
    private static final int[] ML_BITS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    // RFC 8878 3.1.1.3.2.2: predefined distributions
    private static final short[] LL_DEFAULT = {4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
        2, 3, 2, 1, 1, 1, 1, 1, -1, -1, -1, -1};
    private static final short[] ML_DEFAULT = {1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1};
    private static final short[] OF_DEFAULT = {1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        -1, -1, -1, -1, -1};
    private static final int LL_MAX_LOG = 9;
    private static final int ML_MAX_LOG = 9;
    private static final int OF_MAX_LOG = 8;
    private static final int OF_MAX_SYMBOL = 31;
    private static final int HUF_MAX_BITS = 11;

    private static final FseTable LL_PREDEFINED = FseTable.build(LL_DEFAULT, LL_DEFAULT.length - 1, 6);
    private static final FseTable ML_PREDEFINED = FseTable.build(ML_DEFAULT, ML_DEFAULT.length - 1, 6);
    private static final FseTable OF_PREDEFINED = FseTable.build(OF_DEFAULT, OF_DEFAULT.length - 1, 5);

    private ZstdDecoder() {
    }

    /** An FSE decoding table: per state, its symbol, the bits to read and the baseline of the next state. */
    static final class FseTable {
        int log;
        final byte[] symbol;
        final byte[] bits;
        final int[] base;

        FseTable(int maxLog) {
            int size = 1 << maxLog;
            symbol = new byte[size];
            bits = new byte[size];
            base = new int[size];
        }

        /** Makes this a one-state table that always yields {@code sym} and reads no bits. */
        FseTable rle(int sym) {
            log = 0;
            symbol[0] = (byte) sym;
            bits[0] = 0;
            base[0] = 0;
            return this;
        }

        static FseTable build(short[] norm, int maxSymbol, int log) {
            FseTable t = new FseTable(log);
            if (!t.fill(norm, maxSymbol, log, new int[maxSymbol + 1])) {
                throw new IllegalArgumentException("invalid distribution");
            }
            return t;
        }

        /**
         * Fills the table from normalized counts (RFC 8878 4.1.1), using {@code next} as scratch.
         *
         * @return false when the counts do not spread over the table
         */
        boolean fill(short[] norm, int maxSymbol, int newLog, int[] next) {
            int size = 1 << newLog;
            if (size > symbol.length) {
                return false;
            }
            int high = size - 1;
            for (int s = 0; s <= maxSymbol; s++) {
                if (norm[s] == -1) {
                    if (high < 0) {
                        return false;
                    }
                    symbol[high--] = (byte) s;
                    next[s] = 1;
                } else {
                    next[s] = norm[s];
                }
            }
            int step = (size >>> 1) + (size >>> 3) + 3;
            int mask = size - 1;
            int pos = 0;
            for (int s = 0; s <= maxSymbol; s++) {
                for (int i = 0; i < norm[s]; i++) {
                    symbol[pos] = (byte) s;
                    do {
                        pos = (pos + step) & mask;
                    } while (pos > high);
                }
            }
            if (pos != 0) {
                return false;
            }
            for (int u = 0; u < size; u++) {
                int s = symbol[u] & 0xff;
                int state = next[s]++;
                int nb = newLog - (31 - Integer.numberOfLeadingZeros(state));
                bits[u] = (byte) nb;
                base[u] = (state << nb) - size;
            }
            log = newLog;
            return true;
        }
    }

    /** Per-thread decoding state, reset for each frame; tables carried across the frame's blocks. */
    private static final class FrameState {
        final int[] huffman = new int[1 << HUF_MAX_BITS];
        int huffmanBits;
        boolean hasHuffman;
        final FseTable llTable = new FseTable(LL_MAX_LOG);
        final FseTable ofTable = new FseTable(OF_MAX_LOG);
        final FseTable mlTable = new FseTable(ML_MAX_LOG);
        final FseTable weightTable = new FseTable(6);
        final short[] norm = new short[256];
        final int[] next = new int[256];
        final int[] weights = new int[257];
        final int[] result = new int[2];
        FseTable ll;
        FseTable of;
        FseTable ml;
        int rep1;
        int rep2;
        int rep3;
        byte[] literals = new byte[4096];

        FrameState reset() {
            hasHuffman = false;
            ll = null;
            of = null;
            ml = null;
            rep1 = 1;
            rep2 = 4;
            rep3 = 8;
            return this;
        }
    }

    private static final ThreadLocal<FrameState> STATE = ThreadLocal.withInitial(FrameState::new);


    static int decompress(byte[] in, int inOffset, int inLength, byte[] out, int outOffset, int capacity)
            throws DecompressionException {
        int ip = inOffset;
        final int inEnd = inOffset + inLength;
        int op = outOffset;
        final int opEnd = outOffset + capacity;
        if (inLength == 0) {
            throw error(0, "empty input");
        }
        while (ip < inEnd) {
            if (inEnd - ip < 4) {
                throw error(ip - inOffset, "input ends inside a frame magic number");
            }
            int magic = le32(in, ip);
            if ((magic & 0xFFFFFFF0) == 0x184D2A50) {
                if (inEnd - ip < 8) {
                    throw error(ip - inOffset, "input ends inside a skippable frame header");
                }
                long skip = Integer.toUnsignedLong(le32(in, ip + 4));
                if (skip > inEnd - ip - 8) {
                    throw error(ip - inOffset, "skippable frame of " + skip + " bytes overruns the input");
                }
                ip += 8 + (int) skip;
                continue;
            }
            if (magic != MAGIC) {
                throw error(ip - inOffset, "bad frame magic 0x" + Integer.toHexString(magic));
            }
            long r = frame(in, ip + 4, inEnd, inOffset, out, op, opEnd);
            ip = (int) (r >>> 32);
            op = (int) r;
        }
        return op - outOffset;
    }

    /** Decodes one frame after its magic; returns (input position << 32) | output position. */
    private static long frame(byte[] in, int ip, int inEnd, int inOffset, byte[] out, int op, int opEnd)
            throws DecompressionException {
        if (ip >= inEnd) {
            throw error(ip - inOffset, "input ends inside a frame header");
        }
        int fhd = in[ip++] & 0xff;
        int fcsFlag = fhd >>> 6;
        boolean singleSegment = (fhd & 0x20) != 0;
        boolean checksum = (fhd & 0x04) != 0;
        int dictFlag = fhd & 3;
        if ((fhd & 0x08) != 0) {
            throw error(ip - 1 - inOffset, "reserved frame header bit is set");
        }
        int dictBytes = dictFlag == 3 ? 4 : dictFlag;
        int fcsBytes = switch (fcsFlag) {
            case 0 -> singleSegment ? 1 : 0;
            case 1 -> 2;
            case 2 -> 4;
            default -> 8;
        };
        int headerRest = (singleSegment ? 0 : 1) + dictBytes + fcsBytes;
        if (inEnd - ip < headerRest) {
            throw error(ip - inOffset, "input ends inside a frame header");
        }
        if (!singleSegment) {
            int wd = in[ip++] & 0xff;
            if ((wd >>> 3) + 10 > 41) {
                throw error(ip - 1 - inOffset, "window size exponent " + (wd >>> 3) + " is too large");
            }
        }
        long dictId = 0;
        for (int i = 0; i < dictBytes; i++) {
            dictId |= (long) (in[ip++] & 0xff) << (8 * i);
        }
        if (dictId != 0) {
            throw error(ip - inOffset, "frame needs dictionary " + dictId + " (dictionaries are not supported)");
        }
        long contentSize = -1;
        if (fcsBytes > 0) {
            long v = 0;
            for (int i = 0; i < fcsBytes; i++) {
                v |= (long) (in[ip++] & 0xff) << (8 * i);
            }
            contentSize = fcsBytes == 2 ? v + 256 : v;
            if (contentSize < 0 || contentSize > opEnd - op) {
                throw error(ip - inOffset, "frame content size " + Long.toUnsignedString(contentSize)
                        + " exceeds the output capacity of " + (opEnd - op));
            }
        }
        final int frameStart = op;
        FrameState st = STATE.get().reset();
        boolean last = false;
        while (!last) {
            if (inEnd - ip < 3) {
                throw error(ip - inOffset, "input ends inside a block header");
            }
            int bh = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8 | (in[ip + 2] & 0xff) << 16;
            ip += 3;
            last = (bh & 1) != 0;
            int type = (bh >>> 1) & 3;
            int size = bh >>> 3;
            switch (type) {
                case 0 -> {
                    if (size > inEnd - ip) {
                        throw error(ip - inOffset, "raw block of " + size + " bytes overruns the input");
                    }
                    if (size > opEnd - op) {
                        throw error(ip - inOffset, "raw block of " + size + " bytes exceeds the output capacity");
                    }
                    System.arraycopy(in, ip, out, op, size);
                    ip += size;
                    op += size;
                }
                case 1 -> {
                    if (ip >= inEnd) {
                        throw error(ip - inOffset, "input ends inside an RLE block");
                    }
                    if (size > MAX_BLOCK_SIZE || size > opEnd - op) {
                        throw error(ip - inOffset, "RLE block of " + size + " bytes exceeds the output capacity");
                    }
                    java.util.Arrays.fill(out, op, op + size, in[ip++]);
                    op += size;
                }
                case 2 -> {
                    if (size > inEnd - ip) {
                        throw error(ip - inOffset, "compressed block of " + size + " bytes overruns the input");
                    }
                    if (size > MAX_BLOCK_SIZE) {
                        throw error(ip - inOffset, "compressed block of " + size + " bytes exceeds 128 KiB");
                    }
                    op = block(in, ip, ip + size, inOffset, out, op, opEnd, frameStart, st);
                    ip += size;
                }
                default -> throw error(ip - 3 - inOffset, "reserved block type 3");
            }
        }
        if (contentSize >= 0 && op - frameStart != contentSize) {
            throw error(ip - inOffset, "frame decodes to " + (op - frameStart) + " bytes but declares "
                    + contentSize);
        }
        if (checksum) {
            if (inEnd - ip < 4) {
                throw error(ip - inOffset, "input ends inside the content checksum");
            }
            int expected = le32(in, ip);
            int actual = (int) XxHash64.hash(out, frameStart, op - frameStart, 0);
            if (expected != actual) {
                throw error(ip - inOffset, "content checksum 0x" + Integer.toHexString(actual) + " does not match 0x"
                        + Integer.toHexString(expected));
            }
            ip += 4;
        }
        return (long) ip << 32 | (op & 0xffffffffL);
    }

    // ------------------------------------------------------------------------------------ compressed block

    private static int block(byte[] in, int ip, int end, int inOffset, byte[] out, int op, int opEnd,
            int frameStart, FrameState st) throws DecompressionException {
        if (end - ip < 1) {
            throw error(ip - inOffset, "empty compressed block");
        }
        // literals section
        int h0 = in[ip] & 0xff;
        int litType = h0 & 3;
        int sizeFormat = (h0 >>> 2) & 3;
        int regenerated;
        int litStart;
        byte[] lit;
        int litLength;
        if (litType < 2) {
            int headerSize;
            switch (sizeFormat) {
                case 0, 2 -> {
                    headerSize = 1;
                    regenerated = h0 >>> 3;
                }
                case 1 -> {
                    headerSize = 2;
                    need(ip, end, 2, inOffset);
                    regenerated = (h0 >>> 4) | (in[ip + 1] & 0xff) << 4;
                }
                default -> {
                    headerSize = 3;
                    need(ip, end, 3, inOffset);
                    regenerated = (h0 >>> 4) | (in[ip + 1] & 0xff) << 4 | (in[ip + 2] & 0xff) << 12;
                }
            }
            ip += headerSize;
            if (regenerated > opEnd - op || regenerated > MAX_BLOCK_SIZE) {
                throw error(ip - inOffset, regenerated + " literals exceed the output capacity");
            }
            if (litType == 0) {
                need(ip, end, regenerated, inOffset);
                lit = in;
                litStart = ip;
                ip += regenerated;
            } else {
                need(ip, end, 1, inOffset);
                lit = literalBuffer(st, regenerated);
                java.util.Arrays.fill(lit, 0, regenerated, in[ip]);
                litStart = 0;
                ip += 1;
            }
            litLength = regenerated;
        } else {
            int headerSize = sizeFormat < 2 ? 3 : sizeFormat == 2 ? 4 : 5;
            need(ip, end, headerSize, inOffset);
            long h = 0;
            for (int i = 0; i < headerSize; i++) {
                h |= (long) (in[ip + i] & 0xff) << (8 * i);
            }
            int sizeBits = sizeFormat < 2 ? 10 : sizeFormat == 2 ? 14 : 18;
            regenerated = (int) ((h >>> 4) & ((1 << sizeBits) - 1));
            int compressed = (int) ((h >>> (4 + sizeBits)) & ((1 << sizeBits) - 1));
            boolean fourStreams = sizeFormat != 0;
            ip += headerSize;
            need(ip, end, compressed, inOffset);
            if (regenerated > opEnd - op || regenerated > MAX_BLOCK_SIZE) {
                throw error(ip - inOffset, regenerated + " literals exceed the output capacity");
            }
            int cEnd = ip + compressed;
            if (litType == 2) {
                ip = huffmanTable(in, ip, cEnd, inOffset, st);
            } else if (!st.hasHuffman) {
                throw error(ip - inOffset, "treeless literals without a previous Huffman table");
            }
            lit = literalBuffer(st, regenerated);
            litStart = 0;
            if (fourStreams) {
                huffman4(in, ip, cEnd, inOffset, st, lit, regenerated);
            } else {
                huffman1(in, ip, cEnd, inOffset, st, lit, 0, regenerated);
            }
            ip = cEnd;
            litLength = regenerated;
        }
        // sequences section
        need(ip, end, 1, inOffset);
        int b0 = in[ip++] & 0xff;
        int nbSeq;
        if (b0 < 128) {
            nbSeq = b0;
        } else if (b0 < 255) {
            need(ip, end, 1, inOffset);
            nbSeq = ((b0 - 128) << 8) + (in[ip++] & 0xff);
        } else {
            need(ip, end, 2, inOffset);
            nbSeq = (in[ip] & 0xff) + ((in[ip + 1] & 0xff) << 8) + 0x7F00;
            ip += 2;
        }
        if (nbSeq == 0) {
            if (ip != end) {
                throw error(ip - inOffset, (end - ip) + " bytes follow a block without sequences");
            }
            if (litLength > opEnd - op) {
                throw error(ip - inOffset, "literals exceed the output capacity");
            }
            System.arraycopy(lit, litStart, out, op, litLength);
            return op + litLength;
        }
        if ((long) nbSeq * 3 > opEnd - op) {
            throw error(ip - inOffset, nbSeq + " sequences cannot fit in the output capacity of " + (opEnd - op));
        }
        need(ip, end, 1, inOffset);
        int modes = in[ip++] & 0xff;
        if ((modes & 3) != 0) {
            throw error(ip - 1 - inOffset, "reserved bits of the symbol compression modes are set");
        }
        int[] pos = {ip};
        st.ll = table((modes >>> 6) & 3, in, pos, end, inOffset, st, st.ll, st.llTable, LL_PREDEFINED,
                LL_BASE.length - 1, LL_MAX_LOG, "literal lengths");
        st.of = table((modes >>> 4) & 3, in, pos, end, inOffset, st, st.of, st.ofTable, OF_PREDEFINED, OF_MAX_SYMBOL,
                OF_MAX_LOG, "offsets");
        st.ml = table((modes >>> 2) & 3, in, pos, end, inOffset, st, st.ml, st.mlTable, ML_PREDEFINED,
                ML_BASE.length - 1, ML_MAX_LOG, "match lengths");
        ip = pos[0];
        return sequences(in, ip, end, inOffset, out, op, opEnd, frameStart, st, nbSeq, lit, litStart, litLength);
    }

    private static byte[] literalBuffer(FrameState st, int size) {
        if (st.literals.length < size) {
            st.literals = new byte[Math.max(size, 2 * st.literals.length)];
        }
        return st.literals;
    }

    private static void need(int ip, int end, int n, int inOffset) throws DecompressionException {
        if (n < 0 || n > end - ip) {
            throw error(ip - inOffset, "block ends early: " + n + " more bytes needed");
        }
    }

    /** The table for one symbol type per its compression mode; {@code slot} is this thread's table to fill. */
    private static FseTable table(int mode, byte[] in, int[] pos, int end, int inOffset, FrameState st,
            FseTable previous, FseTable slot, FseTable predefined, int maxSymbol, int maxLog, String what)
            throws DecompressionException {
        switch (mode) {
            case 0:
                return predefined;
            case 1: {
                need(pos[0], end, 1, inOffset);
                int s = in[pos[0]++] & 0xff;
                if (s > maxSymbol) {
                    throw error(pos[0] - 1 - inOffset, "RLE symbol " + s + " is out of range for " + what);
                }
                return slot.rle(s);
            }
            case 2: {
                java.util.Arrays.fill(st.norm, 0, maxSymbol + 1, (short) 0);
                pos[0] = normalizedCounts(in, pos[0], end, inOffset, st.norm, maxSymbol, maxLog, st.result);
                if (!slot.fill(st.norm, st.result[0], st.result[1], st.next)) {
                    throw error(pos[0] - inOffset, "invalid FSE distribution for " + what);
                }
                return slot;
            }
            default:
                if (previous == null) {
                    throw error(pos[0] - inOffset, "repeat mode for " + what + " without a previous table");
                }
                return previous;
        }
    }

    /**
     * Reads an FSE table description (RFC 8878 4.1.1) forward from {@code ip}; fills {@code norm} and
     * {@code result = {maxSymbolUsed, accuracyLog}}; returns the position after it.
     */
    private static int normalizedCounts(byte[] in, int ip, int end, int inOffset, short[] norm, int maxSymbol,
            int maxLog, int[] result) throws DecompressionException {
        long bitLimit = (long) (end - ip) * 8;
        if (bitLimit < 4) {
            throw error(ip - inOffset, "FSE table description is truncated");
        }
        int log = (int) (peekForward(in, ip, end, 0, 4)) + 5;
        long bit = 4;
        if (log > maxLog) {
            throw error(ip - inOffset, "FSE accuracy log " + log + " exceeds " + maxLog);
        }
        int total = 1 << log;
        int remaining = total;
        int symbol = 0;
        while (remaining > 0) {
            if (symbol > maxSymbol) {
                throw error(ip - inOffset, "FSE table description has too many symbols");
            }
            int plus1 = remaining + 1;
            int nb = 32 - Integer.numberOfLeadingZeros(plus1);
            int threshold = 1 << (nb - 1);
            int max = 2 * threshold - 1 - plus1;
            if (bit + nb - 1 > bitLimit) {
                throw error(ip - inOffset, "FSE table description is truncated");
            }
            int low = (int) peekForward(in, ip, end, bit, nb - 1);
            int value;
            if (low < max) {
                value = low;
                bit += nb - 1;
            } else {
                if (bit + nb > bitLimit) {
                    throw error(ip - inOffset, "FSE table description is truncated");
                }
                int v = (int) peekForward(in, ip, end, bit, nb);
                if (v >= threshold) {
                    v -= max;
                }
                value = v;
                bit += nb;
            }
            int prob = value - 1;
            remaining -= prob == -1 ? 1 : prob;
            if (remaining < 0) {
                throw error(ip - inOffset, "FSE probabilities exceed the table size");
            }
            norm[symbol++] = (short) prob;
            if (prob == 0) {
                while (true) {
                    if (bit + 2 > bitLimit) {
                        throw error(ip - inOffset, "FSE table description is truncated");
                    }
                    int repeat = (int) peekForward(in, ip, end, bit, 2);
                    bit += 2;
                    if (symbol + repeat > maxSymbol + 1) {
                        throw error(ip - inOffset, "FSE zero-probability run exceeds the symbol range");
                    }
                    for (int i = 0; i < repeat; i++) {
                        norm[symbol++] = 0;
                    }
                    if (repeat != 3) {
                        break;
                    }
                }
            }
        }
        if (bit > bitLimit) {
            throw error(ip - inOffset, "FSE table description is truncated");
        }
        result[0] = symbol - 1;
        result[1] = log;
        return ip + (int) ((bit + 7) >>> 3);
    }

    /** {@code n} (0..32) bits at bit {@code bit} of the forward (LSB-first) bit stream starting at {@code ip}. */
    private static long peekForward(byte[] in, int ip, int end, long bit, int n) {
        if (n == 0) {
            return 0;
        }
        int at = ip + (int) (bit >>> 3);
        long v = load(in, at, end);
        return (v >>> (bit & 7)) & ((1L << n) - 1);
    }

    /** Little-endian 64-bit load at {@code at}, bytes at or past {@code end} read as zero. */
    private static long load(byte[] b, int at, int end) {
        if (at + 8 <= end) {
            return (long) LE_LONG.get(b, at);
        }
        long v = 0;
        for (int i = 0; i < 8 && at + i < end; i++) {
            v |= (long) (b[at + i] & 0xff) << (8 * i);
        }
        return v;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    // ------------------------------------------------------------------------------------ bit streams

    /**
     * A backward bit stream (RFC 8878 4.1): read from its last byte, whose highest set bit marks the
     * start, towards its first, through a 64-bit container refilled a few bytes at a time. Reading past
     * the first byte yields zero bits and makes {@link #position()} negative.
     */
    static final class BackwardBits {
        private final byte[] buf;
        private final int start;
        private int ptr;
        long container;
        int consumed;

        BackwardBits(byte[] buf, int start, int end, int inOffset) throws DecompressionException {
            if (end <= start) {
                throw error(start - inOffset, "empty bit stream");
            }
            if ((buf[end - 1] & 0xff) == 0) {
                throw error(end - 1 - inOffset, "bit stream has no end marker");
            }
            this.buf = buf;
            this.start = start;
            if (end - start >= 8) {
                ptr = end - 8;
                container = (long) LE_LONG.get(buf, ptr);
            } else {
                ptr = start;
                long v = 0;
                for (int i = start; i < end; i++) {
                    v |= (long) (buf[i] & 0xff) << (8 * (i - start));
                }
                container = v;
            }
            consumed = Long.numberOfLeadingZeros(container) + 1;
        }

        /** Bits not yet read (negative after reading past the start). */
        long position() {
            return (long) (ptr - start) * 8 + 64 - consumed;
        }

        void reload() {
            if (consumed > 64) {
                return;
            }
            if (ptr >= start + 8) {
                ptr -= consumed >>> 3;
                consumed &= 7;
            } else if (ptr == start) {
                return;
            } else {
                int n = Math.min(consumed >>> 3, ptr - start);
                ptr -= n;
                consumed -= n * 8;
            }
            container = (long) LE_LONG.get(buf, ptr);
        }

        /** The next {@code n} (0..56) bits without consuming them. */
        long peek(int n) {
            if (consumed + n > 64) {
                reload();
            }
            if (n == 0 || consumed >= 64) {
                return 0;
            }
            return (container << consumed) >>> (64 - n);
        }

        /** Consumes {@code n} bits (after a {@link #peek} of at least {@code n}). */
        void skip(int n) {
            consumed += n;
        }

        /** Reads {@code n} (0..56) bits the container surely holds ({@code consumed + n <= 64}). */
        long readFast(int n) {
            long v = ((container << consumed) >>> 1) >>> (63 - n);
            consumed += n;
            return v;
        }

        /** Reads the next {@code n} (0..56) bits. */
        long read(int n) {
            long v = peek(n);
            consumed += n;
            return v;
        }
    }

    // ------------------------------------------------------------------------------------ Huffman

    /** Reads a Huffman tree description (RFC 8878 4.2.1) into {@code st}; returns the position after it. */
    private static int huffmanTable(byte[] in, int ip, int end, int inOffset, FrameState st)
            throws DecompressionException {
        need(ip, end, 1, inOffset);
        int header = in[ip++] & 0xff;
        int[] weights = st.weights;
        int count;
        if (header >= 128) {
            count = header - 127;
            int bytes = (count + 1) / 2;
            need(ip, end, bytes, inOffset);
            for (int i = 0; i < count; i++) {
                int b = in[ip + i / 2] & 0xff;
                weights[i] = (i & 1) == 0 ? b >>> 4 : b & 15;
            }
            ip += bytes;
        } else {
            need(ip, end, header, inOffset);
            int wEnd = ip + header;
            short[] norm = st.norm;
            java.util.Arrays.fill(norm, (short) 0);
            int after = normalizedCounts(in, ip, wEnd, inOffset, norm, 255, 6, st.result);
            FseTable t = st.weightTable;
            if (!t.fill(norm, st.result[0], st.result[1], st.next)) {
                throw error(ip - inOffset, "invalid FSE distribution for Huffman weights");
            }
            BackwardBits bits = new BackwardBits(in, after, wEnd, inOffset);
            int s1 = (int) bits.read(t.log);
            int s2 = (int) bits.read(t.log);
            count = 0;
            while (true) {
                if (count >= 255) {
                    throw error(ip - inOffset, "too many Huffman weights");
                }
                weights[count++] = t.symbol[s1] & 0xff;
                s1 = t.base[s1] + (int) bits.read(t.bits[s1]);
                if (bits.position() < 0) {
                    weights[count++] = t.symbol[s2] & 0xff;
                    break;
                }
                if (count >= 255) {
                    throw error(ip - inOffset, "too many Huffman weights");
                }
                weights[count++] = t.symbol[s2] & 0xff;
                s2 = t.base[s2] + (int) bits.read(t.bits[s2]);
                if (bits.position() < 0) {
                    weights[count++] = t.symbol[s1] & 0xff;
                    break;
                }
            }
            ip = wEnd;
        }
        if (count > 255) {
            throw error(ip - inOffset, "too many Huffman weights");
        }
        long sum = 0;
        for (int i = 0; i < count; i++) {
            if (weights[i] > HUF_MAX_BITS) {
                throw error(ip - inOffset, "Huffman weight " + weights[i] + " exceeds " + HUF_MAX_BITS);
            }
            if (weights[i] > 0) {
                sum += 1L << (weights[i] - 1);
            }
        }
        if (sum == 0) {
            throw error(ip - inOffset, "all Huffman weights are zero");
        }
        int maxBits = 64 - Long.numberOfLeadingZeros(sum);
        long leftover = (1L << maxBits) - sum;
        if (maxBits > HUF_MAX_BITS || Long.bitCount(leftover) != 1) {
            throw error(ip - inOffset, "Huffman weights do not form a complete tree");
        }
        weights[count++] = 64 - Long.numberOfLeadingZeros(leftover);
        int[] table = st.huffman;
        int p = 0;
        for (int w = 1; w <= maxBits; w++) {
            int span = 1 << (w - 1);
            int nb = maxBits + 1 - w;
            for (int s = 0; s < count; s++) {
                if (weights[s] == w) {
                    int entry = s << 8 | nb;
                    java.util.Arrays.fill(table, p, p + span, entry);
                    p += span;
                }
            }
        }
        st.huffmanBits = maxBits;
        st.hasHuffman = true;
        return ip;
    }

    private static void huffman1(byte[] in, int start, int end, int inOffset, FrameState st, byte[] lit,
            int litOffset, int count) throws DecompressionException {
        BackwardBits bits = new BackwardBits(in, start, end, inOffset);
        int[] table = st.huffman;
        int maxBits = st.huffmanBits;
        int shift = 64 - maxBits;
        int i = litOffset;
        int litEnd = litOffset + count;
        while (i < litEnd) {
            bits.reload();
            // every bit left in the container is valid: decode as many symbols as surely fit without checks
            int n = Math.min((64 - bits.consumed) / maxBits, litEnd - i);
            if (n <= 0) {
                int e = table[(int) bits.peek(maxBits)];
                bits.skip(e & 0xff);
                lit[i++] = (byte) (e >>> 8);
                if (bits.position() < 0) {
                    break;
                }
                continue;
            }
            long c = bits.container;
            int consumed = bits.consumed;
            for (int k = 0; k < n; k++) {
                int e = table[(int) ((c << consumed) >>> shift)];
                consumed += e & 0xff;
                lit[i++] = (byte) (e >>> 8);
            }
            bits.consumed = consumed;
        }
        if (i != litEnd || bits.position() != 0) {
            throw error(start - inOffset, "Huffman stream " + (bits.position() < 0 ? "overrun" : "not fully used")
                    + " after " + (i - litOffset) + " of " + count + " literals");
        }
    }

    private static void huffman4(byte[] in, int ip, int end, int inOffset, FrameState st, byte[] lit, int count)
            throws DecompressionException {
        need(ip, end, 6, inOffset);
        int s1 = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
        int s2 = (in[ip + 2] & 0xff) | (in[ip + 3] & 0xff) << 8;
        int s3 = (in[ip + 4] & 0xff) | (in[ip + 5] & 0xff) << 8;
        int start = ip + 6;
        long total = (long) s1 + s2 + s3;
        if (total > end - start) {
            throw error(ip - inOffset, "Huffman jump table exceeds the literals section");
        }
        int segment = (count + 3) / 4;
        int lastCount = count - 3 * segment;
        if (lastCount < 0) {
            throw error(ip - inOffset, count + " literals cannot be split into four streams");
        }
        int a = start;
        int b = a + s1;
        int c = b + s2;
        int d = c + s3;
        huffman1(in, a, b, inOffset, st, lit, 0, segment);
        huffman1(in, b, c, inOffset, st, lit, segment, segment);
        huffman1(in, c, d, inOffset, st, lit, 2 * segment, segment);
        huffman1(in, d, end, inOffset, st, lit, 3 * segment, lastCount);
    }

    // ------------------------------------------------------------------------------------ sequences

    private static int sequences(byte[] in, int ip, int end, int inOffset, byte[] out, int op, int opEnd,
            int frameStart, FrameState st, int nbSeq, byte[] lit, int litPos, int litLength)
            throws DecompressionException {
        BackwardBits bits = new BackwardBits(in, ip, end, inOffset);
        FseTable llT = st.ll;
        FseTable ofT = st.of;
        FseTable mlT = st.ml;
        int llState = (int) bits.read(llT.log);
        int ofState = (int) bits.read(ofT.log);
        int mlState = (int) bits.read(mlT.log);
        int litEnd = litPos + litLength;
        for (int n = 0; n < nbSeq; n++) {
            int ofCode = ofT.symbol[ofState] & 0xff;
            int mlCode = mlT.symbol[mlState] & 0xff;
            int llCode = llT.symbol[llState] & 0xff;
            if (ofCode > OF_MAX_SYMBOL || mlCode >= ML_BASE.length || llCode >= LL_BASE.length) {
                throw error(ip - inOffset, "sequence code out of range");
            }
            bits.reload();
            long offsetValue;
            int ml;
            int ll;
            if (bits.consumed + ofCode + ML_BITS[mlCode] + LL_BITS[llCode] <= 64) {
                offsetValue = (1L << ofCode) + bits.readFast(ofCode);
                ml = ML_BASE[mlCode] + (int) bits.readFast(ML_BITS[mlCode]);
                ll = LL_BASE[llCode] + (int) bits.readFast(LL_BITS[llCode]);
            } else {
                offsetValue = (1L << ofCode) + bits.read(ofCode);
                ml = ML_BASE[mlCode] + (int) bits.read(ML_BITS[mlCode]);
                ll = LL_BASE[llCode] + (int) bits.read(LL_BITS[llCode]);
            }
            long offset;
            if (offsetValue > 3) {
                offset = offsetValue - 3;
                st.rep3 = st.rep2;
                st.rep2 = st.rep1;
                st.rep1 = (int) Math.min(offset, Integer.MAX_VALUE);
            } else {
                int idx = (int) offsetValue - 1 + (ll == 0 ? 1 : 0);
                switch (idx) {
                    case 0 -> offset = st.rep1;
                    case 1 -> {
                        offset = st.rep2;
                        st.rep2 = st.rep1;
                        st.rep1 = (int) offset;
                    }
                    case 2 -> {
                        offset = st.rep3;
                        st.rep3 = st.rep2;
                        st.rep2 = st.rep1;
                        st.rep1 = (int) offset;
                    }
                    default -> {
                        offset = st.rep1 - 1L;
                        st.rep3 = st.rep2;
                        st.rep2 = st.rep1;
                        st.rep1 = (int) offset;
                    }
                }
            }
            if (n + 1 < nbSeq) {
                bits.reload();
                int llb = llT.bits[llState];
                int mlb = mlT.bits[mlState];
                int ofb = ofT.bits[ofState];
                if (bits.consumed + llb + mlb + ofb <= 64) {
                    llState = llT.base[llState] + (int) bits.readFast(llb);
                    mlState = mlT.base[mlState] + (int) bits.readFast(mlb);
                    ofState = ofT.base[ofState] + (int) bits.readFast(ofb);
                } else {
                    llState = llT.base[llState] + (int) bits.read(llb);
                    mlState = mlT.base[mlState] + (int) bits.read(mlb);
                    ofState = ofT.base[ofState] + (int) bits.read(ofb);
                }
            }
            if (bits.position() < 0) {
                throw error(ip - inOffset, "sequence bit stream overrun at sequence " + n);
            }
            if (ll > litEnd - litPos) {
                throw error(ip - inOffset, "sequence needs " + ll + " literals but " + (litEnd - litPos) + " remain");
            }
            if ((long) ll + ml > opEnd - op) {
                throw error(ip - inOffset, "sequence exceeds the output capacity");
            }
            System.arraycopy(lit, litPos, out, op, ll);
            litPos += ll;
            op += ll;
            if (offset <= 0 || offset > op - frameStart) {
                throw error(ip - inOffset, "match offset " + offset + " reaches before the start of the frame ("
                        + (op - frameStart) + " bytes decoded)");
            }
            Copies.match(out, op, (int) offset, ml);
            op += ml;
        }
        if (bits.position() != 0) {
            throw error(ip - inOffset, "sequence bit stream not fully used (" + bits.position() + " bits left)");
        }
        int rest = litEnd - litPos;
        if (rest > opEnd - op) {
            throw error(ip - inOffset, "literals exceed the output capacity");
        }
        System.arraycopy(lit, litPos, out, op, rest);
        return op + rest;
    }

    private static DecompressionException error(long position, String problem) {
        return new DecompressionException(Compression.ZSTD, position, problem);
    }
}
