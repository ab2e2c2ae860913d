package org.kdump4j.diskdump;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import org.kdump4j.io.DumpFormatException;

/**
 * The makedumpfile flattened format ({@code makedumpfile -F}, QEMU's default kdump output): a 4 KiB
 * header, then records of (big-endian offset, big-endian size, bytes) that belong at that offset of
 * the real file, then an end marker (offset and size -1). {@link KdumpFile} reads such files in place;
 * this class turns one back into the ordinary file, in one streaming pass.
 */
public final class Flattened {
    private static final int COPY_CHUNK = 1 << 20;

    private Flattened() {
    }

    /**
     * What a reassembly did.
     *
     * @param records the data records applied
     * @param size the size of the rearranged file
     * @param endMarker whether the stream ended with its end marker
     */
    public record Result(long records, long size, boolean endMarker) {
    }

    /** Whether a file starts with the flattened-format signature. */
    public static boolean isFlattened(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(FlatStorage.SIGNATURE.length), FlatStorage.SIGNATURE);
        }
    }

    /**
     * Rearranges a flattened file into the ordinary file ({@code makedumpfile -R}); a truncated stream
     * (no end marker) is an error and leaves nothing behind.
     *
     * @see #reassemble(InputStream, String, Path, boolean)
     */
    public static Result reassemble(Path in, Path out) throws IOException {
        try (InputStream s = Files.newInputStream(in)) {
            return reassemble(s, in.toString(), out, false);
        }
    }

    /**
     * Rearranges a flattened stream into the ordinary file, applying records in stream order (later
     * records overwrite earlier ones; bytes no record wrote are zero). Writes a temporary file next to
     * {@code out}, forces it to disk and renames it into place, so {@code out} is never half-written.
     *
     * @param in the flattened stream (not closed)
     * @param name the stream's name for messages
     * @param out the file to create or replace
     * @param allowTruncated accept a stream that ends without its end marker (keeping every complete record)
     * @throws DumpFormatException if the stream is not flattened, a record is malformed, or it is truncated
     *     and {@code allowTruncated} is false
     */
    public static Result reassemble(InputStream in, String name, Path out, boolean allowTruncated) throws IOException {
        Objects.requireNonNull(out, "out");
        InputStream s = new BufferedInputStream(in, 1 << 16);
        byte[] header = s.readNBytes(FlatStorage.HEADER_SIZE);
        if (header.length < FlatStorage.HEADER_SIZE
                || !Arrays.equals(Arrays.copyOf(header, 16), FlatStorage.SIGNATURE)) {
            throw new DumpFormatException(name, 0, "not a flattened file (no 'makedumpfile' signature in a 4096-byte"
                    + " header)");
        }
        long type = ByteBuffer.wrap(header).getLong(16);
        if (type != FlatStorage.TYPE_FLAT_HEADER) {
            throw new DumpFormatException(name, 16, "flattened header type " + type + " (expected 1)");
        }
        Path dir = out.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
        boolean ok = false;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long records = 0;
            long size = 0;
            long at = FlatStorage.HEADER_SIZE;
            boolean end = false;
            byte[] chunk = new byte[COPY_CHUNK];
            while (true) {
                byte[] rh = s.readNBytes(16);
                if (rh.length < 16) {
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(rh);
                long offset = b.getLong(0);
                long bufSize = b.getLong(8);
                if (FlatStorage.isEndMarker(name, at, offset, bufSize)) {
                    end = true;
                    break;
                }
                long done = 0;
                while (done < bufSize) {
                    int n = s.readNBytes(chunk, 0, (int) Math.min(chunk.length, bufSize - done));
                    if (n == 0) {
                        break;
                    }
                    ByteBuffer w = ByteBuffer.wrap(chunk, 0, n);
                    long pos = offset + done;
                    while (w.hasRemaining()) {
                        pos += ch.write(w, pos);
                    }
                    done += n;
                }
                size = Math.max(size, offset + done);
                if (done < bufSize) {
                    break; // truncated inside a record: keep what arrived
                }
                records++;
                at += 16 + bufSize;
            }
            if (!end && !allowTruncated) {
                throw new DumpFormatException(name, at, "flattened stream ends without its end marker (truncated);"
                        + " nothing written");
            }
            if (ch.size() < size) {
                ch.truncate(size);
            }
            ch.force(true);
            ok = true;
            Result r = new Result(records, size, end);
            ch.close();
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            return r;
        } finally {
            if (!ok || Files.exists(tmp)) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
