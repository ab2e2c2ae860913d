package org.kdump4j.kexec;

import java.io.IOException;
import java.util.Objects;

/**
 * A kexec operation failed, with the system call, its {@code errno} and the likely cause, because
 * "EINVAL" alone does not tell an operator whether to fix the flags, the image or the boot
 * parameters.
 *
 * <p>{@link #beforeCall()} is true when the library refused before calling the kernel (for example a
 * segment outside the crash region, which the kernel would reject only <em>after</em> freeing the
 * crash kernel already loaded); {@link #errno()} is then the error the kernel would have returned, or
 * {@link Errno#NONE}.
 */
public class KexecException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String syscall;
    private final int errno;
    private final boolean beforeCall;

    /**
     * An error returned by a system call.
     *
     * @param syscall the call, e.g. {@code kexec_file_load}
     * @param errno the error it returned
     * @param detail what was being done (file names, flags), or empty
     */
    public KexecException(String syscall, Errno errno, String detail) {
        this(syscall, errno, detail, false);
    }

    /**
     * An error, returned by the kernel or found before the call.
     *
     * @param syscall the call, e.g. {@code kexec_file_load}
     * @param errno the error returned, or the one the kernel would return, or {@link Errno#NONE}
     * @param detail what was being done or what is wrong, or empty
     * @param beforeCall whether the library refused before calling the kernel
     */
    public KexecException(String syscall, Errno errno, String detail, boolean beforeCall) {
        super(message(Objects.requireNonNull(syscall, "syscall"), Objects.requireNonNull(errno, "errno"),
                Objects.requireNonNull(detail, "detail"), beforeCall));
        this.syscall = syscall;
        this.errno = errno.value();
        this.beforeCall = beforeCall;
    }

    private static String message(String syscall, Errno errno, String detail, boolean beforeCall) {
        StringBuilder sb = new StringBuilder(syscall);
        if (beforeCall) {
            sb.append(" refused before the call");
            if (errno.value() != 0) {
                sb.append(" (the kernel would return ").append(errno).append(')');
            }
        } else {
            sb.append(" failed: ").append(errno);
        }
        if (errno.value() != 0) {
            sb.append(": ").append(errno.explanation(syscall));
        }
        if (!detail.isEmpty()) {
            sb.append(" [").append(detail).append(']');
        }
        return sb.toString();
    }

    /** The system call, e.g. {@code kexec_file_load}, {@code kexec_load} or {@code open}. */
    public String syscall() {
        return syscall;
    }

    /** The error number ({@link Errno#NONE} when no call was made and none is predicted). */
    public Errno errno() {
        return Errno.of(errno);
    }

    /** The symbolic error name, e.g. {@code ENOEXEC}. */
    public String errnoName() {
        return errno().name();
    }

    /** The likely cause, from the kernel's check order for this call. */
    public String explanation() {
        return errno().explanation(syscall);
    }

    /** Whether the library refused before calling the kernel. */
    public boolean beforeCall() {
        return beforeCall;
    }
}
