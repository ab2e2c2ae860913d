package org.kdump4j.diskdump;

import java.util.Arrays;

/**
 * Huffman-coded literals (RFC 8878 4.2): reads a tree description (weights given directly or
 * FSE-compressed), builds the single-symbol decoding table and decodes one or four streams. One
 * instance per thread; the table stays valid for treeless literals of later blocks of the same frame.
 * The FSE tables of compressed weights are remembered across frames by their description's bytes
 * ({@link ZstdTableCache}, 64 tables): pages of one dump often repeat a description.
 */
final class ZstdHuffman {
    /** The longest code Zstandard allows. */
    static final int MAX_BITS = 11;
    private static final int WEIGHT_LOG = 6;
    /** Remembered weight tables (64 states each) and the longest description remembered. */
    private static final int WEIGHT_TABLE_SLOTS = 64;
    private static final int WEIGHT_SOURCE_MAX = 32;

    /** Per {@code maxBits}-bit prefix: the symbol in the high byte, its code length in the low byte. */
    private final char[] table = new char[1 << MAX_BITS];
    private int maxBits;
    private boolean present;
    private final int[] weights = new int[256];
    /** Per weight (as read, 0..15): how many symbols have it. */
    private final int[] rankCount = new int[16];
    /** The same for the second of the two FSE states that decode compressed weights (added in after). */
    private final int[] rankCount2 = new int[16];
    /** Of the weights as read: the sum of 2^(weight-1), and the largest. */
    private int weightSum;
    private int maxWeight;
    /** Per weight: the next position in {@link #sortedSymbols}. */
    private final int[] rankNext = new int[MAX_BITS + 1];
    /** The symbols with a weight above 0 as read, in order (the last symbol's, implied, is added after). */
    private final int[] usedSymbols = new int[256];
    private int usedCount;
    private final int[] sortedSymbols = new int[256];
    /**
     * FSE tables of the weights already built, keyed by their description (pages of one dump often share
     * one): per state, symbol | bits << 8 | next state baseline << 16.
     */
    private final ZstdTableCache weightTables = new ZstdTableCache(WEIGHT_TABLE_SLOTS, WEIGHT_SOURCE_MAX);
    private final int[][] weightStates = new int[WEIGHT_TABLE_SLOTS][1 << WEIGHT_LOG];
    private final int[] weightLogs = new int[WEIGHT_TABLE_SLOTS];

    /** Forgets the table (at a frame start). */
    void reset() {
        present = false;
    }

    /** Whether a table was read in this frame (treeless literals reuse it). */
    boolean present() {
        return present;
    }

    /** Reads a Huffman tree description at {@code ip} and builds the table; returns the position after it. */
    int readTable(byte[] in, int ip, int end, int inOffset, ZstdFse fse, ZstdBitReader bits)
            throws DecompressionException {
        if (ip >= end) {
            throw ZstdDecoder.error(ip - inOffset, "block ends early: 1 more bytes needed");
        }
        int header = in[ip++] & 0xff;
        int[] w = weights;
        int count;
        if (header >= 128) {
            count = header - 127;
            int bytes = (count + 1) / 2;
            if (bytes > end - ip) {
                throw ZstdDecoder.error(ip - inOffset, "block ends early: " + bytes + " more bytes needed");
            }
            int[] rank = rankCount;
            Arrays.fill(rank, 0);
            int sum = 0;
            int most = 0;
            int nonZero = 0;
            for (int i = 0; i < count; i++) {
                int b = in[ip + i / 2] & 0xff;
                int weight = (i & 1) == 0 ? b >>> 4 : b & 15;
                w[i] = weight;
                usedSymbols[nonZero] = i;
                nonZero += weight != 0 ? 1 : 0;
                rank[weight]++;
                sum += (1 << weight) >>> 1;
                most = Math.max(most, weight);
            }
            weightSum = sum;
            maxWeight = most;
            usedCount = nonZero;
            ip += bytes;
        } else {
            if (header > end - ip) {
                throw ZstdDecoder.error(ip - inOffset, "block ends early: " + header + " more bytes needed");
            }
            int wEnd = ip + header;
            count = fseWeights(in, ip, wEnd, inOffset, fse, bits);
            ip = wEnd;
        }
        buildTable(count, ip, inOffset);
        return ip;
    }

