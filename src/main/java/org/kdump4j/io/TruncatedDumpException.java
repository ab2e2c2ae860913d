package org.kdump4j.io;

/**
 * A read needed bytes past the end of the source: the file is truncated, or a header field points
 * outside it.
 */
public final class TruncatedDumpException extends DumpFormatException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final long sourceSize;

    /**
     * Creates the exception.
     *
     * @param source the name of the source
     * @param offset where the read started
     * @param length how many bytes were needed
     * @param sourceSize the size of the source
     */
    public TruncatedDumpException(String source, long offset, long length, long sourceSize) {
        this(source, offset, length, sourceSize, "data");
    }

    /**
     * Creates the exception naming what was being read.
     *
     * @param source the name of the source
     * @param offset where the read started
     * @param length how many bytes were needed
     * @param sourceSize the size of the source
     * @param what what lies there, e.g. {@code "program header table"}
     */
    public TruncatedDumpException(String source, long offset, long length, long sourceSize, String what) {
        super(source, offset, "truncated: " + what + " needs 0x" + Long.toHexString(length) + " bytes at 0x"
                + Long.toHexString(offset) + " but the source ends at 0x" + Long.toHexString(sourceSize));
        this.length = length;
        this.sourceSize = sourceSize;
    }

    /** How many bytes the failed read needed. */
    public long length() {
        return length;
    }

    /** The size of the source at the time of the read. */
    public long sourceSize() {
        return sourceSize;
    }
}
