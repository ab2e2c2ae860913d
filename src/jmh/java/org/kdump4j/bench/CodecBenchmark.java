package org.kdump4j.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.kdump4j.diskdump.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our page decoders on the real compressed pages of the {@code -d 31} kdump files ({@code CODEC.pages},
 * see {@link KdumpPages}), the same blobs {@code src/jmh/native/codec_native.c} decodes with liblzo2,
 * zlib, libzstd and libsnappy. One op = decode every blob of the set into one 4 KiB buffer
 * ({@link Compression#decompress}, the entry point the reader uses); the result folds in the first
 * long of each page and its length (as the C program does), and the setup checks the XOR of all
 * decoded bytes against an independent full pass. Score: ms per set; MB/s = pages x 4096 / score.
 * zlib goes through the JDK's {@code Inflater}, i.e. native zlib, so its ratio is expected near 1.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class CodecBenchmark {
    static final int PAGE = 4096;

    @Param({"lzo", "zlib", "zstd", "snappy"})
    public String codec;

    private Compression compression;
    private byte[] data;
    private int[] offsets;
    private final byte[] out = new byte[PAGE];

    @Setup(Level.Trial)
    public void setup() throws IOException {
        compression = switch (codec) {
            case "lzo" -> Compression.LZO;
            case "zlib" -> Compression.ZLIB;
            case "zstd" -> Compression.ZSTD;
            case "snappy" -> Compression.SNAPPY;
            default -> throw new IllegalArgumentException(codec);
        };
        KdumpPages.Blobs b = KdumpPages.readBlobs(KdumpPages.blobFile(codec));
        data = b.data();
        offsets = b.offsets();
        java.lang.foreign.MemorySegment outSeg = java.lang.foreign.MemorySegment.ofArray(out);
        long x = 0;
        for (int i = 0; i + 1 < offsets.length; i++) {
            int n = compression.decompress(data, offsets[i], offsets[i + 1] - offsets[i], out, 0, PAGE);
            if (n != PAGE) {
                throw new IllegalStateException(codec + " blob " + i + " decodes to " + n + " bytes");
            }
            for (int k = 0; k < PAGE; k += 8) {
                x ^= outSeg.get(BenchDump.LONG, k);
            }
        }
        System.out.printf("%n# %s: %d blobs, %d compressed bytes, %d decoded bytes, xor 0x%x%n", codec,
                b.count(), b.bytes(), (long) b.count() * PAGE, x);
    }

    @Benchmark
    public long decodeAll() throws IOException {
        byte[] d = data;
        int[] o = offsets;
        byte[] dst = out;
        Compression c = compression;
        long acc = 0;
        for (int i = 0; i + 1 < o.length; i++) {
            int n = c.decompress(d, o[i], o[i + 1] - o[i], dst, 0, PAGE);
            acc ^= (dst[0] & 0xffL | (dst[7] & 0xffL) << 56) + n;
        }
        return acc;
    }
}
