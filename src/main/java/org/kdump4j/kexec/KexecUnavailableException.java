package org.kdump4j.kexec;

/**
 * No kexec loader can work in this process, and why (not Linux, an architecture without a syscall
 * table here, or no native access with the exact {@code --enable-native-access} flag to pass).
 */
public class KexecUnavailableException extends KexecException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param syscall the call that was asked for
     * @param reason why no loader can make it
     */
    public KexecUnavailableException(String syscall, String reason) {
        super(syscall, Errno.NONE, "no kexec loader is available: " + reason, true);
        this.reason = reason;
    }

    /** Why no loader is available. */
    public String reason() {
        return reason;
    }
}