    /** Decodes FSE-compressed weights (two interleaved states over one stream); returns how many. */
    private int fseWeights(byte[] in, int ip, int wEnd, int inOffset, ZstdFse fse, ZstdBitReader bits)
            throws DecompressionException {
        ZstdTableCache cache = weightTables;
        int slot = cache.find(in, ip, wEnd);
        int after;
        int log;
        int[] states;
        if (slot >= 0) {
            after = ip + cache.length(slot);
            log = weightLogs[slot];
            states = weightStates[slot];
        } else {
            after = fse.read(in, ip, wEnd, inOffset, 255, WEIGHT_LOG);
            if (!fse.spread()) {
                throw ZstdDecoder.error(ip - inOffset, "invalid FSE distribution for Huffman weights");
            }
            slot = cache.slot(in, ip, wEnd);
            log = fse.log;
            states = weightStates[slot];
            int size = 1 << log;
            for (int u = 0; u < size; u++) {
                int s = fse.symbols[u] & 0xff;
                int state = fse.next[s]++;
                int nb = log - (31 - Integer.numberOfLeadingZeros(state));
                states[u] = s | nb << 8 | ((state << nb) - size) << 16;
            }
            weightLogs[slot] = log;
            cache.remember(slot, in, ip, after - ip);
        }
        int[] w = weights;
        bits.init(in, after, wEnd, inOffset);
        int s1 = (int) bits.read(log);
        int s2 = (int) bits.read(log);
        // two states take turns over one stream (RFC 8878 4.2.1.2); each turn reads at most 6 bits per
        // state, so the container is refilled once more than 52 bits are used; an overrun ends the weights
        // (a read past the stream start may see garbage, but only into the state that is then dropped)
        int start = after;
        int ptr = bits.ptr;
        long container = bits.container;
        int consumed = bits.consumed;
        int count = 0;
        int[] used = usedSymbols;
        int nonZero = 0;
        int[] rank = rankCount;
        int[] rank2 = rankCount2;
        Arrays.fill(rank, 0);
        Arrays.fill(rank2, 0);
        int sum = 0;
        int most = 0;
        while (true) {
            if (count >= 254) {
                throw ZstdDecoder.error(ip - inOffset, "too many Huffman weights");
            }
            if (consumed > 52 && ptr > start) {
                int back = Math.min(consumed >>> 3, ptr - start);
                ptr -= back;
                consumed -= back << 3;
                container = (long) ZstdBitReader.LE_LONG.get(in, ptr);
            }
            // each weight is also counted (rank, sum of 2^(w-1), largest) for the table build, the second
            // state's in a separate rank array (fewer back-to-back increments of one counter); a weight
            // above 15 lands in a wrong slot, but the largest weight then fails the tree check
            int e = states[s1];
            int weight = e & 0xff;
            w[count++] = weight;
            used[nonZero] = count - 1;
            nonZero += weight != 0 ? 1 : 0;
            rank[weight & 15]++;
            sum += (1 << weight) >>> 1;
            most = Math.max(most, weight);
            int nb = (e >>> 8) & 0xff;
            s1 = (e >>> 16) + (int) (((container << consumed) >>> 1) >>> (63 - nb));
            consumed += nb;
            if ((ptr - start) * 8 + 64 - consumed < 0) {
                weight = states[s2] & 0xff;
                w[count++] = weight;
                used[nonZero] = count - 1;
                nonZero += weight != 0 ? 1 : 0;
                rank2[weight & 15]++;
                sum += (1 << weight) >>> 1;
                most = Math.max(most, weight);
                break;
            }
            e = states[s2];
            weight = e & 0xff;
            w[count++] = weight;
            used[nonZero] = count - 1;
            nonZero += weight != 0 ? 1 : 0;
            rank2[weight & 15]++;
            sum += (1 << weight) >>> 1;
            most = Math.max(most, weight);
            nb = (e >>> 8) & 0xff;
            s2 = (e >>> 16) + (int) (((container << consumed) >>> 1) >>> (63 - nb));
            consumed += nb;
            if ((ptr - start) * 8 + 64 - consumed < 0) {
                weight = states[s1] & 0xff;
                w[count++] = weight;
                used[nonZero] = count - 1;
                nonZero += weight != 0 ? 1 : 0;
                rank[weight & 15]++;
                sum += (1 << weight) >>> 1;
                most = Math.max(most, weight);
                break;
            }
        }
        for (int k = 0; k < 16; k++) {
            rank[k] += rank2[k];
        }
        weightSum = sum;
        maxWeight = most;
        usedCount = nonZero;
        if (count > 255) {
            throw ZstdDecoder.error(ip - inOffset, "too many Huffman weights");
        }
        return count;
    }

