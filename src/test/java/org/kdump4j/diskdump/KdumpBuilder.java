package org.kdump4j.diskdump;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.Deflater;

/**
 * Builds kdump-compressed files in memory the way makedumpfile lays them out, for every layout, byte
 * order, header version and block size; pages can be stored raw, zlib-compressed (JDK deflater) or with
 * pre-compressed bytes from a reference tool.
 */
final class KdumpBuilder {
    KdumpLayout layout = KdumpLayout.LP64;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    int version = 6;
    int blockSize = 4096;
    String machine = "x86_64";
    String release = "6.1.0-test";
    long maxMapnr = 64;
    int dumpLevel = 31;
    int status = 0x01;
    long physBase = 0x1000000;
    boolean shareZeroPage = true;
    boolean writeNotes = true;
    String vmcoreInfo = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nCRASHTIME=1764196000\n";
    long splitStart = -1;
    long splitEnd = -1;
    /** Descriptors from this index on are left zero (as an interrupted makedumpfile leaves them); -1: none. */
    long zeroDescriptorsFrom = -1;

    private record Stored(byte[] original, Compression codec, byte[] bytes) {
    }

    private final TreeMap<Long, Stored> pages = new TreeMap<>();
    private final Set<Long> excluded = new TreeSet<>();
    private final Map<Long, int[]> badDescriptors = new TreeMap<>();

    /** A dumpable page stored zlib-compressed when that is smaller, else raw. */
    KdumpBuilder page(long pfn, byte[] content) {
        byte[] z = zlib(content);
        pages.put(pfn, z.length < content.length ? new Stored(content, Compression.ZLIB, z)
                : new Stored(content, Compression.NONE, content));
        return this;
    }

    /** A dumpable page stored with the given codec's bytes (made by a reference tool). */
    KdumpBuilder page(long pfn, byte[] content, Compression codec, byte[] compressed) {
        pages.put(pfn, new Stored(content, codec, compressed));
        return this;
    }

    /** A RAM page left out by the dump level. */
    KdumpBuilder excluded(long pfn) {
        excluded.add(pfn);
        return this;
    }

    /** Overrides the stored size and flags of a page's descriptor. */
    KdumpBuilder badDescriptor(long pfn, int size, int flags) {
        badDescriptors.put(pfn, new int[] {size, flags});
        return this;
    }

