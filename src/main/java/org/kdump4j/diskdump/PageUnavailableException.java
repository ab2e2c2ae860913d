package org.kdump4j.diskdump;

import java.io.IOException;

/**
 * A page of a kdump-compressed file cannot be read, and this says why ({@link #status()}: excluded,
 * lost, outside the dump or corrupt).
 *
 * <p>{@link KdumpMemory}'s {@link org.kdump4j.memory.PhysicalMemory} methods report a missing page as
 * the {@link org.kdump4j.memory.MemoryNotPresentException} that interface promises, with this exception
 * as its cause; {@link #statusOf(Throwable)} finds it.
 */
public final class PageUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long pfn;
    private final PageStatus status;

    /**
     * Creates the exception.
     *
     * @param source the dump's name
     * @param pfn the page frame number
     * @param status why the page cannot be read (never {@link PageStatus#PRESENT})
     * @param detail more about it, or an empty string
     * @param cause the underlying failure (e.g. a {@link DecompressionException}), or {@code null}
     */
    public PageUnavailableException(String source, long pfn, PageStatus status, String detail, Throwable cause) {
        super(source + ": page 0x" + Long.toHexString(pfn) + " is " + status.description()
                + (detail.isEmpty() ? "" : " (" + detail + ")"), cause);
        this.pfn = pfn;
        this.status = status;
    }

    /** The page frame number. */
    public long pfn() {
        return pfn;
    }

    /** Why the page cannot be read. */
    public PageStatus status() {
        return status;
    }

    /**
     * The page status carried by {@code t} or one of its causes.
     *
     * @return the status, or empty when no {@code PageUnavailableException} is in the chain
     */
    public static java.util.Optional<PageStatus> statusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PageUnavailableException p) {
                return java.util.Optional.of(p.status);
            }
        }
        return java.util.Optional.empty();
    }
}