    /**
     * Completes the weights (the last symbol's is implied; the others are counted as they are read),
     * checks they form a complete tree of at most
     * {@link #MAX_BITS} bits, and fills the table: codes ordered by increasing weight, then symbol. The
     * symbols are first sorted by weight, so each weight's fills have one length (predictable branches).
     */
    private void buildTable(int count, int ip, int inOffset) throws DecompressionException {
        int[] w = weights;
        int[] rank = rankCount;
        if (maxWeight > MAX_BITS) {
            throw ZstdDecoder.error(ip - inOffset, "Huffman weight " + maxWeight + " exceeds " + MAX_BITS);
        }
        int sum = weightSum;
        if (sum == 0) {
            throw ZstdDecoder.error(ip - inOffset, "all Huffman weights are zero");
        }
        int bitsMax = 32 - Integer.numberOfLeadingZeros(sum);
        int leftover = (1 << bitsMax) - sum;
        if (bitsMax > MAX_BITS || Integer.bitCount(leftover) != 1) {
            throw ZstdDecoder.error(ip - inOffset, "Huffman weights do not form a complete tree");
        }
        int lastWeight = 32 - Integer.numberOfLeadingZeros(leftover);
        w[count++] = lastWeight;
        rank[lastWeight]++;
        // sorted: the symbols of weight 1, then 2, ... (those of weight 0 are not in the table)
        int[] next = rankNext;
        int at = 0;
        for (int weight = 1; weight <= bitsMax; weight++) {
            next[weight] = at;
            at += rank[weight];
        }
        // only the symbols listed as used while the weights were read (about a third of them on kdump
        // pages; the others are mostly runs of zero weights, which would all wait on one counter)
        int[] used = usedSymbols;
        int usedN = usedCount;
        used[usedN++] = count - 1;
        int[] sorted = sortedSymbols;
        for (int i = 0; i < usedN; i++) {
            int s = used[i];
            sorted[next[w[s]]++] = s;
        }
        char[] t = table;
        int p = 0;
        int j = 0;
        for (int weight = 1; weight <= bitsMax; weight++) {
            int n = rank[weight];
            int len = bitsMax + 1 - weight;
            int jEnd = j + n;
            switch (weight) {
                case 1 -> {
                    for (; j < jEnd; j++) {
                        t[p++] = (char) (sorted[j] << 8 | len);
                    }
                }
                case 2 -> {
                    for (; j < jEnd; j++, p += 2) {
                        char e = (char) (sorted[j] << 8 | len);
                        t[p] = e;
                        t[p + 1] = e;
                    }
                }
                case 3 -> {
                    for (; j < jEnd; j++, p += 4) {
                        char e = (char) (sorted[j] << 8 | len);
                        t[p] = e;
                        t[p + 1] = e;
                        t[p + 2] = e;
                        t[p + 3] = e;
                    }
                }
                default -> {
                    int span = 1 << (weight - 1);
                    for (; j < jEnd; j++, p += span) {
                        Arrays.fill(t, p, p + span, (char) (sorted[j] << 8 | len));
                    }
                }
            }
        }
        maxBits = bitsMax;
        present = true;
    }

    /**
     * Decodes {@code count} literals from one stream {@code in[start, end)} into {@code lit[0, count)}; {@code r}
     * is scratch.
     */
    void decode1(byte[] in, int start, int end, int inOffset, byte[] lit, int count, ZstdBitReader r)
            throws DecompressionException {
        decodeStream(in, start, end, inOffset, lit, 0, count, r);
    }

