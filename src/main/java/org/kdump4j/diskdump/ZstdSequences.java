package org.kdump4j.diskdump;

import java.lang.invoke.VarHandle;

/**
 * Decodes and executes a block's sequences (RFC 8878 3.1.1.3.2 and 3.1.1.4): per sequence, the offset,
 * match-length and literal-length values from the three FSE states and the backward bit stream, the
 * repeat offsets, then the literal copy and the match copy.
 *
 * <p>Speed: the three FSE tables are one array, the bit container, states and repeat offsets live in
 * local variables, and one refill per sequence normally covers all its bits (else a checked slow path
 * reads them). While 16 bytes of output room remain past the sequence, literals (up to 8 in one move,
 * the usual case in kernel pages) and matches are copied 8 bytes at a time, possibly writing up to 15
 * bytes past the sequence's end inside the output capacity (the following sequences overwrite them);
 * up to 16 literals and 32 match bytes need no loop.
 *
 * <p>Safety: every sequence is checked against the literals left, the output capacity and the bytes
 * decoded so far before anything is copied; nothing is ever written outside {@code [op, opEnd)}, and
 * the last sequences of an output are copied exactly.
 */
final class ZstdSequences {
    private static final VarHandle LE_LONG = ZstdBitReader.LE_LONG;
    /** For offsets 1..7: the smallest multiple of the offset that is at least 8 (a period usable 8 bytes at a time). */
    private static final int[] SPREAD = {0, 8, 8, 9, 8, 10, 12, 14};
    private static final int MARGIN = 16;
    /** For offsets 1..7: a mask of the offset's low bytes, and the multiplier repeating them every offset bytes. */
    private static final long[] PERIOD_MASK = new long[8];
    private static final long[] PERIOD_REPEAT = new long[8];

    static {
        for (int k = 1; k < 8; k++) {
            PERIOD_MASK[k] = (1L << (8 * k)) - 1;
            long m = 0;
            for (int b = 0; b < 8; b += k) {
                m |= 1L << (8 * b);
            }
            PERIOD_REPEAT[k] = m;
        }
    }
    private static final int LL_REGION = ZstdSequenceTable.Field.LITERAL_LENGTHS.region;
    private static final int OF_REGION = ZstdSequenceTable.Field.OFFSETS.region;
    private static final int ML_REGION = ZstdSequenceTable.Field.MATCH_LENGTHS.region;

    private ZstdSequences() {
    }

