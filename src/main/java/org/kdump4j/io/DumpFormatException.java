package org.kdump4j.io;

import java.io.IOException;

/**
 * A dump file is malformed: thrown by every format reader with the name of the source and the byte
 * offset where the problem was found, so a user can locate it with a hex viewer.
 *
 * <p>The message reads {@code "<source>: <problem> (at offset 0x<offset>)"}.
 */
public class DumpFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param source the name of the file or source (usually its path)
     * @param offset the byte offset in the source where the problem lies
     * @param problem what is wrong, without the source name
     */
    public DumpFormatException(String source, long offset, String problem) {
        this(source, offset, problem, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param source the name of the file or source
     * @param offset the byte offset in the source where the problem lies
     * @param problem what is wrong, without the source name
     * @param cause the underlying failure, or {@code null}
     */
    public DumpFormatException(String source, long offset, String problem, Throwable cause) {
        super(source + ": " + problem + " (at offset 0x" + Long.toHexString(offset) + ")", cause);
        this.source = source;
        this.offset = offset;
        this.problem = problem;
    }

    /** The name of the file or source that is malformed. */
    public String source() {
        return source;
    }

    /** The byte offset in the source where the problem was found. */
    public long offset() {
        return offset;
    }

    /** The problem, without source and offset. */
    public String problem() {
        return problem;
    }
}
