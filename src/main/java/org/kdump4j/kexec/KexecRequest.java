package org.kdump4j.kexec;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code kexec_file_load} request: the kernel image, an optional initrd and the command line, for the
 * crash slot (the normal case, {@link #crash}) or, only when asked for by name, the reboot slot
 * ({@link #forReboot}).
 *
 * <p>The kernel parses and verifies the image itself (and appends {@code elfcorehdr=} for a crash
 * kernel), so no purgatory or segment list is needed. The command line is passed as given; build a
 * capture command line with {@link CaptureCommandLine}.
 *
 * @param target which image slot to fill
 * @param kernel the kernel image (bzImage on x86_64, Image on arm64, ...)
 * @param initrd the initramfs, if any ({@code KEXEC_FILE_NO_INITRAMFS} otherwise)
 * @param commandLine the new kernel's command line; empty passes none
 * @param debug whether to ask the kernel to log the load ({@code KEXEC_FILE_DEBUG}, Linux 6.8+)
 */
public record KexecRequest(KexecTarget target, Path kernel, Optional<Path> initrd, String commandLine, boolean debug) {

    /** Checks for nulls and NUL characters (the kernel reads a C string). */
    public KexecRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(commandLine, "commandLine");
        if (commandLine.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the command line contains a NUL character");
        }
    }

    /** A request to load {@code kernel} as the crash (dump-capture) kernel, with no initrd and no command line. */
    public static KexecRequest crash(Path kernel) {
        return new KexecRequest(KexecTarget.CRASH, kernel, Optional.empty(), "", false);
    }

    /**
     * A request to load {@code kernel} for a later kexec reboot: the explicit, non-crash form. Loading
     * it reboots nothing; it replaces what a later {@code kexec -e} or {@code reboot} would start.
     */
    public static KexecRequest forReboot(Path kernel) {
        return new KexecRequest(KexecTarget.REBOOT, kernel, Optional.empty(), "", false);
    }

    /** This request with an initrd. */
    public KexecRequest withInitrd(Path file) {
        return new KexecRequest(target, kernel, Optional.of(file), commandLine, debug);
    }

    /** This request with a command line. */
    public KexecRequest withCommandLine(String text) {
        return new KexecRequest(target, kernel, initrd, text, debug);
    }

    /** This request with the {@code KEXEC_FILE_DEBUG} flag set or cleared. */
    public KexecRequest withDebug(boolean on) {
        return new KexecRequest(target, kernel, initrd, commandLine, on);
    }

    /** The {@code kexec_file_load} flags this request passes. */
    public long fileLoadFlags() {
        long flags = 0;
        if (target == KexecTarget.CRASH) {
            flags |= KexecAbi.KEXEC_FILE_ON_CRASH;
        }
        if (initrd.isEmpty()) {
            flags |= KexecAbi.KEXEC_FILE_NO_INITRAMFS;
        }
        if (debug) {
            flags |= KexecAbi.KEXEC_FILE_DEBUG;
        }
        return flags;
    }

    /**
     * The {@code cmdline_len} argument: the UTF-8 length including the terminating NUL, or 0 for an
     * empty command line.
     */
    public long commandLineLength() {
        return commandLine.isEmpty() ? 0 : commandLine.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
    }
}
