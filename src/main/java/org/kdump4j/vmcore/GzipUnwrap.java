package org.kdump4j.vmcore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;

/**
 * Unpacks a gzip-wrapped dump ({@code vmcore.gz}) into a temporary file so it can be mapped like any
 * other dump. The output is bounded by the free space of the temporary directory (a compression bomb
 * fails with a typed error instead of filling the disk); a failure removes the partial file.
 */
final class GzipUnwrap {
    /** Space left free on the temporary file system. */
    private static final long RESERVE = 64L << 20;

    private GzipUnwrap() {
    }

    /** Whether an open source starts with the gzip magic (it may still be a device, not a file). */
    static boolean hasGzipMagic(ByteSource source) throws IOException {
        return source.size() >= 2 && source.getByte(0) == (byte) 0x1f && source.getByte(1) == (byte) 0x8b;
    }

    /** Unpacks {@code gz} into a new temporary file and returns it; the caller deletes it. */
    static Path unpack(Path gz, Path tmpDir) throws IOException {
        Path out = Files.createTempFile(tmpDir, "kdump4j-", ".unpacked");
        boolean ok = false;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz), 1 << 16);
                OutputStream o = Files.newOutputStream(out)) {
            long limit = Math.max(0, Files.getFileStore(tmpDir).getUsableSpace() - RESERVE);
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > limit) {
                    throw new DumpFormatException(gz.toString(), 0, "gzip content exceeds the free space of "
                            + tmpDir + " (" + limit + " bytes); unpack it elsewhere");
                }
                o.write(buf, 0, n);
            }
            ok = true;
            return out;
        } catch (ZipException | java.io.EOFException e) {
            throw new DumpFormatException(gz.toString(), 0, "corrupt or truncated gzip data: " + e.getMessage(), e);
        } finally {
            if (!ok) {
                Files.deleteIfExists(out);
            }
        }
    }
}
