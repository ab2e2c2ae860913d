package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every decoder against streams made by the reference implementations (see {@code codecs/generate.sh}:
 * python3's zlib, liblzo2 through python3-lzo, libsnappy through python3-snappy, the zstd CLI), and
 * against truncated, mutated and oversized input.
 */
class CodecTest {
    private static final String DIR = "codecs/";
    private static final String[] SAMPLES = {"page-text", "page-mixed", "page-random", "page-zero", "block-64k",
        "multiblock-260k"};
    private static final String[] SUFFIXES = {"zlib1", "zlib9", "lzo1", "lzo9", "snappy", "zst1", "zst19",
        "zst3-nocheck", "zst3-nosize", "zst22"};

    record Vector(String name, Compression codec, byte[] compressed, byte[] original) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = CodecTest.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + DIR + name);
            }
            return name.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Compression codecOf(String suffix) {
        return suffix.startsWith("zlib") ? Compression.ZLIB : suffix.startsWith("lzo") ? Compression.LZO
                : suffix.startsWith("snappy") ? Compression.SNAPPY : Compression.ZSTD;
    }

    static List<Vector> vectors() {
        List<Vector> out = new ArrayList<>();
        for (String s : SAMPLES) {
            byte[] original = resource(s + ".bin.gz");
            for (String suffix : SUFFIXES) {
                out.add(new Vector(s + "." + suffix, codecOf(suffix), resource(s + "." + suffix), original));
            }
        }
        // zstd's rarer literal encodings: directly stored Huffman weights; RLE and treeless (1 and 4 streams)
        for (String s : new String[] {"zstd-lowalphabet", "zstd-literals"}) {
            out.add(new Vector(s + ".zst19", Compression.ZSTD, resource(s + ".zst19"), resource(s + ".bin.gz")));
        }
        return out;
    }

    private static byte[] decode(Compression c, byte[] in, int capacity) throws DecompressionException {
        byte[] out = new byte[capacity + 16];
        int n = c.decompress(in, 0, in.length, out, 8, capacity);
        assertTrue(n >= 0 && n <= capacity, "output within capacity");
        for (int i = 0; i < 8; i++) {
            assertEquals(0, out[i], "nothing written before the output offset");
            assertEquals(0, out[8 + capacity + i], "nothing written past the capacity");
        }
        return Arrays.copyOfRange(out, 8, 8 + n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesWhatTheReferenceImplementationEncoded(Vector v) throws DecompressionException {
        assertArrayEquals(v.original, decode(v.codec, v.compressed, v.original.length), v.name);
        // the same bytes at an offset inside a larger input array
        byte[] shifted = new byte[v.compressed.length + 7];
        System.arraycopy(v.compressed, 0, shifted, 3, v.compressed.length);
        byte[] out = new byte[v.original.length];
        assertEquals(v.original.length, v.codec.decompress(shifted, 3, v.compressed.length, out, 0, out.length));
        assertArrayEquals(v.original, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void neverWritesPastTheCapacity(Vector v) {
        DecompressionException e = assertThrows(DecompressionException.class,
                () -> decode(v.codec, v.compressed, v.original.length - 1));
        assertEquals(v.codec, e.compression());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void truncatedInputIsATypedError(Vector v) {
        for (int cut : new int[] {1, 2, v.compressed.length / 2, v.compressed.length - 1}) {
            if (cut <= 0 || cut >= v.compressed.length) {
                continue;
            }
            byte[] in = Arrays.copyOf(v.compressed, v.compressed.length - cut);
            assertThrows(DecompressionException.class, () -> decode(v.codec, in, v.original.length),
                    () -> v.name + " cut by " + cut);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void mutatedInputDecodesWithinBoundsOrFailsTyped(Vector v) {
        Random r = new Random(v.name.hashCode());
        for (int i = 0; i < 120; i++) {
            byte[] in = v.compressed.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) {
                in[r.nextInt(in.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                decode(v.codec, in, v.original.length);
            } catch (DecompressionException expected) {
                assertEquals(v.codec, expected.compression());
            }
        }
    }

    @Test
    void zstdChecksumMismatchIsDetected() {
        byte[] z = resource("page-text.zst1");
        assertEquals(0x04, (z[4] & 0x04), "the zstd CLI writes a checksum by default");
        z[z.length - 1] ^= 1;
        DecompressionException e = assertThrows(DecompressionException.class, () -> decode(Compression.ZSTD, z, 4096));
        assertTrue(e.getMessage().contains("checksum"), e::getMessage);
    }

    @Test
    void zstdConcatenatedAndSkippableFramesDecodeInOrder() throws DecompressionException {
        byte[] a = resource("page-text.zst1");
        byte[] b = resource("page-mixed.zst3-nosize");
        byte[] skippable = {0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9};
        byte[] all = new byte[a.length + skippable.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(skippable, 0, all, a.length, skippable.length);
        System.arraycopy(b, 0, all, a.length + skippable.length, b.length);
        byte[] expected = new byte[8192];
        System.arraycopy(resource("page-text.bin.gz"), 0, expected, 0, 4096);
        System.arraycopy(resource("page-mixed.bin.gz"), 0, expected, 4096, 4096);
        assertArrayEquals(expected, decode(Compression.ZSTD, all, 8192));
    }

    @Test
    void xxHash64MatchesPublishedValues() {
        assertEquals(0xEF46DB3751D8E999L, XxHash64.hash(new byte[0], 0, 0, 0));
        // a frame's checksum is the low 32 bits of XXH64 of its content: page-text.zst1 carries it
        byte[] z = resource("page-text.zst1");
        int stored = (z[z.length - 4] & 0xff) | (z[z.length - 3] & 0xff) << 8 | (z[z.length - 2] & 0xff) << 16
                | (z[z.length - 1] & 0xff) << 24;
        byte[] text = resource("page-text.bin.gz");
        assertEquals(stored, (int) XxHash64.hash(text, 0, text.length, 0));
    }

    @Test
    void hostileHeadersAreRejected() {
        // zstd: reserved bit, dictionary, reserved block type, content size beyond capacity
        assertThrows(DecompressionException.class,
                () -> decode(Compression.ZSTD, new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x08, 0, 0, 0}, 64));
        assertThrows(DecompressionException.class, () -> decode(Compression.ZSTD,
                new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x21, 5, 1, 0, 0}, 64));
        assertThrows(DecompressionException.class, () -> decode(Compression.ZSTD,
                new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x20, 4, 7, 0, 0}, 64));
        assertThrows(DecompressionException.class, () -> decode(Compression.ZSTD,
                new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x20, (byte) 200, 1, 0, 0}, 64));
        // snappy: declared length beyond capacity; copy before the start
        assertThrows(DecompressionException.class, () -> decode(Compression.SNAPPY, new byte[] {(byte) 0x81, 1}, 64));
        assertThrows(DecompressionException.class, () -> decode(Compression.SNAPPY, new byte[] {4, 0x01, 5}, 64));
        // lzo: a match before any output; a literal run longer than the input
        assertThrows(DecompressionException.class, () -> decode(Compression.LZO, new byte[] {0x40, 0, 0x11, 0, 0}, 64));
        assertThrows(DecompressionException.class, () -> decode(Compression.LZO, new byte[] {(byte) 0xff, 1, 2}, 64));
        // lzo: a long run of zero length-extension bytes ends at the capacity, not in a hang
        byte[] zeros = new byte[100_000];
        assertThrows(DecompressionException.class, () -> decode(Compression.LZO, zeros, 4096));
        // zlib: not a zlib stream
        assertThrows(DecompressionException.class, () -> decode(Compression.ZLIB, new byte[] {1, 2, 3, 4}, 64));
        // raw: larger than the capacity
        assertThrows(DecompressionException.class, () -> decode(Compression.NONE, new byte[65], 64));
    }
}
