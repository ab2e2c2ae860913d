package org.kdump4j.diskdump;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** zlib (RFC 1950) through the JDK's {@link Inflater}, one inflater per thread, bounded output. */
final class ZlibDecoder {
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(false));

    private ZlibDecoder() {
    }

    static int decompress(byte[] src, int srcOffset, int srcLength, byte[] dst, int dstOffset, int dstCapacity)
            throws DecompressionException {
        Inflater inf = INFLATERS.get();
        inf.reset();
        inf.setInput(src, srcOffset, srcLength);
        int produced = 0;
        try {
            while (!inf.finished()) {
                if (produced == dstCapacity) {
                    byte[] probe = new byte[1];
                    if (inf.inflate(probe) > 0) {
                        throw new DecompressionException(Compression.ZLIB, inf.getBytesRead(),
                                "decodes to more than " + dstCapacity + " bytes");
                    }
                    if (inf.finished()) {
                        break;
                    }
                    throw new DecompressionException(Compression.ZLIB, inf.getBytesRead(),
                            inf.needsDictionary() ? "needs a preset dictionary" : "stream ends before its end marker");
                }
                long readBefore = inf.getBytesRead();
                int n = inf.inflate(dst, dstOffset + produced, dstCapacity - produced);
                produced += n;
                if (n == 0 && !inf.finished()
                        && (inf.needsInput() || inf.needsDictionary() || inf.getBytesRead() == readBefore)) {
                    throw new DecompressionException(Compression.ZLIB, inf.getBytesRead(),
                            inf.needsDictionary() ? "needs a preset dictionary" : "stream ends before its end marker");
                }
            }
        } catch (DataFormatException e) {
            throw new DecompressionException(Compression.ZLIB, inf.getBytesRead(), e.getMessage(), e);
        }
        return produced;
    }
}
