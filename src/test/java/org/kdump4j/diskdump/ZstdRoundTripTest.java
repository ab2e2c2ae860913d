package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.testing.ExternalTools;

/**
 * The Zstandard decoder against the real {@code zstd} CLI at test time: many generated inputs (page
 * sized and larger, with the structures that exercise every copy path: runs, periods 1..40, long matches,
 * repeat offsets, text, random bytes, pointer arrays, multi-block), compressed at levels 1 to 22 with and
 * without checksum and content size, must decode to exactly the original, with the exact capacity and
 * with room to spare, and must fail typed with one byte less.
 */
class ZstdRoundTripTest {
    private static final String[][] LEVELS = {{"-1"}, {"-3", "--no-check"}, {"-9"}, {"-19"},
        {"--ultra", "-22", "--no-check"}, {"--fast=5"}};

    @Test
    void decodesWhatTheZstdToolCompressed(@TempDir Path dir) throws IOException, InterruptedException {
        String zstd = ExternalTools.require("zstd", "zstd");
        List<byte[]> inputs = inputs();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Path p = dir.resolve("in" + i);
            Files.write(p, inputs.get(i));
            names.add(p.toString());
        }
        int frames = 0;
        for (String[] level : LEVELS) {
            List<String> cmd = new ArrayList<>(List.of(zstd, "-q", "-f", "-k"));
            cmd.addAll(Arrays.asList(level));
            cmd.addAll(names);
            ExternalTools.Run run = ExternalTools.run(cmd);
            assertEquals(0, run.exit(), () -> "zstd " + String.join(" ", level) + ": " + run.err());
            for (int i = 0; i < inputs.size(); i++) {
                byte[] original = inputs.get(i);
                byte[] z = Files.readAllBytes(Path.of(names.get(i) + ".zst"));
                String what = "input " + i + " (" + original.length + " bytes), zstd " + String.join(" ", level);
                check(z, original, what);
                frames++;
            }
        }
        // without a content size in the frame header (zstd reading a pipe does not know it)
        for (int i = 0; i < inputs.size(); i += 3) {
            Path out = dir.resolve("pipe" + i + ".zst");
            ExternalTools.Run run = ExternalTools.run(List.of(zstd, "-q", "-c", "-3"), Path.of(names.get(i)), out);
            assertEquals(0, run.exit(), run::err);
            byte[] z = Files.readAllBytes(out);
            assertEquals(0, (z[4] & 0xff) >>> 6, "no content size flag when compressing a pipe");
            check(z, inputs.get(i), "input " + i + " from a pipe");
            frames++;
        }
        assertEquals(LEVELS.length * inputs.size() + (inputs.size() + 2) / 3, frames);
    }

    private static void check(byte[] z, byte[] original, String what) throws DecompressionException {
        byte[] exact = new byte[original.length];
        assertEquals(original.length, ZstdDecoder.decompress(z, 0, z.length, exact, 0, exact.length), what);
        assertArrayEquals(original, exact, what);
        byte[] roomy = new byte[original.length + 100];
        assertEquals(original.length, ZstdDecoder.decompress(z, 0, z.length, roomy, 37, original.length + 50), what);
        assertArrayEquals(original, Arrays.copyOfRange(roomy, 37, 37 + original.length), what);
        if (original.length > 0) {
            byte[] small = new byte[original.length - 1];
            assertThrows(DecompressionException.class, () -> ZstdDecoder.decompress(z, 0, z.length, small, 0,
                    small.length), what);
        }
    }

    /** Inputs with every kind of structure the decoder's copy paths distinguish, from a fixed seed. */
    static List<byte[]> inputs() {
        Random r = new Random(20261127);
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[0]);
        out.add(new byte[] {42});
        for (int size : new int[] {5, 17, 64, 300, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096, 4096,
            4096, 4096, 8192, 65536, 131072, 131073, 300_000}) {
            out.add(page(r, size));
        }
        // every period 1..40 repeated over a page, after a random prefix (matches with offsets < 8, < 16, ...)
        for (int period = 1; period <= 40; period++) {
            byte[] b = new byte[4096];
            r.nextBytes(b);
            int prefix = r.nextInt(64);
            for (int i = prefix + period; i < b.length; i++) {
                b[i] = b[i - period];
            }
            out.add(b);
        }
        return out;
    }

    /** A mix of segments: zeros, byte runs, short periods, copies from far back, text, random, pointers. */
    private static byte[] page(Random r, int size) {
        byte[] b = new byte[size];
        byte[] words = "kernel page cache task struct mm inode dentry slab zone node cpu irq rcu sched kdump "
                .getBytes(StandardCharsets.US_ASCII);
        int i = 0;
        while (i < size) {
            int len = Math.min(size - i, 1 + r.nextInt(r.nextInt(4) == 0 ? 600 : 40));
            switch (r.nextInt(8)) {
                case 0 -> i += len; // zeros
                case 1 -> Arrays.fill(b, i, i + len, (byte) r.nextInt(256));
                case 2 -> {
                    int period = 1 + r.nextInt(12);
                    for (int k = 0; k < len; k++) {
                        b[i + k] = k < period ? (byte) r.nextInt(256) : b[i + k - period];
                    }
                }
                case 3 -> {
                    if (i > 0) {
                        int from = r.nextInt(i);
                        for (int k = 0; k < len; k++) {
                            b[i + k] = b[from + k];
                        }
                    }
                }
                case 4 -> {
                    for (int k = 0; k < len; k++) {
                        b[i + k] = words[(r.nextInt(words.length) + k) % words.length];
                    }
                }
                case 5 -> {
                    for (int k = 0; k < len; k++) {
                        b[i + k] = (byte) r.nextInt(256);
                    }
                }
                case 6 -> {
                    for (int k = 0; k < len; k++) {
                        b[i + k] = (k & 7) < 3 ? (byte) r.nextInt(256) : (k & 7) < 6 ? (byte) 0x88 : (byte) 0xff;
                    }
                }
                default -> {
                    int back = 1 + r.nextInt(Math.max(1, Math.min(i, 3)));
                    for (int k = 0; k < len && i - back >= 0; k++) {
                        b[i + k] = b[i + k - back];
                    }
                }
            }
            i += len;
        }
        return b;
    }
}