    /** Decodes {@code count} literals from four streams (6-byte jump table at {@code ip}) into {@code lit}. */
    void decode4(byte[] in, int ip, int end, int inOffset, byte[] lit, int count, ZstdBitReader r)
            throws DecompressionException {
        if (end - ip < 6) {
            throw ZstdDecoder.error(ip - inOffset, "block ends early: 6 more bytes needed");
        }
        int s1 = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
        int s2 = (in[ip + 2] & 0xff) | (in[ip + 3] & 0xff) << 8;
        int s3 = (in[ip + 4] & 0xff) | (in[ip + 5] & 0xff) << 8;
        int start = ip + 6;
        if (s1 + s2 + s3 > end - start) {
            throw ZstdDecoder.error(ip - inOffset, "Huffman jump table exceeds the literals section");
        }
        int segment = (count + 3) / 4;
        int lastCount = count - 3 * segment;
        if (lastCount < 0) {
            throw ZstdDecoder.error(ip - inOffset, count + " literals cannot be split into four streams");
        }
        int b = start + s1;
        int c = b + s2;
        int d = c + s3;
        if (s1 < 8 || s2 < 8 || s3 < 8 || end - d < 8) {
            decodeStream(in, start, b, inOffset, lit, 0, segment, r);
            decodeStream(in, b, c, inOffset, lit, segment, 2 * segment, r);
            decodeStream(in, c, d, inOffset, lit, 2 * segment, 3 * segment, r);
            decodeStream(in, d, end, inOffset, lit, 3 * segment, count, r);
            return;
        }
        endMarker(in, b, inOffset);
        endMarker(in, c, inOffset);
        endMarker(in, d, inOffset);
        endMarker(in, end, inOffset);
        // the four streams in lockstep (independent lookups overlap); refilled whole while each has 8
        // more bytes before its container, then finished one by one
        char[] t = table;
        int shift = 64 - maxBits;
        int perRound = 57 / maxBits;
        int p1 = b - 8;
        int p2 = c - 8;
        int p3 = d - 8;
        int p4 = end - 8;
        long c1 = (long) ZstdBitReader.LE_LONG.get(in, p1);
        long c2 = (long) ZstdBitReader.LE_LONG.get(in, p2);
        long c3 = (long) ZstdBitReader.LE_LONG.get(in, p3);
        long c4 = (long) ZstdBitReader.LE_LONG.get(in, p4);
        int n1 = Long.numberOfLeadingZeros(c1) + 1;
        int n2 = Long.numberOfLeadingZeros(c2) + 1;
        int n3 = Long.numberOfLeadingZeros(c3) + 1;
        int n4 = Long.numberOfLeadingZeros(c4) + 1;
        int o2 = segment;
        int o3 = 2 * segment;
        int o4 = 3 * segment;
        int j = 0;
        while (lastCount - j >= perRound && p1 >= start + 8 && p2 >= b + 8 && p3 >= c + 8 && p4 >= d + 8) {
            p1 -= n1 >>> 3;
            n1 &= 7;
            c1 = (long) ZstdBitReader.LE_LONG.get(in, p1);
            p2 -= n2 >>> 3;
            n2 &= 7;
            c2 = (long) ZstdBitReader.LE_LONG.get(in, p2);
            p3 -= n3 >>> 3;
            n3 &= 7;
            c3 = (long) ZstdBitReader.LE_LONG.get(in, p3);
            p4 -= n4 >>> 3;
            n4 &= 7;
            c4 = (long) ZstdBitReader.LE_LONG.get(in, p4);
            for (int k = 0; k < perRound; k++, j++) {
                int e1 = t[(int) ((c1 << n1) >>> shift)];
                int e2 = t[(int) ((c2 << n2) >>> shift)];
                int e3 = t[(int) ((c3 << n3) >>> shift)];
                int e4 = t[(int) ((c4 << n4) >>> shift)];
                n1 += e1 & 0xff;
                n2 += e2 & 0xff;
                n3 += e3 & 0xff;
                n4 += e4 & 0xff;
                lit[j] = (byte) (e1 >>> 8);
                lit[o2 + j] = (byte) (e2 >>> 8);
                lit[o3 + j] = (byte) (e3 >>> 8);
                lit[o4 + j] = (byte) (e4 >>> 8);
            }
        }
        finish(r, in, start, p1, c1, n1, lit, j, 0, segment, inOffset);
        finish(r, in, b, p2, c2, n2, lit, o2 + j, o2, o3, inOffset);
        finish(r, in, c, p3, c3, n3, lit, o3 + j, o3, o4, inOffset);
        finish(r, in, d, p4, c4, n4, lit, o4 + j, o4, count, inOffset);
    }

