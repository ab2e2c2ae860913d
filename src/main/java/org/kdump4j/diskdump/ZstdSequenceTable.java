package org.kdump4j.diskdump;

import java.util.Arrays;

/**
 * The FSE decoding tables of the three sequence fields (literal lengths, offsets, match lengths), with
 * each field's code already resolved, all in one array: literal lengths at states {@code [0, 512)},
 * offsets at {@code [512, 768)}, match lengths at {@code [768, 1280)}. Each state's entry holds the
 * baseline of its value, the number of extra bits to add to it, the number of state bits and the
 * (absolute) baseline of the next state, so decoding a field is one load and a few shifts, and the
 * decoder keeps one array for all three.
 *
 * <p>Entry layout: bits 0..31 the value's baseline (unsigned: the offset code 31 has baseline 2^31),
 * 32..37 its extra bits, 38..43 the next state's bits, 44..50 both added, 51..63 the next state's
 * baseline.
 */
final class ZstdSequenceTable {
    /** The three sequence fields, in the order of the symbol compression modes byte's descriptions. */
    enum Field {
        LITERAL_LENGTHS("literal lengths", 0, 35, 9, LL_BASE, LL_BITS, LL_DEFAULT, 6),
        OFFSETS("offsets", 512, 31, 8, offsetBaselines(), offsetBits(), OF_DEFAULT, 5),
        MATCH_LENGTHS("match lengths", 768, 52, 9, ML_BASE, ML_BITS, ML_DEFAULT, 6);

        final String description;
        /** The field's first state in {@link #entries}. */
        final int region;
        final int maxSymbol;
        final int maxLog;
        private final int[] baselines;
        private final int[] extraBits;
        /** Per code: its entry with no next state (baseline, extra bits, and the extra bits in the sum). */
        private final long[] codeEntries;
        /** RFC 8878 3.1.1.3.2.2: the predefined distribution's entries (for this field's region). */
        private final long[] predefined;
        final int predefinedLog;

        Field(String description, int region, int maxSymbol, int maxLog, int[] baselines, int[] extraBits,
                short[] defaults, int defaultLog) {
            this.description = description;
            this.region = region;
            this.maxSymbol = maxSymbol;
            this.maxLog = maxLog;
            this.baselines = baselines;
            this.extraBits = extraBits;
            this.codeEntries = new long[maxSymbol + 1];
            for (int c = 0; c <= maxSymbol; c++) {
                codeEntries[c] = entry(0, 0, extraBits[c], baselines[c]);
            }
            ZstdFse fse = new ZstdFse().set(defaults, defaultLog);
            if (!fse.spread()) {
                throw new ExceptionInInitializerError("invalid predefined distribution for " + description);
            }
            this.predefined = new long[1 << defaultLog];
            fill(predefined, 0, region, this, fse);
            this.predefinedLog = defaultLog;
        }
    }

    /** States of all three tables. */
    static final int SIZE = 1280;

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

    /** Offset code c: value 2^c plus c extra bits (RFC 8878 3.1.1.3.2.1.1). */
    private static int[] offsetBaselines() {
        int[] b = new int[32];
        for (int c = 0; c < 32; c++) {
            b[c] = 1 << c;
        }
        return b;
    }

    private static int[] offsetBits() {
        int[] b = new int[32];
        for (int c = 0; c < 32; c++) {
            b[c] = c;
        }
        return b;
    }

    /** The entries of the three tables, indexed by absolute state. */
    final long[] entries = new long[SIZE];
    /** Per field: the accuracy log (bits of the initial state) of its table, or -1 before the first one. */
    private final int[] logs = new int[3];
    /** Per field: whether its region holds the predefined table (then it need not be copied again). */
    private final boolean[] holdsPredefined = new boolean[3];

    /** The longest FSE table description worth remembering (the longest possible is about 70 bytes). */
    private static final int MAX_SOURCE = 128;
    /**
     * Per field: the FSE table description its region was last built from, and that table's log (0
     * length: none, or the region was overwritten since). Consecutive pages of a dump often carry the
     * same description; then the table is still there.
     */
    private final byte[][] sources = new byte[3][MAX_SOURCE];
    private final int[] sourceLengths = new int[3];
    private final int[] sourceLogs = new int[3];

