package org.kdump4j.diskdump;

/**
 * Zstandard decoder written from RFC 8878: frames (with or without content size, window descriptor and
 * content checksum; skippable frames are skipped), raw, RLE and compressed blocks, literals sections
 * (raw, RLE, Huffman-coded with one or four streams, treeless reuse of the previous table, weights
 * given directly or FSE-compressed), sequences sections (predefined, RLE, FSE-compressed and repeated
 * tables) and the three repeat offsets. Dictionaries are not supported (kdump writers use none).
 *
 * <p>Bounded: the output never exceeds the capacity, every table, bit read and copy is checked, and any
 * malformed input raises {@link DecompressionException}.
 *
 * <p>Thread-safe: the decoder is stateless between calls except for one {@link ZstdScratch} per thread
 * (tables and buffers reused from frame to frame, reset at each frame), so concurrent calls never share
 * state. The work is split over {@link ZstdHuffman} (literals), {@link ZstdFse} and
 * {@link ZstdSequenceTable} (FSE tables) and {@link ZstdSequences} (the sequences).
 */
final class ZstdDecoder {
    static final int MAGIC = 0xFD2FB528;
    private static final int MAX_BLOCK_SIZE = 128 * 1024;
    private static final ThreadLocal<ZstdScratch> SCRATCH = ThreadLocal.withInitial(ZstdScratch::new);

    private ZstdDecoder() {
    }

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
        ZstdScratch st = SCRATCH.get().reset();
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
            int frameStart, ZstdScratch st) throws DecompressionException {
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
                lit = st.literals(regenerated);
                java.util.Arrays.fill(lit, 0, regenerated, in[ip]);
                litStart = 0;
                ip += 1;
            }
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
            ZstdHuffman huffman = st.huffman;
            if (litType == 2) {
                ip = huffman.readTable(in, ip, cEnd, inOffset, st.fse, st.bits);
            } else if (!huffman.present()) {
                throw error(ip - inOffset, "treeless literals without a previous Huffman table");
            }
            lit = st.literals(regenerated);
            litStart = 0;
            if (fourStreams) {
                huffman.decode4(in, ip, cEnd, inOffset, lit, regenerated, st.bits);
            } else {
                huffman.decode1(in, ip, cEnd, inOffset, lit, regenerated, st.bits);
            }
            ip = cEnd;
        }
        int litLength = regenerated;
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
        ip = table(ZstdSequenceTable.Field.LITERAL_LENGTHS, (modes >>> 6) & 3, in, ip, end, inOffset, st);
        ip = table(ZstdSequenceTable.Field.OFFSETS, (modes >>> 4) & 3, in, ip, end, inOffset, st);
        ip = table(ZstdSequenceTable.Field.MATCH_LENGTHS, (modes >>> 2) & 3, in, ip, end, inOffset, st);
        return ZstdSequences.execute(in, ip, end, inOffset, st, nbSeq, out, op, opEnd, frameStart, lit, litStart,
                litStart + litLength);
    }

    private static void need(int ip, int end, int n, int inOffset) throws DecompressionException {
        if (n < 0 || n > end - ip) {
            throw error(ip - inOffset, "block ends early: " + n + " more bytes needed");
        }
    }

    /**
     * Selects the table of one sequence field per its compression mode (RFC 8878 3.1.1.3.2.1), reading an
     * RLE symbol or an FSE table description at {@code ip} into this thread's tables (a description equal
     * to the one the field's table was last built from is not built again); returns the position after it.
     */
    private static int table(ZstdSequenceTable.Field field, int mode, byte[] in, int ip, int end, int inOffset,
            ZstdScratch st) throws DecompressionException {
        ZstdSequenceTable tables = st.sequenceTables;
        switch (mode) {
            case 0 -> tables.usePredefined(field);
            case 1 -> {
                need(ip, end, 1, inOffset);
                int s = in[ip++] & 0xff;
                if (s > field.maxSymbol) {
                    throw error(ip - 1 - inOffset, "RLE symbol " + s + " is out of range for " + field.description);
                }
                tables.useRle(field, s);
            }
            case 2 -> {
                int same = tables.reuse(field, in, ip, end);
                if (same > 0) {
                    ip += same;
                } else {
                    ZstdFse fse = st.fse;
                    int after = fse.read(in, ip, end, inOffset, field.maxSymbol, field.maxLog);
                    if (!fse.spread()) {
                        throw error(after - inOffset, "invalid FSE distribution for " + field.description);
                    }
                    tables.useDistribution(field, fse, in, ip, after - ip);
                    ip = after;
                }
            }
            default -> {
                if (tables.log(field) < 0) {
                    throw error(ip - inOffset, "repeat mode for " + field.description + " without a previous table");
                }
            }
        }
        return ip;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    static DecompressionException error(long position, String problem) {
        return new DecompressionException(Compression.ZSTD, position, problem);
    }
}
