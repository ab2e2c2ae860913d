package org.kdump4j.boot;

import java.util.Objects;

/**
 * Reports boot-side text (a kernel parameter, {@code /proc/iomem}, a sysfs file) that the kernel would
 * reject or that cannot have come from the kernel, saying what is wrong and where.
 *
 * <p>{@link #position()} is a 0-based character index into the text that was parsed (for a command
 * line: into the whole line). The message shows it 1-based, as editors count columns, e.g.
 * {@code crashkernel=256MB: unrecognized character 'B' at position 17}.
 */
public class BootParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String reason;
    private final int position;

    /**
     * Creates the exception.
     *
     * @param subject what was being parsed, shown first in the message (e.g. the offending token)
     * @param reason what is wrong, without the position
     * @param position 0-based character index of the problem in the parsed text
     */
    public BootParseException(String subject, String reason, int position) {
        super(Objects.requireNonNull(subject, "subject") + ": " + Objects.requireNonNull(reason, "reason")
                + " at position " + (position + 1));
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0: " + position);
        }
        this.subject = subject;
        this.reason = reason;
        this.position = position;
    }

    /** What was being parsed, e.g. {@code crashkernel=256MB} or {@code /proc/iomem line 3}. */
    public String subject() {
        return subject;
    }

    /** What is wrong, without subject or position, e.g. {@code unrecognized character 'B'}. */
    public String reason() {
        return reason;
    }

    /** 0-based character index of the problem in the parsed text. */
    public int position() {
        return position;
    }
}
