package org.kdump4j.boot;

import java.util.Objects;

/**
 * Says why the kernel would reject a {@code crashkernel=} setting and reserve nothing: the typed
 * {@link #problem()}, the reason in words and the character position, as the kernel's log line
 * would (and more precisely).
 */
public final class CrashKernelException extends BootParseException {
    private static final long serialVersionUID = 1L;

    private final CrashKernelProblem problem;

    /**
     * Creates the exception.
     *
     * @param problem the kernel rule that failed
     * @param subject the offending token, e.g. {@code crashkernel=256MB}
     * @param reason the reason in words
     * @param position 0-based index in the parsed text
     */
    public CrashKernelException(CrashKernelProblem problem, String subject, String reason, int position) {
        super(subject, reason, position);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The kernel rule that failed. */
    public CrashKernelProblem problem() {
        return problem;
    }
}
