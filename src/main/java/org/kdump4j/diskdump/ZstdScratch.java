package org.kdump4j.diskdump;

/**
 * One thread's Zstandard decoding state: what a frame's blocks carry over (Huffman table, sequence
 * tables, repeat offsets) and the scratch space tables and literals are built in, allocated once per
 * thread and reused for every frame. {@link ZstdDecoder} keeps one per thread and resets it at each
 * frame; it is never shared. The Huffman weight tables {@link ZstdHuffman} remembers (a bounded
 * {@link ZstdTableCache}) survive the reset: they are found by the exact bytes of their description, so
 * they stay valid from frame to frame.
 */
final class ZstdScratch {
    /** Bytes the literal buffer holds past any literals, so 16-byte copies may read beyond their end. */
    static final int LITERAL_SLACK = 32;

    final ZstdHuffman huffman = new ZstdHuffman();
    final ZstdFse fse = new ZstdFse();
    final ZstdBitReader bits = new ZstdBitReader();
    final ZstdSequenceTable sequenceTables = new ZstdSequenceTable();
    int rep1;
    int rep2;
    int rep3;
    /** Where the literals continue after {@link ZstdSequences}' last sequence of a block. */
    int litPos;
    private byte[] literals = new byte[4096 + LITERAL_SLACK];

    /** Starts a frame: no previous tables, the initial repeat offsets. */
    ZstdScratch reset() {
        huffman.reset();
        sequenceTables.reset();
        rep1 = 1;
        rep2 = 4;
        rep3 = 8;
        return this;
    }

    /** The literal buffer, holding at least {@code size} bytes plus {@link #LITERAL_SLACK}. */
    byte[] literals(int size) {
        if (literals.length < size + LITERAL_SLACK) {
            literals = new byte[Math.max(size, 2 * literals.length) + LITERAL_SLACK];
        }
        return literals;
    }
}
