package org.kdump4j.kernel;

import java.io.IOException;

/**
 * Reads the plain character log of kernels before 3.5: {@code log_buf} of {@code log_buf_len} bytes
 * (a power of two) written as a ring, with {@code log_end} counting every byte ever written. The valid
 * text is the last {@code min(log_end, log_buf_len)} bytes, ending at {@code log_end % log_buf_len}.
 */
final class PlainLog {
    private PlainLog() {
    }

    static byte[] read(AddressSpace space, LogLayout k, boolean wordSizedLogEnd) throws IOException {
        long bufAddr;
        long bufLen;
        long end;
        try {
            bufAddr = space.readWord(k.symbol("log_buf"));
            bufLen = space.readU32(k.symbol("log_buf_len"));
            end = wordSizedLogEnd ? space.readWord(k.symbol("log_end")) : space.readU32(k.symbol("log_end"));
        } catch (TranslationException e) {
            throw new KernelLogException(space.name(), "cannot read the log buffer variables: " + e.getMessage(), e);
        }
        if (bufLen == 0 || bufLen > StructuredLog.MAX_BUFFER - 8) {
            throw k.error("implausible log_buf_len " + bufLen);
        }
        if (Long.compareUnsigned(end, bufLen) < 0) {
            return LogBuffers.read(space, bufAddr, (int) end, "log_buf");
        }
        byte[] buf = LogBuffers.read(space, bufAddr, (int) bufLen, "log_buf");
        int split = (int) Long.remainderUnsigned(end, bufLen);
        byte[] out = new byte[buf.length];
        System.arraycopy(buf, split, out, 0, buf.length - split);
        System.arraycopy(buf, 0, out, buf.length - split, split);
        return out;
    }
}