    private static void endMarker(byte[] in, int end, int inOffset) throws DecompressionException {
        if (in[end - 1] == 0) {
            throw ZstdDecoder.error(end - 1 - inOffset, "Huffman stream has no end marker");
        }
    }

    /**
     * Decodes the rest of a stream ({@code lit[i, to)}; the stream's literals start at {@code from}) and
     * checks its end.
     */
    private void finish(ZstdBitReader r, byte[] in, int start, int ptr, long container, int consumed, byte[] lit,
            int i, int from, int to, int inOffset) throws DecompressionException {
        r.buf = in;
        r.start = start;
        r.ptr = ptr;
        r.container = container;
        r.consumed = consumed;
        check(r, start, inOffset, decodeTail(r, table, maxBits, lit, i, to), from, to);
    }

    /** Decodes one stream {@code in[start, end)} into {@code lit[from, to)}; the stream must end exactly. */
    private void decodeStream(byte[] in, int start, int end, int inOffset, byte[] lit, int from, int to,
            ZstdBitReader r) throws DecompressionException {
        if (end <= start) {
            throw ZstdDecoder.error(start - inOffset, "empty Huffman stream");
        }
        if (in[end - 1] == 0) {
            throw ZstdDecoder.error(end - 1 - inOffset, "Huffman stream has no end marker");
        }
        char[] t = table;
        int shift = 64 - maxBits;
        int i = from;
        long container;
        int ptr;
        if (end - start >= 8) {
            ptr = end - 8;
            container = (long) ZstdBitReader.LE_LONG.get(in, ptr);
            int consumed = Long.numberOfLeadingZeros(container) + 1;
            // while 8 more bytes lie before the container, refill whole and decode a round without checks:
            // after a refill at most 7 bits are consumed, so 57 stream bits are there for the round
            int perRound = 57 / maxBits;
            while (ptr >= start + 8 && to - i >= perRound) {
                ptr -= consumed >>> 3;
                consumed &= 7;
                container = (long) ZstdBitReader.LE_LONG.get(in, ptr);
                for (int k = 0; k < perRound; k++) {
                    int e = t[(int) ((container << consumed) >>> shift)];
                    consumed += e & 0xff;
                    lit[i++] = (byte) (e >>> 8);
                }
            }
            r.buf = in;
            r.start = start;
            r.ptr = ptr;
            r.container = container;
            r.consumed = consumed;
            i = decodeTail(r, t, maxBits, lit, i, to);
            check(r, start, inOffset, i, from, to);
        } else {
            r.init(in, start, end, inOffset);
            i = decodeTail(r, t, maxBits, lit, i, to);
            check(r, start, inOffset, i, from, to);
        }
    }

    /**
     * Symbol by symbol from the reader's state (handed back when done), refilling as far as the stream
     * start allows; past the start the bits read as zero. Stops early on an overrun.
     */
    private static int decodeTail(ZstdBitReader r, char[] t, int maxBits, byte[] lit, int i, int to) {
        byte[] in = r.buf;
        int start = r.start;
        int ptr = r.ptr;
        long container = r.container;
        int consumed = r.consumed;
        int shift = 64 - maxBits;
        while (i < to) {
            if (consumed > shift && ptr > start) {
                int back = Math.min(consumed >>> 3, ptr - start);
                ptr -= back;
                consumed -= back << 3;
                container = (long) ZstdBitReader.LE_LONG.get(in, ptr);
            }
            if (consumed >= 64) {
                break; // the stream is used up (an overrun: the check reports it)
            }
            int e = t[(int) ((container << consumed) >>> shift)];
            consumed += e & 0xff;
            lit[i++] = (byte) (e >>> 8);
            if (consumed > 64) {
                break; // read past the stream start (possible only once there is nothing to refill)
            }
        }
        r.ptr = ptr;
        r.container = container;
        r.consumed = consumed;
        return i;
    }

    private static void check(ZstdBitReader r, int start, int inOffset, int i, int from, int to)
            throws DecompressionException {
        if (i != to || r.position() != 0) {
            throw ZstdDecoder.error(start - inOffset, "Huffman stream "
                    + (r.position() < 0 ? "overrun" : "not fully used") + " after " + (i - from) + " of "
                    + (to - from) + " literals");
        }
    }
}
