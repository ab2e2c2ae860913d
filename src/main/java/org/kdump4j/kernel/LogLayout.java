package org.kdump4j.kernel;

import java.nio.ByteOrder;
import java.util.OptionalLong;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * Reads the VMCOREINFO keys the log walkers need, failing with a {@link KernelLogException} that names
 * a missing key, and decodes fields of structures read as bytes with bounds checks.
 */
final class LogLayout {
    /** The largest structure size or member offset believed (the log structures are tens of bytes). */
    static final long MAX_STRUCT = 4096;

    private final String source;
    private final VmcoreInfo info;
    private final ByteOrder order;
    private final int wordSize;

    LogLayout(String source, VmcoreInfo info, ByteOrder order, int wordSize) {
        this.source = source;
        this.info = info;
        this.order = order;
        this.wordSize = wordSize;
    }

    KernelLogException error(String message) {
        return new KernelLogException(source, message, null);
    }

    long symbol(String name) throws KernelLogException {
        return info.symbol(name).orElseThrow(() -> error("VMCOREINFO lacks SYMBOL(" + name + ")"));
    }

    int size(String name) throws KernelLogException {
        return bounded("SIZE(" + name + ")", info.size(name));
    }

    int offset(String name) throws KernelLogException {
        return bounded("OFFSET(" + name + ")", info.offset(name));
    }

    /** An optional offset: -1 when absent or implausible. */
    int optionalOffset(String name) {
        OptionalLong v = info.offset(name);
        return v.isPresent() && v.getAsLong() >= 0 && v.getAsLong() < MAX_STRUCT ? (int) v.getAsLong() : -1;
    }

    /** An optional length: {@code dflt} when absent or implausible. */
    int length(String name, int dflt) {
        OptionalLong v = info.length(name);
        return v.isPresent() && v.getAsLong() > 0 && v.getAsLong() < MAX_STRUCT ? (int) v.getAsLong() : dflt;
    }

    private int bounded(String key, OptionalLong v) throws KernelLogException {
        if (v.isEmpty()) {
            throw error("VMCOREINFO lacks " + key);
        }
        if (v.getAsLong() < 0 || v.getAsLong() >= MAX_STRUCT) {
            throw error("implausible " + key + "=" + v.getAsLong());
        }
        return (int) v.getAsLong();
    }

    /** Fails unless {@code [offset, offset + width)} lies in a structure of {@code size} bytes. */
    void checkField(String what, int offset, int width, int size) throws KernelLogException {
        if (offset < 0 || offset + width > size) {
            throw error(what + " at offset " + offset + " (" + width + " bytes) lies outside its " + size
                    + "-byte structure");
        }
    }

    int wordSize() {
        return wordSize;
    }

    ByteOrder order() {
        return order;
    }

    long word(byte[] b, int offset) {
        return wordSize == 4 ? u32(b, offset) : u64(b, offset);
    }

    // Assembled by hand rather than through a ByteBuffer view: these run for every log record, mostly
    // in the interpreter right after JVM start, where a buffer allocation per field costs more than the
    // shifts.
    long u64(byte[] b, int offset) {
        return unsigned(b, offset, 8);
    }

    long u32(byte[] b, int offset) {
        return unsigned(b, offset, 4);
    }

    /** The {@code width}-byte unsigned integer at {@code offset} in the dump's byte order. */
    private long unsigned(byte[] b, int offset, int width) {
        java.util.Objects.checkFromIndexSize(offset, width, b.length);
        long v = 0;
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < width; i++) {
            v = v << 8 | (b[offset + (little ? width - 1 - i : i)] & 0xffL);
        }
        return v;
    }

    int u16(byte[] b, int offset) {
        java.util.Objects.checkFromIndexSize(offset, 2, b.length);
        return order == ByteOrder.LITTLE_ENDIAN ? (b[offset] & 0xff) | (b[offset + 1] & 0xff) << 8
                : (b[offset] & 0xff) << 8 | (b[offset + 1] & 0xff);
    }

    /**
     * Splits the byte holding {@code u8 flags:5, level:3}: GCC fills bit-fields from the least significant
     * bit on little-endian machines and from the most significant on big-endian ones.
     *
     * @return {@code {level, flags}}
     */
    int[] levelAndFlags(int b) {
        return order == ByteOrder.LITTLE_ENDIAN ? new int[] {b >>> 5 & 7, b & 0x1f} : new int[] {b & 7, b >>> 3 & 0x1f};
    }

    /** A NUL-terminated string inside {@code b}, or empty when it is empty. */
    static java.util.Optional<String> cString(byte[] b, int offset, int max) {
        int end = offset;
        int limit = Math.min(b.length, offset + max);
        while (end < limit && b[end] != 0) {
            end++;
        }
        return end == offset ? java.util.Optional.empty()
                : java.util.Optional.of(new String(b, offset, end - offset, java.nio.charset.StandardCharsets.UTF_8));
    }
}
