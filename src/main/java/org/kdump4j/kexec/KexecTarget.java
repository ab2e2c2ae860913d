package org.kdump4j.kexec;

/** Which image slot a load fills: the crash (kdump) kernel, or the kernel a later {@code kexec -e} reboots into. */
public enum KexecTarget {
    /** The dump-capture kernel, started by the kernel itself on panic ({@code KEXEC_ON_CRASH}). */
    CRASH,
    /**
     * The kernel for a later kexec reboot. Loading one has no immediate effect, but it changes what a
     * later reboot does, so requests for it are made only through {@link KexecRequest#forReboot}.
     */
    REBOOT
}
