package org.kdump4j.boot;

import java.util.Locale;
import java.util.Objects;

/**
 * The CPU architectures whose crash-kernel reservation rules kdump4j models, because the same
 * {@code crashkernel=} text reserves differently aligned (or no) memory on each.
 *
 * <p>"Generic" architectures use the kernel's common reservation code
 * ({@code CONFIG_ARCH_HAS_GENERIC_CRASHKERNEL_RESERVATION}) and therefore read the {@code ,high},
 * {@code ,low} and {@code ,cma} forms; the others read only the plain form.
 */
public enum Arch {
    /** 64-bit x86: 16 MiB alignment, low area below 4 GiB, 256 MiB default low reservation. */
    X86_64("x86_64", true, 16 * MemorySize.MIB, 4 * MemorySize.GIB, 256 * MemorySize.MIB),
    /** 32-bit x86: 16 MiB alignment, everything below 512 MiB, no default low reservation. */
    X86("i386", true, 16 * MemorySize.MIB, 512 * MemorySize.MIB, 0),
    /** 64-bit Arm: 2 MiB alignment, low area below the DMA limit (4 GiB on most machines), 128 MiB default low. */
    ARM64("arm64", true, 2 * MemorySize.MIB, 4 * MemorySize.GIB, 128 * MemorySize.MIB),
    /** 64-bit RISC-V: 2 MiB (PMD) alignment, low area below 4 GiB, 128 MiB default low. */
    RISCV64("riscv64", true, 2 * MemorySize.MIB, 4 * MemorySize.GIB, 128 * MemorySize.MIB),
    /** LoongArch: 2 MiB alignment, low area below 4 GiB, 128 MiB default low. */
    LOONGARCH64("loongarch64", true, 2 * MemorySize.MIB, 4 * MemorySize.GIB, 128 * MemorySize.MIB),
    /** 64-bit PowerPC: plain form only; base and size are rounded up to the (64 KiB) page size. */
    PPC64("ppc64", false, 64 * MemorySize.KIB, 0, 0),
    /** IBM Z: plain form only; placement is chosen by the architecture code and not modelled here. */
    S390X("s390x", false, 0, 0, 0),
    /** Itanium (removed in Linux 6.7): plain form only, 64 MiB alignment. */
    IA64("ia64", false, 64 * MemorySize.MIB, 0, 0);

    private final String kernelName;
    private final boolean generic;
    private final long crashAlign;
    private final long lowMax;
    private final long defaultLowSize;

    Arch(String kernelName, boolean generic, long crashAlign, long lowMax, long defaultLowSize) {
        this.kernelName = kernelName;
        this.generic = generic;
        this.crashAlign = crashAlign;
        this.lowMax = lowMax;
        this.defaultLowSize = defaultLowSize;
    }

    /**
     * Finds an architecture by the names people and tools use ({@code uname -m} and kernel
     * {@code ARCH=} spellings: {@code x86_64}, {@code amd64}, {@code i686}, {@code aarch64},
     * {@code ppc64le}, ...).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Arch fromName(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64", "x86-64", "x64" -> X86_64;
            case "i386", "i486", "i586", "i686", "x86", "x86_32" -> X86;
            case "arm64", "aarch64" -> ARM64;
            case "riscv64", "riscv" -> RISCV64;
            case "loongarch64", "loongarch" -> LOONGARCH64;
            case "ppc64", "ppc64le", "powerpc64", "powerpc64le", "powerpc", "ppc" -> PPC64;
            case "s390x", "s390" -> S390X;
            case "ia64" -> IA64;
            default -> throw new IllegalArgumentException("unknown architecture '" + name
                    + "' (known: x86_64, i386, arm64, riscv64, loongarch64, ppc64, s390x, ia64)");
        };
    }

    /** The kernel's name for this architecture, e.g. {@code x86_64}, {@code arm64}. */
    public String kernelName() {
        return kernelName;
    }

    /** Whether the kernel uses the generic reservation code here (and so reads {@code ,high}/{@code ,low}/{@code ,cma}). */
    public boolean generic() {
        return generic;
    }

    /**
     * {@code CRASH_ALIGN}: the alignment of the crash region's start (for PowerPC the page size
     * everything is rounded to); 0 when the architecture's placement is not modelled (s390x).
     */
    public long crashAlign() {
        return crashAlign;
    }

    /** {@code CRASH_ADDR_LOW_MAX}: the end of the "low" area (typical value; arm64 uses its DMA limit); 0 if not applicable. */
    public long lowMax() {
        return lowMax;
    }

    /** {@code DEFAULT_CRASH_KERNEL_LOW_SIZE}: the low area reserved with {@code ,high} when no {@code ,low} is given. */
    public long defaultLowSize() {
        return defaultLowSize;
    }

    /** The kernel name. */
    @Override
    public String toString() {
        return kernelName;
    }
}