    /**
     * Executes {@code nbSeq} sequences from the bit stream {@code in[start, end)} with the scratch's tables
     * and repeat offsets at {@code out[op]}, taking literals from {@code lit[litPos, litEnd)}, then appends
     * the remaining literals; returns the new output position. The stream must be used up exactly.
     */
    static int execute(byte[] in, int start, int end, int inOffset, ZstdScratch st, int nbSeq, byte[] out, int op,
            int opEnd, int frameStart, byte[] lit, int litPos, int litEnd) throws DecompressionException {
        ZstdSequenceTable tables = st.sequenceTables;
        ZstdBitReader r = st.bits.init(in, start, end, inOffset);
        int llState = LL_REGION + (int) r.read(tables.log(ZstdSequenceTable.Field.LITERAL_LENGTHS));
        int ofState = OF_REGION + (int) r.read(tables.log(ZstdSequenceTable.Field.OFFSETS));
        int mlState = ML_REGION + (int) r.read(tables.log(ZstdSequenceTable.Field.MATCH_LENGTHS));
        if (r.position() < 0) {
            throw ZstdDecoder.error(start - inOffset, "sequence bit stream overrun in the initial states");
        }
        r.reload();
        final long[] t = tables.entries;
        final int refillFrom = start + 8;
        // fast copies while literals and output leave 16 bytes of room past the sequence
        final int litFastEnd = Math.min(litEnd, lit.length - MARGIN);
        final int opFastEnd = opEnd - MARGIN;
        long bits = r.container;
        int consumed = r.consumed;
        int ptr = r.ptr;
        int rep1 = st.rep1;
        int rep2 = st.rep2;
        int rep3 = st.rep3;
        // every sequence but the last (which reads no next states) in the hot loop
        for (int left = nbSeq; left > 1; left--) {
            long llE = t[llState];
            long mlE = t[mlState];
            long ofE = t[ofState];
            if (ptr >= refillFrom) {
                ptr -= consumed >>> 3;
                consumed &= 7;
                bits = (long) LE_LONG.get(in, ptr);
            }
            int ofBits = (int) (ofE >>> 32) & 63;
            int mlBits = (int) (mlE >>> 32) & 63;
            int llBits = (int) (llE >>> 32) & 63;
            int ofValue;
            int ml;
            int ll;
            if (consumed + ((int) (llE >>> 44) & 127) + ((int) (mlE >>> 44) & 127) + ((int) (ofE >>> 44) & 127) <= 64) {
                // the container holds every bit of this sequence: all stream bits, no overrun possible
                // (x >>> 1) >>> ~n takes the top n bits of x, n = 0 included: a long shift counts mod 64, so
                // ~n shifts by 63 - n (one instruction fewer than the subtraction)
                ofValue = (int) ofE + (int) (((bits << consumed) >>> 1) >>> ~ofBits);
                consumed += ofBits;
                ml = (int) mlE + (int) (((bits << consumed) >>> 1) >>> ~mlBits);
                consumed += mlBits;
                ll = (int) llE + (int) (((bits << consumed) >>> 1) >>> ~llBits);
                consumed += llBits;
                int nb = (int) (llE >>> 38) & 63;
                llState = (int) (llE >>> 51) + (int) (((bits << consumed) >>> 1) >>> ~nb);
                consumed += nb;
                nb = (int) (mlE >>> 38) & 63;
                mlState = (int) (mlE >>> 51) + (int) (((bits << consumed) >>> 1) >>> ~nb);
                consumed += nb;
                nb = (int) (ofE >>> 38) & 63;
                ofState = (int) (ofE >>> 51) + (int) (((bits << consumed) >>> 1) >>> ~nb);
                consumed += nb;
            } else {
                // near the stream start, or long offsets: refill between fields, check for an overrun
                r.container = bits;
                r.consumed = consumed;
                r.ptr = ptr;
                ofValue = (int) ofE + (int) r.read(ofBits);
                ml = (int) mlE + (int) r.read(mlBits);
                ll = (int) llE + (int) r.read(llBits);
                llState = (int) (llE >>> 51) + (int) r.read((int) (llE >>> 38) & 63);
                mlState = (int) (mlE >>> 51) + (int) r.read((int) (mlE >>> 38) & 63);
                ofState = (int) (ofE >>> 51) + (int) r.read((int) (ofE >>> 38) & 63);
                if (r.position() < 0) {
                    throw ZstdDecoder.error(start - inOffset, "sequence bit stream overrun at sequence "
                            + (nbSeq - left));
                }
                r.reload();
                bits = r.container;
                consumed = r.consumed;
                ptr = r.ptr;
            }
            // ofValue is unsigned (offset code 31 is >= 2^31): such offsets become negative or huge, both
            // rejected below
            int offset;
            if (ofValue > 3 || ofValue < 0) {
                offset = ofValue - 3;
                rep3 = rep2;
                rep2 = rep1;
                rep1 = offset;
            } else {
                int idx = ll == 0 ? ofValue : ofValue - 1;
                if (idx == 0) {
                    offset = rep1;
                } else {
                    offset = idx == 1 ? rep2 : idx == 2 ? rep3 : rep1 - 1;
                    if (idx != 1) {
                        rep3 = rep2;
                    }
                    rep2 = rep1;
                    rep1 = offset;
                }
            }
            int matchAt = op + ll;
            if (ll <= litFastEnd - litPos && ml <= opFastEnd - matchAt && offset > 0
                    && offset <= matchAt - frameStart) {
                if (ll <= 8) {
                    LE_LONG.set(out, op, (long) LE_LONG.get(lit, litPos));
                } else {
                    copy16(lit, litPos, out, op);
                    if (ll > 16) {
                        wildCopy(lit, litPos + 16, out, op + 16, matchAt);
                    }
                }
                litPos += ll;
                int from = matchAt - offset;
                op = matchAt + ml;
                if (offset >= 8) {
                    copy16(out, from, out, matchAt);
                    if (ml > 16) {
                        copy16(out, from + 16, out, matchAt + 16);
                        if (ml > 32) {
                            wildCopy(out, from + 32, out, matchAt + 32, op);
                        }
                    }
                } else {
                    spreadCopy(out, from, matchAt, offset, op);
                }
            } else {
                op = executeExactly(out, op, opEnd, frameStart, lit, litPos, litEnd, ll, ml, offset, start - inOffset);
                litPos += ll;
            }
        }
        r.container = bits;
        r.consumed = consumed;
        r.ptr = ptr;
        st.rep1 = rep1;
        st.rep2 = rep2;
        st.rep3 = rep3;
        op = executeLast(r, t[llState], t[mlState], t[ofState], st, out, op, opEnd, frameStart, lit, litPos, litEnd,
                start - inOffset, nbSeq);
        litPos = st.litPos;
        if (r.position() != 0) {
            throw ZstdDecoder.error(start - inOffset, "sequence bit stream not fully used (" + r.position()
                    + " bits left)");
        }
        int rest = litEnd - litPos;
        if (rest > opEnd - op) {
            throw ZstdDecoder.error(start - inOffset, "literals exceed the output capacity");
        }
        System.arraycopy(lit, litPos, out, op, rest);
        return op + rest;
    }

