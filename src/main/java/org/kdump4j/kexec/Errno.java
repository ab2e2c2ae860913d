package org.kdump4j.kexec;

import java.util.Map;

/**
 * A Linux {@code errno} value with its symbolic name, because a failed kexec call is only useful to a
 * person when it says which error it was and what that error means for that call.
 *
 * <p>An open constant type: any number round-trips, and the known ones have names. The numbers are
 * those of {@code asm-generic/errno*.h}, which x86_64, aarch64, riscv64, ppc64 and s390x share for
 * every value listed here. {@link #NONE} (0) marks a refusal before any system call was made.
 *
 * @param value the raw {@code errno}
 */
public record Errno(int value) {
    /** No error number: the call was not made (a check before the call refused it). */
    public static final Errno NONE = new Errno(0);
    /** Operation not permitted. */
    public static final Errno EPERM = new Errno(1);
    /** No such file or directory. */
    public static final Errno ENOENT = new Errno(2);
    /** Exec format error. */
    public static final Errno ENOEXEC = new Errno(8);
    /** Bad file descriptor. */
    public static final Errno EBADF = new Errno(9);
    /** Out of memory. */
    public static final Errno ENOMEM = new Errno(12);
    /** Permission denied. */
    public static final Errno EACCES = new Errno(13);
    /** Bad address. */
    public static final Errno EFAULT = new Errno(14);
    /** Device or resource busy. */
    public static final Errno EBUSY = new Errno(16);
    /** Is a directory. */
    public static final Errno EISDIR = new Errno(21);
    /** Invalid argument. */
    public static final Errno EINVAL = new Errno(22);
    /** Text file busy. */
    public static final Errno ETXTBSY = new Errno(26);
    /** File too large. */
    public static final Errno EFBIG = new Errno(27);
    /** Function not implemented. */
    public static final Errno ENOSYS = new Errno(38);
    /** Package not installed (signature: no hash/crypto support). */
    public static final Errno ENOPKG = new Errno(65);
    /** Not a data message (signature: malformed). */
    public static final Errno EBADMSG = new Errno(74);
    /** Accessing a corrupted shared library (signature: bad format). */
    public static final Errno ELIBBAD = new Errno(80);
    /** Message too long (signature). */
    public static final Errno EMSGSIZE = new Errno(90);
    /** Operation not supported. */
    public static final Errno EOPNOTSUPP = new Errno(95);
    /** Cannot assign requested address. */
    public static final Errno EADDRNOTAVAIL = new Errno(99);
    /** Required key not available. */
    public static final Errno ENOKEY = new Errno(126);
    /** Key was rejected by service. */
    public static final Errno EKEYREJECTED = new Errno(129);

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(0, "none"), Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(8, "ENOEXEC"),
            Map.entry(9, "EBADF"), Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"),
            Map.entry(16, "EBUSY"), Map.entry(21, "EISDIR"), Map.entry(22, "EINVAL"), Map.entry(26, "ETXTBSY"),
            Map.entry(27, "EFBIG"), Map.entry(38, "ENOSYS"), Map.entry(65, "ENOPKG"), Map.entry(74, "EBADMSG"),
            Map.entry(80, "ELIBBAD"), Map.entry(90, "EMSGSIZE"), Map.entry(95, "EOPNOTSUPP"),
            Map.entry(99, "EADDRNOTAVAIL"), Map.entry(126, "ENOKEY"), Map.entry(129, "EKEYREJECTED"));

    /** Wraps a raw number (negative values are a programming error). */
    public Errno {
        if (value < 0) {
            throw new IllegalArgumentException("errno cannot be negative: " + value);
        }
    }

    /** The errno for a raw number. */
    public static Errno of(int value) {
        return new Errno(value);
    }

    /** The symbolic name, e.g. {@code EPERM}; {@code errno 200} for a number without one here. */
    public String name() {
        String n = NAMES.get(value);
        return n != null ? n : "errno " + value;
    }

    /** Whether this is one of the errors a failed kernel signature check returns. */
    public boolean isSignatureError() {
        return value == 129 || value == 126 || value == 74 || value == 65 || value == 80 || value == 90;
    }

    /**
     * What this error most likely means for a kexec system call (the kernel's check order, see
     * {@code kernel/kexec.c} and {@code kernel/kexec_file.c}).
     *
     * @param syscall {@code kexec_file_load}, {@code kexec_load} or {@code open}
     */
    public String explanation(String syscall) {
        boolean file = "kexec_file_load".equals(syscall);
        if ("open".equals(syscall)) {
            return switch (value) {
                case 2 -> "the file does not exist";
                case 13 -> "no permission to read the file";
                case 21 -> "the path is a directory";
                default -> "the file cannot be opened";
            };
        }
        if (isSignatureError()) {
            return "the kernel image's signature was rejected (KEXEC_SIG_FORCE, module.sig_enforce or lockdown "
                    + "require a kernel signed by a key the running kernel trusts)";
        }
        return switch (value) {
            case 0 -> "refused before the system call was made";
            case 1 -> "not permitted: the caller lacks CAP_SYS_BOOT in the initial user namespace, or "
                    + "kernel.kexec_load_disabled is 1, or kernel.kexec_load_limit_* is used up, or the kernel is "
                    + "locked down" + (file ? " without a trusted signature" : " (kexec_load is never allowed then: use kexec_file_load)")
                    + ", or a seccomp filter (e.g. a container) blocks the call";
            case 13 -> "an LSM/IMA policy refused the image (under secure boot kexec_load is refused: use kexec_file_load)";
            case 22 -> file
                    ? "invalid argument: a flag this kernel does not know, a kernel file that is empty or not a regular file, "
                            + "a command line without its terminating NUL or too long for the boot protocol, or too many segments"
                    : "invalid argument: unknown flags or architecture, more than 16 segments, overlapping segments, "
                            + "a buffer larger than its memory size, or a segment larger than half of RAM";
            case 99 -> "address not available: no crash kernel memory is reserved (boot with crashkernel=), the reserved "
                    + "region is too small for the kernel and initrd, or a segment or entry point lies outside it or is not "
                    + "page-aligned";
            case 16 -> "busy: another kexec load, unload or crash-hotplug update holds the kexec lock; retry";
            case 8 -> "the kernel image format is not recognised by the running kernel's loader "
                    + "(x86_64 needs a bzImage, arm64 an Image or zboot EFI image)";
            case 9 -> "bad file descriptor: the kernel or initrd file could not be passed to the kernel";
            case 27 -> "the kernel or initrd file is too large (over 4 GiB)";
            case 26 -> "the kernel or initrd file is open for writing somewhere";
            case 14 -> "bad address: a buffer passed to the kernel is not readable";
            case 12 -> "the kernel ran out of memory while loading the image";
            case 38 -> "the running kernel has no " + (file ? "kexec_file_load (CONFIG_KEXEC_FILE)" : "kexec_load (CONFIG_KEXEC)")
                    + " or this architecture lacks the system call";
            case 95 -> "operation not supported by this kernel";
            default -> "unexpected error";
        };
    }

    /** The name and number, e.g. {@code EPERM (1)}. */
    @Override
    public String toString() {
        return name() + " (" + value + ")";
    }
}
