package org.kdump4j.diskdump;

import java.io.IOException;

/**
 * A compressed block could not be decoded: the input is malformed, truncated, or would decode to more
 * (or fewer) bytes than the block may hold. Every decoder in this package reports failures this way;
 * none of them reads or writes outside the buffers it was given.
 */
public final class DecompressionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Compression compression;
    private final long inputPosition;

    /**
     * Creates the exception.
     *
     * @param compression the codec that failed
     * @param inputPosition the position in the compressed input where the problem was found
     * @param problem what is wrong
     */
    public DecompressionException(Compression compression, long inputPosition, String problem) {
        this(compression, inputPosition, problem, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param compression the codec that failed
     * @param inputPosition the position in the compressed input where the problem was found
     * @param problem what is wrong
     * @param cause the underlying failure, or {@code null}
     */
    public DecompressionException(Compression compression, long inputPosition, String problem, Throwable cause) {
        super(compression.displayName() + " data corrupt at input byte " + inputPosition + ": " + problem, cause);
        this.compression = compression;
        this.inputPosition = inputPosition;
    }

    /** The codec that failed. */
    public Compression compression() {
        return compression;
    }

    /** The position in the compressed input where the problem was found. */
    public long inputPosition() {
        return inputPosition;
    }
}
