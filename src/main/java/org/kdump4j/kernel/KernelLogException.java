package org.kdump4j.kernel;

import java.io.IOException;

/**
 * The kernel log cannot be read: VMCOREINFO lacks a key the log format needs, or the log's control
 * structures are implausible (a corrupt size, count or pointer).
 */
public final class KernelLogException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param source the dump's name
     * @param message what is wrong
     * @param cause the underlying failure, or null
     */
    public KernelLogException(String source, String message, Throwable cause) {
        super(source + ": kernel log: " + message, cause);
    }
}
