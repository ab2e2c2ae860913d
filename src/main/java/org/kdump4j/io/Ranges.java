package org.kdump4j.io;

/** Bounds checks shared by the {@link ByteSource} implementations. */
final class Ranges {
    private Ranges() {
    }

    /** Throws unless {@code [offset, offset+length)} lies within {@code [0, size)}. */
    static void check(String name, long offset, long length, long size) throws TruncatedDumpException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException(name + ": negative offset or length: " + offset + ", " + length);
        }
        if (offset > size || length > size - offset) {
            throw new TruncatedDumpException(name, offset, length, size);
        }
    }
}
