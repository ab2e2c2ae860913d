package org.kdump4j.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Reads a log buffer of a size taken from memory without trusting the size for the allocation. */
final class LogBuffers {
    private static final int CHUNK = 1 << 16;

    private LogBuffers() {
    }

    /**
     * Reads {@code length} bytes at {@code va} in chunks, so that a corrupt length fails at the first
     * missing page instead of allocating the whole amount up front.
     */
    static byte[] read(AddressSpace space, long va, int length, String what) throws IOException {
        if (length <= CHUNK) {
            return readOrFail(space, va, length, what);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        byte[] chunk = new byte[CHUNK];
        for (long done = 0; done < length; done += CHUNK) {
            int n = (int) Math.min(CHUNK, length - done);
            try {
                space.readVirtual(va + done, chunk, 0, n);
            } catch (TranslationException e) {
                throw new KernelLogException(space.name(), "cannot read " + what + ": " + e.getMessage(), e);
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static byte[] readOrFail(AddressSpace space, long va, int length, String what) throws IOException {
        try {
            return space.readVirtual(va, length);
        } catch (TranslationException e) {
            throw new KernelLogException(space.name(), "cannot read " + what + ": " + e.getMessage(), e);
        }
    }
}