    /**
     * The last sequence of a block (it reads no next states), with exact copies: decodes its values from
     * the entries through {@code r}, updates the scratch's repeat offsets, sets {@code st.litPos} to the
     * literals position after it and returns the output position after it.
     */
    private static int executeLast(ZstdBitReader r, long llE, long mlE, long ofE, ZstdScratch st, byte[] out,
            int op, int opEnd, int frameStart, byte[] lit, int litPos, int litEnd, int errorPosition, int nbSeq)
            throws DecompressionException {
        int ofValue = (int) ofE + (int) r.read((int) (ofE >>> 32) & 63);
        int ml = (int) mlE + (int) r.read((int) (mlE >>> 32) & 63);
        int ll = (int) llE + (int) r.read((int) (llE >>> 32) & 63);
        if (r.position() < 0) {
            throw ZstdDecoder.error(errorPosition, "sequence bit stream overrun at sequence " + (nbSeq - 1));
        }
        int offset;
        if (ofValue > 3 || ofValue < 0) {
            offset = ofValue - 3;
            st.rep3 = st.rep2;
            st.rep2 = st.rep1;
            st.rep1 = offset;
        } else {
            int idx = ll == 0 ? ofValue : ofValue - 1;
            if (idx == 0) {
                offset = st.rep1;
            } else {
                offset = idx == 1 ? st.rep2 : idx == 2 ? st.rep3 : st.rep1 - 1;
                if (idx != 1) {
                    st.rep3 = st.rep2;
                }
                st.rep2 = st.rep1;
                st.rep1 = offset;
            }
        }
        st.litPos = litPos + ll;
        return executeExactly(out, op, opEnd, frameStart, lit, litPos, litEnd, ll, ml, offset, errorPosition);
    }

    /**
     * A match whose offset (1..7) is shorter than 8 bytes: the first 8 bytes in one write of the repeated
     * period, the rest 8 at a time from a whole number of periods back. Reads 8 bytes from {@code from}
     * (only the offset's bytes are used); writes up to 15 bytes past {@code end}.
     */
    private static void spreadCopy(byte[] out, int from, int at, int offset, int end) {
        // the first 8 bytes: the offset's period (its low bytes) repeated by one multiplication, the copies
        // occupying disjoint bytes (no carries)
        long v = (long) LE_LONG.get(out, from);
        LE_LONG.set(out, at, (v & PERIOD_MASK[offset]) * PERIOD_REPEAT[offset]);
        if (end - at > 8) {
            wildCopy(out, at + 8 - SPREAD[offset], out, at + 8, end);
        }
    }

    /** One sequence with every check and exact copies (near the end of the output, or malformed). */
    private static int executeExactly(byte[] out, int op, int opEnd, int frameStart, byte[] lit, int litPos,
            int litEnd, int ll, int ml, int offset, int errorPosition) throws DecompressionException {
        if (ll > litEnd - litPos) {
            throw ZstdDecoder.error(errorPosition, "sequence needs " + ll + " literals but " + (litEnd - litPos)
                    + " remain");
        }
        if (ml > opEnd - op - ll) {
            throw ZstdDecoder.error(errorPosition, "sequence exceeds the output capacity");
        }
        int matchAt = op + ll;
        if (offset <= 0 || offset > matchAt - frameStart) {
            throw ZstdDecoder.error(errorPosition, "match offset " + Integer.toUnsignedString(offset)
                    + " reaches before the start of the frame (" + (matchAt - frameStart) + " bytes decoded)");
        }
        System.arraycopy(lit, litPos, out, op, ll);
        Copies.match(out, matchAt, offset, ml);
        return matchAt + ml;
    }

    /** Copies 16 bytes, 8 at a time in order (so the source may start 8 or more bytes before the destination). */
    private static void copy16(byte[] src, int s, byte[] dst, int d) {
        LE_LONG.set(dst, d, (long) LE_LONG.get(src, s));
        LE_LONG.set(dst, d + 8, (long) LE_LONG.get(src, s + 8));
    }

    /**
     * Copies {@code src[s, ...)} to {@code dst[d, dEnd)} 16 bytes per step, 8 at a time in order: may write
     * up to 15 bytes past {@code dEnd} and read as far past the source; the source may overlap the
     * destination if it starts at least 8 bytes before it (each 8 bytes read are already final).
     */
    private static void wildCopy(byte[] src, int s, byte[] dst, int d, int dEnd) {
        do {
            copy16(src, s, dst, d);
            s += 16;
            d += 16;
        } while (d < dEnd);
    }
}
