package org.kdump4j.diskdump;

/**
 * LZO1X decoder written from the public description of the stream format (the instruction table of
 * the Linux kernel's {@code Documentation/staging/lzo.rst}): a sequence of literal runs and matches
 * where the two low bits of each match's last operand byte ("state") say how many literals follow.
 *
 * <p>Safe-decoder semantics: every literal copy and match is checked against the input, the output
 * capacity and the bytes produced so far; the stream must end with the end-of-stream match and no
 * input may follow it.
 */
final class Lzo1xDecoder {
    private Lzo1xDecoder() {
    }

    static int decompress(byte[] in, int inOffset, int inLength, byte[] out, int outOffset, int capacity)
            throws DecompressionException {
        int ip = inOffset;
        final int inEnd = inOffset + inLength;
        int op = outOffset;
        final int opEnd = outOffset + capacity;
        if (inLength < 3) {
            throw error(0, "stream of " + inLength + " bytes is shorter than the end marker");
        }
        int state = 0;
        int first = in[ip] & 0xff;
        if (first > 17) {
            ip++;
            int t = first - 17;
            if (t > inEnd - ip || t > opEnd - op) {
                throw error(ip - inOffset, "initial literal run of " + t + " bytes overruns the input or output");
            }
            System.arraycopy(in, ip, out, op, t);
            ip += t;
            op += t;
            state = t < 4 ? t : 4;
        }
        while (true) {
            if (ip >= inEnd) {
                throw error(ip - inOffset, "input ends without the end-of-stream marker");
            }
            int inst = in[ip++] & 0xff;
            int length;
            int distance;
            int next;
            if (inst < 16) {
                if (state == 0) {
                    // 0000LLLL: a literal run of 3 + L bytes (L == 0: 18 + extension)
                    int l = inst;
                    if (l == 0) {
                        long ext = 0;
                        while (true) {
                            if (ip >= inEnd) {
                                throw error(ip - inOffset, "input ends inside a length extension");
                            }
                            int b = in[ip++] & 0xff;
                            if (b != 0) {
                                ext += b;
                                break;
                            }
                            ext += 255;
                            if (ext > capacity) {
                                throw error(ip - inOffset, "length extension exceeds the output capacity");
                            }
                        }
                        l = (int) Math.min(15 + ext, Integer.MAX_VALUE - 8);
                    }
                    int run = l + 3;
                    if (run > inEnd - ip) {
                        throw error(ip - inOffset, "literal run of " + run + " bytes overruns the input");
                    }
                    if (run > opEnd - op) {
                        throw error(ip - inOffset, "literal run of " + run + " bytes overruns the output capacity of "
                                + capacity);
                    }
                    System.arraycopy(in, ip, out, op, run);
                    ip += run;
                    op += run;
                    state = 4;
                    continue;
                }
                if (ip >= inEnd) {
                    throw error(ip - inOffset, "input ends inside a match");
                }
                int h = in[ip++] & 0xff;
                if (state < 4) {
                    // 0000DDSS after 1..3 literals: 2 bytes from distance (H << 2) + D + 1
                    length = 2;
                    distance = (h << 2) + ((inst >> 2) & 3) + 1;
                } else {
                    // 0000DDSS after a literal run: 3 bytes from distance (H << 2) + D + 2049
                    length = 3;
                    distance = (h << 2) + ((inst >> 2) & 3) + 2049;
                }
                next = inst & 3;
            } else if (inst < 64) {
                int l;
                if (inst < 32) {
                    l = inst & 7;
                    if (l == 0) {
                        l = 7 + extension(in, ip, inEnd, inOffset, capacity);
                        ip = skipExtension(in, ip);
                    }
                } else {
                    l = inst & 31;
                    if (l == 0) {
                        l = 31 + extension(in, ip, inEnd, inOffset, capacity);
                        ip = skipExtension(in, ip);
                    }
                }
                length = 2 + l;
                if (inEnd - ip < 2) {
                    throw error(ip - inOffset, "input ends inside a match distance");
                }
                int le16 = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
                ip += 2;
                next = le16 & 3;
                if (inst < 32) {
                    // 0001HLLL: distance 16384 + (H << 14) + D; exactly 16384 ends the stream
                    distance = 16384 + ((inst & 8) << 11) + (le16 >>> 2);
                    if (distance == 16384) {
                        if (ip != inEnd) {
                            throw error(ip - inOffset, (inEnd - ip) + " bytes follow the end-of-stream marker");
                        }
                        return op - outOffset;
                    }
                } else {
                    // 001LLLLL: distance D + 1
                    distance = (le16 >>> 2) + 1;
                }
            } else {
                if (ip >= inEnd) {
                    throw error(ip - inOffset, "input ends inside a match");
                }
                int h = in[ip++] & 0xff;
                // 01LDDDSS: 3 + L bytes; 1LLDDDSS: 5 + LL bytes; distance (H << 3) + D + 1
                length = inst < 128 ? 3 + ((inst >> 5) & 1) : 5 + ((inst >> 5) & 3);
                distance = (h << 3) + ((inst >> 2) & 7) + 1;
                next = inst & 3;
            }
            if (distance > op - outOffset) {
                throw error(ip - inOffset, "match distance " + distance + " reaches before the start of the output ("
                        + (op - outOffset) + " bytes produced)");
            }
            if (length > opEnd - op) {
                throw error(ip - inOffset, "match of " + length + " bytes overruns the output capacity of "
                        + capacity);
            }
            Copies.match(out, op, distance, length);
            op += length;
            if (next > 0) {
                if (next > inEnd - ip || next > opEnd - op) {
                    throw error(ip - inOffset, "trailing literals overrun the input or output");
                }
                for (int k = 0; k < next; k++) {
                    out[op++] = in[ip++];
                }
            }
            state = next;
        }
    }

    /** The value of a length extension starting at {@code ip}: 255 per zero byte plus the first non-zero byte. */
    private static int extension(byte[] in, int ip, int inEnd, int inOffset, int capacity)
            throws DecompressionException {
        long ext = 0;
        while (true) {
            if (ip >= inEnd) {
                throw error(ip - inOffset, "input ends inside a length extension");
            }
            int b = in[ip++] & 0xff;
            if (b != 0) {
                return (int) (ext + b);
            }
            ext += 255;
            if (ext > capacity) {
                throw error(ip - inOffset, "length extension exceeds the output capacity");
            }
        }
    }

    /** The position after a length extension already validated by {@link #extension}. */
    private static int skipExtension(byte[] in, int ip) {
        while (in[ip] == 0) {
            ip++;
        }
        return ip + 1;
    }

    private static DecompressionException error(long position, String problem) {
        return new DecompressionException(Compression.LZO, position, problem);
    }
}