    static byte[] zlib(byte[] content) {
        Deflater d = new Deflater(1);
        d.setInput(content);
        d.finish();
        byte[] buf = new byte[content.length * 2 + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }

    int subHeaderBlocks() {
        int notes = notesBytes().length;
        return (layout.subHeaderSize() + notes + blockSize - 1) / blockSize;
    }

    private byte[] notesBytes() {
        if (version < 3) {
            return new byte[0];
        }
        byte[] text = vmcoreInfo.getBytes(StandardCharsets.US_ASCII);
        if (version == 3 || !writeNotes) {
            return text; // v3: the text alone right after the sub-header
        }
        byte[] name = "VMCOREINFO\0\0".getBytes(StandardCharsets.US_ASCII); // 11 bytes padded to 12
        int descPadded = (text.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(12 + name.length + descPadded).order(order);
        b.putInt(11).putInt(text.length).putInt(0).put(name).put(text);
        return b.array();
    }

    long bitmapBytes() {
        long bytes = (maxMapnr + 7) / 8;
        return (bytes + blockSize - 1) / blockSize * blockSize;
    }

    long tableOffset() {
        return (1L + subHeaderBlocks() + 2 * bitmapBytes() / blockSize) * blockSize;
    }

    byte[] build() {
        int sub = subHeaderBlocks();
        long bmBytes = bitmapBytes();
        long bitmapBlocks = 2 * bmBytes / blockSize;
        long table = tableOffset();
        TreeSet<Long> dumpable = new TreeSet<>(pages.keySet());
        long count = dumpable.size();
        long dataStart = table + 24 * count;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        long zeroOffset = -1;
        if (shareZeroPage) {
            zeroOffset = dataStart;
            data.writeBytes(new byte[blockSize]);
        }
        boolean split = splitStart >= 0;
        long[][] descs = new long[(int) count][];
        int i = 0;
        for (Map.Entry<Long, Stored> e : pages.entrySet()) {
            long pfn = e.getKey();
            Stored s = e.getValue();
            if (split && (pfn < splitStart || pfn >= splitEnd)) {
                continue;
            }
            long[] d;
            if (shareZeroPage && s.codec == Compression.NONE && isZero(s.original)) {
                d = new long[] {zeroOffset, blockSize, 0};
            } else {
                d = new long[] {dataStart + data.size(), s.bytes.length, s.codec.flag()};
                data.writeBytes(s.bytes);
            }
            int[] bad = badDescriptors.get(pfn);
            if (bad != null) {
                d[1] = bad[0];
                d[2] = bad[1];
            }
            descs[i++] = d;
        }
        int n = i;
        long dataEnd = dataStart + data.size();
        ByteBuffer f = ByteBuffer.allocate((int) dataEnd).order(order);
        // header
        f.put(0, "KDUMP   ".getBytes(StandardCharsets.US_ASCII));
        f.putInt(8, version);
        f.put(12, "Linux".getBytes(StandardCharsets.US_ASCII));
        f.put(12 + 2 * 65, release.getBytes(StandardCharsets.US_ASCII));
        f.put(12 + 4 * 65, machine.getBytes(StandardCharsets.US_ASCII));
        int at;
        if (layout.wordSize() == 8) {
            f.putLong(408, 1764196000L);
            at = 424;
        } else {
            f.putInt(404, 1764196000);
            at = 412;
        }
        f.putInt(at, status);
        f.putInt(at + 4, blockSize);
        f.putInt(at + 8, sub);
        f.putInt(at + 12, (int) bitmapBlocks);
        f.putInt(at + 16, (int) Math.min(maxMapnr, 0xffffffffL));
        f.putInt(at + 36, 1);
        // sub-header
        int[] o = layout.subHeaderOffsets();
        int s0 = blockSize;
        boolean wide = layout == KdumpLayout.LP64;
        byte[] notes = notesBytes();
        long notesAt = blockSize + layout.subHeaderSize();
        putWord(f, s0 + o[0], physBase, wide);
        f.putInt(s0 + o[1], dumpLevel);
        if (version >= 2) {
            f.putInt(s0 + o[2], split ? 1 : 0);
            putWord(f, s0 + o[3], split ? splitStart : 0, wide);
            putWord(f, s0 + o[4], split ? splitEnd : 0, wide);
        }
        if (version >= 3) {
            boolean asNote = version >= 4 && writeNotes;
            long textAt = asNote ? notesAt + 12 + 12 : notesAt;
            f.putLong(s0 + o[5], textAt);
            putWord(f, s0 + o[6], vmcoreInfo.length(), wide);
        }
        if (version >= 4 && writeNotes) {
            f.putLong(s0 + o[7], notesAt);
            putWord(f, s0 + o[8], notes.length, wide);
        }
        if (version >= 6) {
            f.putLong(s0 + o[11], split ? splitStart : 0);
            f.putLong(s0 + o[12], split ? splitEnd : 0);
            f.putLong(s0 + o[13], maxMapnr);
        }
        f.put((int) notesAt, notes);
        // bitmaps
        long bm1 = (1L + sub) * blockSize;
        long bm2 = bm1 + bmBytes;
        for (long pfn : excluded) {
            setBit(f, bm1, pfn);
        }
        for (long pfn : dumpable) {
            setBit(f, bm1, pfn);
            setBit(f, bm2, pfn);
        }
        // descriptors and data
        for (int k = 0; k < n; k++) {
            if (zeroDescriptorsFrom >= 0 && k >= zeroDescriptorsFrom) {
                continue;
            }
            long p = table + 24L * k;
            f.putLong((int) p, descs[k][0]);
            f.putInt((int) p + 8, (int) descs[k][1]);
            f.putInt((int) p + 12, (int) descs[k][2]);
        }
        f.put((int) dataStart, data.toByteArray());
        return f.array();
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void putWord(ByteBuffer f, int at, long v, boolean wide) {
        if (wide) {
            f.putLong(at, v);
        } else {
            f.putInt(at, (int) v);
        }
    }

    private static void setBit(ByteBuffer f, long bitmap, long pfn) {
        int at = (int) (bitmap + (pfn >>> 3));
        f.put(at, (byte) (f.get(at) | (1 << (pfn & 7))));
    }

    /**
     * Wraps a file in the flattened format: records of at most {@code recordSize} bytes in file order,
     * then (when {@code rewriteHeader}) the first block again with {@code headerOverride} as a later,
     * winning record, then the end marker unless {@code endMarker} is false.
     */
    static byte[] flatten(byte[] file, int recordSize, byte[] headerOverride, boolean endMarker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = new byte[4096];
        System.arraycopy(FlatStorage.SIGNATURE, 0, head, 0, 16);
        ByteBuffer.wrap(head).putLong(16, 1).putLong(24, 1);
        out.writeBytes(head);
        for (int p = 0; p < file.length; p += recordSize) {
            int n = Math.min(recordSize, file.length - p);
            if (isZero(Arrays.copyOfRange(file, p, p + n))) {
                continue; // like a sparse write: never emitted, reads as zeros
            }
            record(out, p, Arrays.copyOfRange(file, p, p + n));
        }
        if (headerOverride != null) {
            record(out, 0, headerOverride);
        }
        if (endMarker) {
            out.writeBytes(ByteBuffer.allocate(16).putLong(-1).putLong(-1).array());
        }
        return out.toByteArray();
    }

    private static void record(ByteArrayOutputStream out, long offset, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(16).putLong(offset).putLong(bytes.length).array());
        out.writeBytes(bytes);
    }
}
