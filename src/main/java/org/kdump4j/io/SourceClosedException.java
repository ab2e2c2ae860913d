package org.kdump4j.io;

import java.io.IOException;

/** A read on a {@link ByteSource} (or anything built on it) after it was closed. */
public final class SourceClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param source the name of the closed source
     * @param cause the low-level failure that revealed the close, or {@code null}
     */
    public SourceClosedException(String source, Throwable cause) {
        super(source + ": already closed", cause);
    }
}
