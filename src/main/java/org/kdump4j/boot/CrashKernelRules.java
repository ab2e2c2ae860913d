package org.kdump4j.boot;

import java.util.Objects;

/**
 * Which {@code crashkernel=} behaviour applies for an architecture and kernel release, so one parser
 * can answer for the machine at hand rather than only for the newest kernel.
 *
 * @param arch the architecture
 * @param version the kernel release
 */
public record CrashKernelRules(Arch arch, KernelVersion version) {

    /** Checks for null. */
    public CrashKernelRules {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(version, "version");
    }

    /** Current mainline behaviour on x86_64. */
    public static CrashKernelRules mainline() {
        return new CrashKernelRules(Arch.X86_64, KernelVersion.MAINLINE);
    }

    /** Current mainline behaviour on {@code arch}. */
    public static CrashKernelRules mainline(Arch arch) {
        return new CrashKernelRules(arch, KernelVersion.MAINLINE);
    }

    /** Whether the RAM size compared with range entries is first rounded up to 128 MiB (Linux 5.17 and later). */
    public boolean roundsRamTo128MiB() {
        return version.atLeast(5, 17);
    }

    /**
     * Whether {@code crashkernel=X,high} and {@code crashkernel=Y,low} are read: generic architectures
     * only, x86 since 3.9, arm64 since 5.19, RISC-V and LoongArch since their move to the generic
     * code (6.7).
     */
    public boolean readsHighLow() {
        return switch (arch) {
            case X86_64, X86 -> version.atLeast(3, 9);
            case ARM64 -> version.atLeast(5, 19);
            case RISCV64, LOONGARCH64 -> version.atLeast(6, 7);
            case PPC64, S390X, IA64 -> false;
        };
    }

    /**
     * Whether tokens ending in {@code ,high} or {@code ,low} are kept out of the plain class (the
     * kernel's suffix table, Linux 3.9 and later, on every architecture: on ppc64 such a token is
     * therefore neither plain nor read).
     */
    public boolean plainSkipsHighLow() {
        return version.atLeast(3, 9);
    }

    /** Whether tokens ending in {@code ,cma} are kept out of the plain class (Linux 6.17 and later, every architecture). */
    public boolean plainSkipsCma() {
        return version.atLeast(6, 17);
    }

    /**
     * Whether {@code ,cma} is a suffix class (Linux 6.17 and later, generic architectures). Before that
     * a {@code crashkernel=X,cma} token counts as a <em>plain</em> token, and being the last plain one
     * it makes the parse fail at the comma.
     */
    public boolean readsCma() {
        return arch.generic() && version.atLeast(6, 17);
    }

    /**
     * Whether x86's own reservation code before the generic one (Linux 6.6) applies: a failing or
     * zero plain setting falls back to {@code ,high}, a malformed {@code ,low} means the default low
     * size, and only range entries are checked against the RAM size.
     */
    public boolean legacyX86Reservation() {
        return (arch == Arch.X86_64 || arch == Arch.X86) && !version.atLeast(6, 6);
    }

    /**
     * The alignment a fixed base ({@code @offset}) must have: {@code CRASH_ALIGN} on the generic
     * code; 1 MiB on x86 before the generic code (Linux 6.6); 0 when not modelled.
     */
    public long fixedBaseAlignment() {
        if ((arch == Arch.X86_64 || arch == Arch.X86) && !version.atLeast(6, 6)) {
            return MemorySize.MIB;
        }
        return arch.crashAlign();
    }

    /** {@code arch kernel X.Y}. */
    @Override
    public String toString() {
        return arch + ", Linux " + version + " rules";
    }
}
