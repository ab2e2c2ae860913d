package org.kdump4j.diskdump;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.TruncatedDumpException;

/**
 * A flattened file ({@code makedumpfile -F}, QEMU's default kdump output) read in place: its records
 * are indexed once into sorted, disjoint pieces of the rearranged file (where records overlap, the later
 * one wins, as when makedumpfile re-emits the sub-header), so reads are a binary search away. Bytes no
 * record wrote read as zero.
 */
final class FlatStorage implements Storage {
    /** Size of the flattened header. */
    static final int HEADER_SIZE = 4096;
    /** The signature field: {@code "makedumpfile"} padded with NULs to 16 bytes. */
    static final byte[] SIGNATURE = Arrays.copyOf("makedumpfile".getBytes(StandardCharsets.US_ASCII), 16);
    static final long TYPE_FLAT_HEADER = 1;

    private final ByteSource source;
    /** Piece i: logical [starts[i], starts[i] + lengths[i]) is at file offset positions[i]. */
    private final long[] starts;
    private final long[] lengths;
    private final long[] positions;
    private final long size;
    private final int records;
    private final boolean endMarker;

    private FlatStorage(ByteSource source, long[] starts, long[] lengths, long[] positions, long size, int records,
            boolean endMarker) {
        this.source = source;
        this.starts = starts;
        this.lengths = lengths;
        this.positions = positions;
        this.size = size;
        this.records = records;
        this.endMarker = endMarker;
    }

    /** Whether {@code source} starts with the flattened signature. */
    /**
     * Checks one record header ({@code offset}, {@code buf_size}, both big-endian): true for the end
     * marker (both -1), false for a sane data record.
     *
     * @throws DumpFormatException for any other header, naming the record's position {@code at}
     */
    static boolean isEndMarker(String name, long at, long offset, long bufSize) throws DumpFormatException {
        if (offset == -1 && bufSize == -1) {
            return true;
        }
        if (offset < 0 || bufSize <= 0 || offset + bufSize < 0) {
            throw new DumpFormatException(name, at, "flattened record with offset " + offset + " and size " + bufSize);
        }
        return false;
    }

    static boolean isFlattened(ByteSource source) throws IOException {
        return source.size() >= SIGNATURE.length && Arrays.equals(source.readBytes(0, SIGNATURE.length), SIGNATURE);
    }

    /**
     * Indexes a flattened file.
     *
     * @throws DumpFormatException if the header or a record header is malformed
     */
    static FlatStorage index(ByteSource source) throws IOException {
        String name = source.name();
        if (source.size() < HEADER_SIZE) {
            throw new TruncatedDumpException(name, 0, HEADER_SIZE, source.size(), "flattened header");
        }
        if (!isFlattened(source)) {
            throw new DumpFormatException(name, 0, "no flattened-format signature 'makedumpfile'");
        }
        long type = source.getLong(16, ByteOrder.BIG_ENDIAN);
        if (type != TYPE_FLAT_HEADER) {
            throw new DumpFormatException(name, 16, "flattened header type " + type + " (expected 1)");
        }
        long[] st = new long[1024];
        long[] len = new long[1024];
        long[] pos = new long[1024];
        int n = 0;
        long at = HEADER_SIZE;
        long fileSize = source.size();
        boolean end = false;
        boolean sorted = true;
        long prevEnd = 0;
        while (fileSize - at >= 16) {
            long offset = source.getLong(at, ByteOrder.BIG_ENDIAN);
            long bufSize = source.getLong(at + 8, ByteOrder.BIG_ENDIAN);
            if (isEndMarker(name, at, offset, bufSize)) {
                end = true;
                break;
            }
            long available = Math.min(bufSize, fileSize - at - 16);
            if (available > 0) {
                if (n == st.length) {
                    st = Arrays.copyOf(st, n * 2);
                    len = Arrays.copyOf(len, n * 2);
                    pos = Arrays.copyOf(pos, n * 2);
                }
                st[n] = offset;
                len[n] = available;
                pos[n] = at + 16;
                if (offset < prevEnd) {
                    sorted = false;
                }
                prevEnd = offset + available;
                n++;
            }
            if (available < bufSize) {
                break; // truncated stream: keep what is there
            }
            at += 16 + bufSize;
        }
        if (sorted) {
            long size = n == 0 ? 0 : st[n - 1] + len[n - 1];
            return new FlatStorage(source, Arrays.copyOf(st, n), Arrays.copyOf(len, n), Arrays.copyOf(pos, n), size, n,
                    end);
        }
        // later records win: insert from the last record backwards, each filling only what is still free
        TreeMap<Long, long[]> pieces = new TreeMap<>();
        for (int i = n - 1; i >= 0; i--) {
            fillGaps(pieces, st[i], st[i] + len[i], pos[i]);
        }
        int m = pieces.size();
        long[] s2 = new long[m];
        long[] l2 = new long[m];
        long[] p2 = new long[m];
        int k = 0;
        long size = 0;
        for (Map.Entry<Long, long[]> e : pieces.entrySet()) {
            s2[k] = e.getKey();
            l2[k] = e.getValue()[0] - e.getKey();
            p2[k] = e.getValue()[1];
            size = Math.max(size, e.getValue()[0]);
            k++;
        }
        return new FlatStorage(source, s2, l2, p2, size, n, end);
    }

    /** Adds the parts of [from, to) not yet covered; value = {end, file position of the piece start}. */
    private static void fillGaps(TreeMap<Long, long[]> pieces, long from, long to, long position) {
        long p = from;
        while (p < to) {
            Map.Entry<Long, long[]> floor = pieces.floorEntry(p);
            if (floor != null && floor.getValue()[0] > p) {
                p = floor.getValue()[0];
                continue;
            }
            Long next = pieces.higherKey(p);
            long gapEnd = next == null ? to : Math.min(to, next);
            pieces.put(p, new long[] {gapEnd, position + (p - from)});
            p = gapEnd;
        }
    }

    /** The number of data records in the stream. */
    int recordCount() {
        return records;
    }

    /** Whether the stream ended with the end marker (else it is truncated). */
    boolean hasEndMarker() {
        return endMarker;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ByteSource source() {
        return source;
    }

    private int floor(long offset) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (offset < 0 || offset > size || length > size - offset) {
            throw new TruncatedDumpException(name(), offset, length, size, "rearranged data");
        }
        int i = floor(offset);
        int done = 0;
        while (done < length) {
            long at = offset + done;
            while (i + 1 < starts.length && starts[i + 1] <= at) {
                i++;
            }
            if (i >= 0 && at < starts[i] + lengths[i]) {
                int n = (int) Math.min(length - done, starts[i] + lengths[i] - at);
                source.read(positions[i] + (at - starts[i]), dst, dstOffset + done, n);
                done += n;
            } else {
                long next = i + 1 < starts.length ? starts[i + 1] : Long.MAX_VALUE;
                int n = (int) Math.min(length - done, next - at);
                Arrays.fill(dst, dstOffset + done, dstOffset + done + n, (byte) 0); // no record wrote these
                done += n;
            }
        }
    }

    @Override
    public MemorySegment view(long offset, int length) throws IOException {
        if (!source.isMapped() || offset < 0 || length > size - offset) {
            return null;
        }
        int i = floor(offset);
        if (i >= 0 && offset + length <= starts[i] + lengths[i]) {
            return source.slice(positions[i] + (offset - starts[i]), length);
        }
        return null;
    }
}
