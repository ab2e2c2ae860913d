package org.kdump4j.diskdump;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A backward bit stream (RFC 8878 4.1): read from its last byte, whose highest set bit marks the start,
 * towards its first, through a 64-bit container. The bits of the container not yet consumed are always
 * bits of the stream; reading past the stream's first byte yields zero bits and makes {@link #position()}
 * negative, which callers check.
 *
 * <p>The hot loops ({@link ZstdHuffman}, {@link ZstdSequences}) keep {@link #container}, {@link #consumed}
 * and {@link #ptr} in local variables and use this object only to start a stream and for their rare
 * slow paths near its start; they hand the state over through these package-private fields.
 */
final class ZstdBitReader {
    static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    byte[] buf;
    int start;
    int ptr;
    long container;
    int consumed;

    /**
     * Starts reading the stream {@code buf[start, end)}.
     *
     * @throws DecompressionException if the stream is empty or its last byte holds no end marker
     */
    ZstdBitReader init(byte[] buf, int start, int end, int inOffset) throws DecompressionException {
        if (end <= start) {
            throw ZstdDecoder.error(start - inOffset, "empty bit stream");
        }
        if (buf[end - 1] == 0) {
            throw ZstdDecoder.error(end - 1 - inOffset, "bit stream has no end marker");
        }
        this.buf = buf;
        this.start = start;
        if (end - start >= 8) {
            ptr = end - 8;
            container = (long) LE_LONG.get(buf, ptr);
        } else {
            ptr = start;
            long v = 0;
            for (int i = start; i < end; i++) {
                v |= (long) (buf[i] & 0xff) << (8 * (i - start));
            }
            container = v;
        }
        consumed = Long.numberOfLeadingZeros(container) + 1;
        return this;
    }

    /** Bits not yet read (negative after reading past the start). */
    long position() {
        return (long) (ptr - start) * 8 + 64 - consumed;
    }

    /** Moves the container back over the consumed whole bytes, as far as the stream start allows. */
    void reload() {
        if (consumed > 64) {
            return;
        }
        if (ptr >= start + 8) {
            ptr -= consumed >>> 3;
            consumed &= 7;
        } else if (ptr == start) {
            return;
        } else {
            int n = Math.min(consumed >>> 3, ptr - start);
            ptr -= n;
            consumed -= n * 8;
        }
        container = (long) LE_LONG.get(buf, ptr);
    }

    /** The next {@code n} (0..56) bits without consuming them; bits past the start read as zero. */
    long peek(int n) {
        if (consumed + n > 64) {
            reload();
        }
        if (consumed >= 64) {
            return 0;
        }
        return ((container << consumed) >>> 1) >>> (63 - n);
    }

    /** Reads the next {@code n} (0..56) bits. */
    long read(int n) {
        long v = peek(n);
        consumed += n;
        return v;
    }
}
