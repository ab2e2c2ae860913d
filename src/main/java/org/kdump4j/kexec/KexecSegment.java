package org.kdump4j.kexec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One {@code struct kexec_segment} of the low-level {@code kexec_load} form: bytes to copy to a
 * physical destination, the tail up to {@code memsz} zero-filled by the kernel.
 *
 * @param buffer the bytes ({@code buf}, {@code bufsz} = its remaining bytes); kept as a read-only view
 * @param memory the physical destination address ({@code mem})
 * @param memorySize the destination size ({@code memsz}), at least the buffer size
 */
public record KexecSegment(ByteBuffer buffer, long memory, long memorySize) {

    /** Checks the sizes; keeps a read-only view of the buffer. */
    public KexecSegment {
        Objects.requireNonNull(buffer, "buffer");
        buffer = buffer.asReadOnlyBuffer();
        if (memorySize < 0 || Long.compareUnsigned(buffer.remaining(), memorySize) > 0) {
            throw new IllegalArgumentException("segment at 0x" + Long.toHexString(memory) + ": buffer of "
                    + buffer.remaining() + " bytes is larger than its memory size " + memorySize + " (bufsz > memsz)");
        }
        if (Long.compareUnsigned(memory + memorySize, memory) < 0) {
            throw new IllegalArgumentException("segment at 0x" + Long.toHexString(memory) + " wraps around the address space");
        }
    }

    /** A segment whose memory size is the buffer size. */
    public static KexecSegment of(byte[] bytes, long memory) {
        return new KexecSegment(ByteBuffer.wrap(bytes.clone()), memory, bytes.length);
    }

    /** {@code bufsz}. */
    public long bufferSize() {
        return buffer.remaining();
    }

    /** The exclusive end of the destination, {@code mem + memsz}. */
    public long end() {
        return memory + memorySize;
    }
}
