package org.kdump4j.kexec;

import java.util.Objects;

/**
 * The outcome of a side-effect-free probe of one kexec system call: a call with a flag bit no kernel
 * defines, which the kernel rejects before it takes the kexec lock or touches any image.
 *
 * <p>Probes: {@code kexec_file_load(-1, -1, 0, NULL, 0x80000000)} and
 * {@code kexec_load(0, 17, NULL, 0x8000)} (an undefined flag bit and, as a second guard, more than
 * 16 segments). {@code EINVAL} means the call exists and this process may use it; {@code EPERM} or
 * {@code EACCES} that it may not; {@code ENOSYS} that the kernel lacks it.
 *
 * @param syscall {@code kexec_file_load} or {@code kexec_load}
 * @param errno what the probe returned ({@link Errno#NONE} if it unexpectedly succeeded)
 */
public record KexecProbe(String syscall, Errno errno) {

    /** What a probe result means. */
    public enum Outcome {
        /** EINVAL: the call exists and the process passed the permission checks. */
        USABLE,
        /** EPERM or EACCES: the call exists but is not permitted (capability, sysctl, lockdown, seccomp). */
        NOT_PERMITTED,
        /** ENOSYS: the kernel has no such call. */
        ABSENT,
        /** Anything else. */
        UNEXPECTED
    }

    /** Checks for nulls. */
    public KexecProbe {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(errno, "errno");
    }

    /** The meaning of the result. */
    public Outcome outcome() {
        return switch (errno.value()) {
            case 22 -> Outcome.USABLE;
            case 1, 13 -> Outcome.NOT_PERMITTED;
            case 38 -> Outcome.ABSENT;
            default -> Outcome.UNEXPECTED;
        };
    }

    /** One line for a person, e.g. {@code kexec_file_load: usable (probe: EINVAL (22))}. */
    public String describe() {
        String what = switch (outcome()) {
            case USABLE -> "usable";
            case NOT_PERMITTED -> "not permitted: " + errno.explanation(syscall);
            case ABSENT -> "absent: " + errno.explanation(syscall);
            case UNEXPECTED -> "unexpected probe result";
        };
        return syscall + ": " + what + " (probe: " + errno + ")";
    }
}
