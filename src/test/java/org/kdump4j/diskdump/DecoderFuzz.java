package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes each page decoder: whatever the input, it either decodes within the capacity (never writing
 * outside {@code [offset, offset + capacity)}) or throws {@link DecompressionException} for its codec;
 * no other exception, no hang. Seeds: {@code DecoderFuzzInputs/<codec>/}, streams made by the reference
 * tools (see {@code codecs/generate.sh}).
 */
class DecoderFuzz {
    private static final int GUARD = 16;

    @FuzzTest(maxDuration = "60s")
    void lzo(byte[] data) {
        check(Compression.LZO, data);
    }

    @FuzzTest(maxDuration = "60s")
    void snappy(byte[] data) {
        check(Compression.SNAPPY, data);
    }

    @FuzzTest(maxDuration = "60s")
    void zstd(byte[] data) {
        check(Compression.ZSTD, data);
    }

    @FuzzTest(maxDuration = "60s")
    void zlib(byte[] data) {
        check(Compression.ZLIB, data);
    }

    private static void check(Compression codec, byte[] data) {
        for (int capacity : new int[] {4096, 65536, 17}) {
            byte[] out = new byte[capacity + 2 * GUARD];
            java.util.Arrays.fill(out, (byte) 0x5a);
            try {
                int n = codec.decompress(data, 0, data.length, out, GUARD, capacity);
                assertTrue(n >= 0 && n <= capacity, "output size " + n + " within " + capacity);
            } catch (DecompressionException e) {
                assertEquals(codec, e.compression());
                assertTrue(e.inputPosition() >= 0 && e.inputPosition() <= data.length, e::getMessage);
            }
            for (int i = 0; i < GUARD; i++) {
                assertEquals(0x5a, out[i], "wrote before the output offset");
                assertEquals(0x5a, out[GUARD + capacity + i], "wrote past the capacity");
            }
        }
    }
}