    /** Forgets the tables (at a frame start: repeat mode then has nothing to repeat). */
    void reset() {
        logs[0] = -1;
        logs[1] = -1;
        logs[2] = -1;
    }

    /** The accuracy log of the field's current table, or -1 if there is none yet in this frame. */
    int log(Field field) {
        return logs[field.ordinal()];
    }

    /**
     * If the field's region holds the table built from the description {@code in[ip, ...)} (the same bytes
     * as last time), makes it the field's table again and returns the description's length; else 0.
     */
    int reuse(Field field, byte[] in, int ip, int end) {
        int i = field.ordinal();
        int n = sourceLengths[i];
        if (n == 0 || n > end - ip || !Arrays.equals(in, ip, ip + n, sources[i], 0, n)) {
            return 0;
        }
        logs[i] = sourceLogs[i];
        return n;
    }

    /** Makes the field's table the predefined one. */
    void usePredefined(Field field) {
        int i = field.ordinal();
        if (!holdsPredefined[i]) {
            System.arraycopy(field.predefined, 0, entries, field.region, field.predefined.length);
            holdsPredefined[i] = true;
            sourceLengths[i] = 0;
        }
        logs[i] = field.predefinedLog;
    }

    /** Makes the field's table one state that always yields the code {@code symbol} and reads no state bits. */
    void useRle(Field field, int symbol) {
        int i = field.ordinal();
        entries[field.region] = entry(field.region, 0, field.extraBits[symbol], field.baselines[symbol]);
        holdsPredefined[i] = false;
        sourceLengths[i] = 0;
        logs[i] = 0;
    }

    /**
     * Makes the field's table the spread distribution in {@code fse} (its codes checked against the
     * maximum), read from the description {@code in[ip, ip + length)}.
     */
    void useDistribution(Field field, ZstdFse fse, byte[] in, int ip, int length) {
        int i = field.ordinal();
        fill(entries, field.region, field.region, field, fse);
        holdsPredefined[i] = false;
        logs[i] = fse.log;
        if (length <= MAX_SOURCE) {
            System.arraycopy(in, ip, sources[i], 0, length);
            sourceLengths[i] = length;
            sourceLogs[i] = fse.log;
        } else {
            sourceLengths[i] = 0;
        }
    }

    private static void fill(long[] e, int at, int region, Field field, ZstdFse fse) {
        int log = fse.log;
        int size = 1 << log;
        byte[] symbols = fse.symbols;
        int[] next = fse.next;
        long[] code = field.codeEntries;
        long[] states = STATE_PARTS[log];
        // the next state's baseline is relative to the region: nextBase + (state << bits)
        long nextBase = (long) (region - size) << 51;
        for (int u = 0; u < size; u++) {
            int s = symbols[u] & 0xff;
            e[at + u] = code[s] + nextBase + states[next[s]++];
        }
    }

    /**
     * Per accuracy log and state number k (1 .. 2^(log+1) - 1, the numbers a symbol's states take): the
     * part of an entry that depends on k alone, its next state's bits nb (in the bits field and added to
     * the sum) and {@code k << nb} (to which the region's base is added) in the baseline field.
     */
    private static final long[][] STATE_PARTS = new long[ZstdFse.MAX_LOG + 1][];

    static {
        for (int log = 0; log <= ZstdFse.MAX_LOG; log++) {
            long[] parts = new long[2 << log];
            for (int k = 1; k < parts.length; k++) {
                int nb = log - (31 - Integer.numberOfLeadingZeros(k));
                parts[k] = (long) (k << nb) << 51 | (long) (nb * 65) << 38;
            }
            STATE_PARTS[log] = parts;
        }
    }

    private static long entry(int nextBase, int nextBits, int extraBits, int baseline) {
        return (long) nextBase << 51 | (long) (extraBits + nextBits) << 44 | (long) nextBits << 38
                | (long) extraBits << 32 | (baseline & 0xffffffffL);
    }
}
