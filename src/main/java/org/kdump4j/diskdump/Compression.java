package org.kdump4j.diskdump;

import java.util.Objects;

/**
 * How one page of a kdump-compressed file is stored: the codec bits of {@code page_desc.flags} (and of
 * {@code disk_dump_header.status}, which records the codec the writer was asked for).
 *
 * <p>All four codecs are built in and pure Java: zlib through the JDK's {@link java.util.zip.Inflater},
 * LZO1X, Snappy (raw block format) and Zstandard (RFC 8878) through this package's own decoders.
 */
public enum Compression {
    /** Stored as is ({@code flags == 0}); the size must equal the block size. */
    NONE(0, "raw"),
    /** {@code DUMP_DH_COMPRESSED_ZLIB}: a zlib (RFC 1950) stream, makedumpfile {@code -c}. */
    ZLIB(0x01, "zlib"),
    /** {@code DUMP_DH_COMPRESSED_LZO}: an LZO1X-1 stream, makedumpfile {@code -l}. */
    LZO(0x02, "lzo"),
    /** {@code DUMP_DH_COMPRESSED_SNAPPY}: a raw Snappy block, makedumpfile {@code -p}. */
    SNAPPY(0x04, "snappy"),
    /** {@code DUMP_DH_COMPRESSED_ZSTD}: one Zstandard frame, makedumpfile {@code -z}. */
    ZSTD(0x20, "zstd");

    /** The bits of {@code page_desc.flags} that name a codec. */
    public static final int CODEC_MASK = 0x01 | 0x02 | 0x04 | 0x20;

    private final int flag;
    private final String displayName;

    Compression(int flag, String displayName) {
        this.flag = flag;
        this.displayName = displayName;
    }

    /** The flag bit ({@code 0} for {@link #NONE}). */
    public int flag() {
        return flag;
    }

    /** A short lowercase name: {@code raw}, {@code zlib}, {@code lzo}, {@code snappy}, {@code zstd}. */
    public String displayName() {
        return displayName;
    }

    /**
     * The codec a {@code page_desc.flags} value names.
     *
     * @return the codec, or {@code null} when the flags name several codecs or carry unknown bits
     */
    static Compression ofPageFlags(int flags) {
        return switch (flags) {
            case 0 -> NONE;
            case 0x01 -> ZLIB;
            case 0x02 -> LZO;
            case 0x04 -> SNAPPY;
            case 0x20 -> ZSTD;
            default -> null;
        };
    }

    /**
     * Decodes one compressed block.
     *
     * @param src the compressed bytes
     * @param srcOffset where they start
     * @param srcLength how many there are
     * @param dst where the decoded bytes go
     * @param dstOffset where to start writing
     * @param dstCapacity the most bytes that may be written (the block size); never exceeded
     * @return the number of bytes written
     * @throws DecompressionException if the input is malformed or decodes to more than {@code dstCapacity}
     */
    public int decompress(byte[] src, int srcOffset, int srcLength, byte[] dst, int dstOffset, int dstCapacity)
            throws DecompressionException {
        Objects.checkFromIndexSize(srcOffset, srcLength, src.length);
        Objects.checkFromIndexSize(dstOffset, dstCapacity, dst.length);
        return switch (this) {
            case NONE -> {
                if (srcLength > dstCapacity) {
                    throw new DecompressionException(this, dstCapacity, "stored block of " + srcLength
                            + " bytes exceeds the capacity of " + dstCapacity);
                }
                System.arraycopy(src, srcOffset, dst, dstOffset, srcLength);
                yield srcLength;
            }
            case ZLIB -> ZlibDecoder.decompress(src, srcOffset, srcLength, dst, dstOffset, dstCapacity);
            case LZO -> Lzo1xDecoder.decompress(src, srcOffset, srcLength, dst, dstOffset, dstCapacity);
            case SNAPPY -> SnappyDecoder.decompress(src, srcOffset, srcLength, dst, dstOffset, dstCapacity);
            case ZSTD -> ZstdDecoder.decompress(src, srcOffset, srcLength, dst, dstOffset, dstCapacity);
        };
    }
}
