package org.kdump4j.diskdump;

/**
 * Snappy raw-block decoder written from the public format description: a little-endian base-128
 * varint holding the uncompressed length, then elements whose tag byte's low two bits select a
 * literal (00) or a copy with a 1-, 2- or 4-byte offset (01, 10, 11).
 *
 * <p>Every element is checked against the input, the declared length and the bytes produced so far;
 * the declared length must not exceed the capacity and must be reached exactly.
 */
final class SnappyDecoder {
    private SnappyDecoder() {
    }

    static int decompress(byte[] in, int inOffset, int inLength, byte[] out, int outOffset, int capacity)
            throws DecompressionException {
        int ip = inOffset;
        final int inEnd = inOffset + inLength;
        long declared = 0;
        for (int shift = 0;; shift += 7) {
            if (ip >= inEnd) {
                throw error(ip - inOffset, "input ends inside the length preamble");
            }
            if (shift > 28) {
                throw error(ip - inOffset, "length preamble longer than 5 bytes");
            }
            int b = in[ip++] & 0xff;
            declared |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
        }
        if (declared > capacity) {
            throw error(0, "declared length " + declared + " exceeds the capacity of " + capacity);
        }
        final int opEnd = outOffset + (int) declared;
        int op = outOffset;
        while (ip < inEnd) {
            int tag = in[ip++] & 0xff;
            int length;
            int offset;
            switch (tag & 3) {
                case 0 -> {
                    long len = (tag >>> 2) + 1;
                    if (len > 60) {
                        int bytes = (int) len - 60;
                        if (bytes > inEnd - ip) {
                            throw error(ip - inOffset, "input ends inside a literal length");
                        }
                        long v = 0;
                        for (int k = 0; k < bytes; k++) {
                            v |= (long) (in[ip++] & 0xff) << (8 * k);
                        }
                        len = v + 1;
                    }
                    if (len > inEnd - ip) {
                        throw error(ip - inOffset, "literal of " + len + " bytes overruns the input");
                    }
                    if (len > opEnd - op) {
                        throw error(ip - inOffset, "literal of " + len + " bytes overruns the declared length");
                    }
                    System.arraycopy(in, ip, out, op, (int) len);
                    ip += (int) len;
                    op += (int) len;
                    continue;
                }
                case 1 -> {
                    if (ip >= inEnd) {
                        throw error(ip - inOffset, "input ends inside a copy");
                    }
                    length = 4 + ((tag >>> 2) & 7);
                    offset = (tag >>> 5) << 8 | (in[ip++] & 0xff);
                }
                case 2 -> {
                    if (inEnd - ip < 2) {
                        throw error(ip - inOffset, "input ends inside a copy");
                    }
                    length = (tag >>> 2) + 1;
                    offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
                    ip += 2;
                }
                default -> {
                    if (inEnd - ip < 4) {
                        throw error(ip - inOffset, "input ends inside a copy");
                    }
                    length = (tag >>> 2) + 1;
                    offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8 | (in[ip + 2] & 0xff) << 16
                            | (in[ip + 3] & 0xff) << 24;
                    ip += 4;
                }
            }
            if (offset <= 0 || offset > op - outOffset) {
                throw error(ip - inOffset, "copy offset " + Integer.toUnsignedString(offset)
                        + " is 0 or reaches before the start of the output (" + (op - outOffset) + " bytes produced)");
            }
            if (length > opEnd - op) {
                throw error(ip - inOffset, "copy of " + length + " bytes overruns the declared length");
            }
            Copies.match(out, op, offset, length);
            op += length;
        }
        if (op != opEnd) {
            throw error(ip - inOffset, "input ends after " + (op - outOffset) + " of " + declared + " declared bytes");
        }
        return op - outOffset;
    }

    private static DecompressionException error(long position, String problem) {
        return new DecompressionException(Compression.SNAPPY, position, problem);
    }
}
