package org.kdump4j.kexec;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The kexec system-call numbers and the {@code kexec_load} architecture flag of each 64-bit Linux ABI
 * kdump4j supports, because neither call has a libc wrapper and {@code syscall(2)} needs the number.
 *
 * <p>Numbers from the kernel's syscall tables ({@code arch/x86/entry/syscalls/syscall_64.tbl},
 * {@code include/uapi/asm-generic/unistd.h}, {@code arch/powerpc/kernel/syscalls/syscall.tbl},
 * {@code arch/s390/kernel/syscalls/syscall.tbl}); the architecture flag is the ELF {@code e_machine}
 * shifted left by 16 ({@code KEXEC_ARCH_*}).
 */
public enum KexecAbi {
    /** x86_64: kexec_load 246, kexec_file_load 320, {@code KEXEC_ARCH_X86_64} (62 &lt;&lt; 16). */
    X86_64("x86_64", 246, 320, 62, 4096),
    /** aarch64 (asm-generic): 104, 294, {@code KEXEC_ARCH_AARCH64} (183 &lt;&lt; 16). */
    AARCH64("aarch64", 104, 294, 183, 4096),
    /** riscv64 (asm-generic): 104, 294, {@code KEXEC_ARCH_RISCV} (243 &lt;&lt; 16). */
    RISCV64("riscv64", 104, 294, 243, 4096),
    /** ppc64 and ppc64le: 268, 382, {@code KEXEC_ARCH_PPC64} (21 &lt;&lt; 16); 64 KiB pages are common. */
    PPC64("ppc64", 268, 382, 21, 65536),
    /** s390x: 277, 381, {@code KEXEC_ARCH_S390} (22 &lt;&lt; 16). */
    S390X("s390x", 277, 381, 22, 4096);

    /** {@code KEXEC_ON_CRASH}: load the image as the crash kernel (kexec_load). */
    public static final long KEXEC_ON_CRASH = 0x1;
    /** {@code KEXEC_FILE_UNLOAD}: unload instead of loading (kexec_file_load). */
    public static final long KEXEC_FILE_UNLOAD = 0x1;
    /** {@code KEXEC_FILE_ON_CRASH}: the crash image slot (kexec_file_load). */
    public static final long KEXEC_FILE_ON_CRASH = 0x2;
    /** {@code KEXEC_FILE_NO_INITRAMFS}: no initrd; the initrd fd is ignored (kexec_file_load). */
    public static final long KEXEC_FILE_NO_INITRAMFS = 0x4;
    /** {@code KEXEC_FILE_DEBUG}: log the load to the kernel log (Linux 6.8+; older kernels say EINVAL). */
    public static final long KEXEC_FILE_DEBUG = 0x8;
    /** {@code KEXEC_SEGMENT_MAX}: at most this many segments. */
    public static final int SEGMENT_MAX = 16;

    private final String name;
    private final long kexecLoad;
    private final long kexecFileLoad;
    private final int elfMachine;
    private final long typicalPageSize;

    KexecAbi(String name, long kexecLoad, long kexecFileLoad, int elfMachine, long typicalPageSize) {
        this.name = name;
        this.kexecLoad = kexecLoad;
        this.kexecFileLoad = kexecFileLoad;
        this.elfMachine = elfMachine;
        this.typicalPageSize = typicalPageSize;
    }

    /**
     * The ABI for a Java {@code os.arch} or {@code uname -m} name ({@code amd64}, {@code x86_64},
     * {@code aarch64}, {@code riscv64}, {@code ppc64}, {@code ppc64le}, {@code s390x}); empty for
     * others (32-bit ABIs are not supported).
     */
    public static Optional<KexecAbi> forArch(String arch) {
        Objects.requireNonNull(arch, "arch");
        return Optional.ofNullable(switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            case "riscv64" -> RISCV64;
            case "ppc64", "ppc64le", "powerpc64", "powerpc64le" -> PPC64;
            case "s390x" -> S390X;
            default -> null;
        });
    }

    /** The ABI of this JVM ({@code os.arch}), if supported. */
    public static Optional<KexecAbi> current() {
        return forArch(System.getProperty("os.arch", ""));
    }

    /** The {@code kexec_load} system-call number. */
    public long kexecLoadNumber() {
        return kexecLoad;
    }

    /** The {@code kexec_file_load} system-call number. */
    public long kexecFileLoadNumber() {
        return kexecFileLoad;
    }

    /** {@code KEXEC_ARCH_*}: the architecture field of {@code kexec_load}'s flags ({@code e_machine << 16}). */
    public long archFlag() {
        return (long) elfMachine << 16;
    }

    /** The usual page size, the alignment checked for {@code kexec_load} segments by default. */
    public long typicalPageSize() {
        return typicalPageSize;
    }

    /** The {@code uname -m} style name. */
    @Override
    public String toString() {
        return name;
    }
}
