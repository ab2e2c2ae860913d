package org.kdump4j.bench;

import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kdump-compressed benchmark files and their compressed page blobs ({@code bin/bench-kdump}).
 *
 * <p>Files: {@code DIR/x86_64-6.1-kexec-c.d31.kdump-CODEC} (CODEC = lzo, zlib, zstd, raw), DIR =
 * {@code -Dkdump4j.bench.kdumpdir} (default {@code target/bench}). Blob sets: {@code DIR/CODEC.pages},
 * a sequence of records {@code u32 LE length, length bytes}, each one compressed page exactly as stored
 * in the file (decoded size: 4096). Pages the writer stored raw (compression did not pay) are left
 * out. {@code snappy.pages} is made by {@code src/jmh/native/codec_native.c} (libsnappy) from the
 * decoded LZO pages, because the installed makedumpfile cannot write Snappy.
 *
 * <p>{@code main}: {@code KdumpPages export DIR} writes lzo/zlib/zstd.pages, parsing the file layout
 * itself (header, 2nd bitmap, page_desc table; kdump-compressed-spec.md), independently of the library.
 */
public final class KdumpPages {
    static final String DIR_PROPERTY = "kdump4j.bench.kdumpdir";
    static final String PREFIX = "x86_64-6.1-kexec-c.d31.kdump-";

    private KdumpPages() {
    }

    static Path dir() {
        return Path.of(System.getProperty(DIR_PROPERTY, "target/bench"));
    }

    static Path dumpFile(String codec) {
        return dir().resolve(PREFIX + codec);
    }

    /**
     * Opens a kdump file from {@code src} (which the result owns; closed here if opening fails) with the
     * decoded-page cache disabled, so every read decodes again.
     */
    static org.kdump4j.diskdump.KdumpFile openUncached(org.kdump4j.io.ByteSource src) throws IOException {
        try {
            return org.kdump4j.diskdump.KdumpFile.openSources(List.of(src), 0);
        } catch (IOException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    static Path blobFile(String codec) {
        return dir().resolve(codec + ".pages");
    }

    /** Blobs of one codec, concatenated; blob i is data[offsets[i], offsets[i+1]). */
    record Blobs(byte[] data, int[] offsets) {
        int count() {
            return offsets.length - 1;
        }

        long bytes() {
            return data.length;
        }
    }

    static Blobs readBlobs(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> offs = new ArrayList<>();
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream(all.length);
        int pos = 0;
        while (b.remaining() > 0) {
            int len = b.getInt();
            offs.add(pos);
            data.write(all, b.position(), len);
            b.position(b.position() + len);
            pos += len;
        }
        offs.add(pos);
        return new Blobs(data.toByteArray(), offs.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Writes the compressed page blobs of one kdump-compressed file; returns {blobs, raw-stored pages}. */
    static long[] export(Path dump, Path out, int wantFlag) throws IOException {
        byte[] f = Files.readAllBytes(dump);
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        if (!new String(f, 0, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("KDUMP   ")) {
            throw new IOException(dump + ": not a kdump-compressed file");
        }
        int version = b.getInt(8);
        int blockSize = b.getInt(428);
        int subHdrSize = b.getInt(432);
        long bitmapBlocks = Integer.toUnsignedLong(b.getInt(436));
        long maxMapnr = Integer.toUnsignedLong(b.getInt(440));
        if (version >= 6) {
            maxMapnr = b.getLong(blockSize + 96);
        }
        long bitmapBytes = bitmapBlocks * blockSize / 2;
        boolean two = bitmapBlocks * blockSize * 8 / 2 >= maxMapnr;
        long bitmap2 = (1L + subHdrSize) * blockSize + (two ? bitmapBytes : 0);
        long n = 0;
        for (long i = 0; i < (maxMapnr + 7) / 8; i++) {
            n += Integer.bitCount(f[(int) (bitmap2 + i)] & 0xff);
        }
        long table = (1L + subHdrSize + bitmapBlocks) * blockSize;
        long blobs = 0;
        long raw = 0;
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(out)))) {
            for (long i = 0; i < n; i++) {
                int d = (int) (table + 24 * i);
                long off = b.getLong(d);
                int size = b.getInt(d + 8);
                int flags = b.getInt(d + 12);
                if (flags == 0) {
                    raw++;
                    continue;
                }
                if (flags != wantFlag) {
                    throw new IOException(dump + ": page_desc " + i + " has flags 0x" + Integer.toHexString(flags));
                }
                o.writeInt(Integer.reverseBytes(size));
                o.write(f, (int) off, size);
                blobs++;
            }
        }
        return new long[] {blobs, raw, n};
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || !args[0].equals("export")) {
            System.err.println("usage: KdumpPages export DIR");
            System.exit(2);
        }
        System.setProperty(DIR_PROPERTY, args[1]);
        String[] codecs = {"lzo", "zlib", "zstd"};
        int[] flags = {0x02, 0x01, 0x20};
        for (int i = 0; i < codecs.length; i++) {
            long[] r = export(dumpFile(codecs[i]), blobFile(codecs[i]), flags[i]);
            System.out.printf("export %s: %d dumpable pages, %d compressed blobs (%d bytes), %d stored raw -> %s%n",
                    codecs[i], r[2], r[0], Files.size(blobFile(codecs[i])) - 4 * r[0], r[1], blobFile(codecs[i]));
        }
    }
}
