package org.kdump4j.boot;

import java.util.Objects;
import java.util.Optional;

/**
 * What the kernel's reservation code does with a parsed {@code crashkernel=} value on one
 * architecture, so a caller can ask "what will a machine with N bytes of RAM reserve, and will it
 * work?" before rebooting it.
 *
 * <p>Rules modelled (generic reservation code, Linux 6.6+, plus the per-architecture constants of
 * {@link Arch}): a fixed base is tried once with the {@code CRASH_ALIGN} alignment, so a base that is
 * not a multiple of it always fails ({@code 256M@100M} on x86); without a base the region goes low
 * first; {@code ,high} goes high first and adds the low area. On ppc64 size and base are rounded up
 * to the 64 KiB page and a zero base is chosen by the RMA rule ({@code min(RMA/2, 512 MiB)} on LPAR,
 * 128 MiB otherwise). What cannot be known from the RAM size alone (whether memory at the base is
 * free) is not claimed.
 *
 * @param request what {@code parse_crashkernel()} returned
 * @param rules the architecture and release
 * @param systemRam the RAM size the plan was made for
 * @param placement where the region is looked for
 * @param size bytes of the main region the kernel reserves (after any rounding)
 * @param base the fixed start address, or 0 when the kernel chooses
 * @param alignment the alignment of the region's start, or 0 when not modelled
 * @param lowSize bytes of the extra low region reserved if the main region lands above the low limit
 * @param cmaSize bytes requested with {@code ,cma}
 * @param failure why the reservation fails although the text parses, if it does
 */
public record CrashKernelPlan(CrashKernelValue request, CrashKernelRules rules, long systemRam, Placement placement,
        long size, long base, long alignment, long lowSize, long cmaSize, Optional<String> failure) {

    /** Checks for nulls. */
    public CrashKernelPlan {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(failure, "failure");
    }

    /** Plans the reservation of {@code request} on {@code rules.arch()}. */
    public static CrashKernelPlan of(CrashKernelValue request, long systemRam, CrashKernelRules rules) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(rules, "rules");
        Arch arch = rules.arch();
        long size = request.size();
        long base = request.base();
        switch (arch) {
            case PPC64 -> {
                long page = arch.crashAlign();
                return new CrashKernelPlan(request, rules, systemRam, base == 0 ? Placement.ARCH_CHOOSES : Placement.FIXED,
                        roundUp(size, page), roundUp(base, page), page, 0, 0, Optional.empty());
            }
            case S390X -> {
                return new CrashKernelPlan(request, rules, systemRam, Placement.ARCH_CHOOSES, size, base, 0, 0, 0,
                        Optional.empty());
            }
            default -> {
                // the generic code and ia64
            }
        }
        if (rules.legacyX86Reservation() && Long.compareUnsigned(size, systemRam) >= 0) {
            return new CrashKernelPlan(request, rules, systemRam, base == 0 ? Placement.LOW_FIRST : Placement.FIXED, size, base,
                    base == 0 ? arch.crashAlign() : rules.fixedBaseAlignment(), 0, 0,
                    Optional.of("size " + MemorySize.format(size) + " is not below the RAM size "
                            + MemorySize.format(systemRam) + ": no suitable area is found"));
        }
        if (base != 0) {
            long align = rules.fixedBaseAlignment();
            Optional<String> failure = Optional.empty();
            if (align != 0 && Long.remainderUnsigned(base, align) != 0) {
                failure = Optional.of("base " + MemorySize.format(base) + " is not a multiple of the "
                        + MemorySize.format(align) + " alignment " + arch + " requires, so the reservation fails"
                        + " (\"crashkernel reservation failed - memory is in use\")");
            } else if (Long.compareUnsigned(base + size, base) < 0) {
                failure = Optional.of("base + size wraps past the end of the address space");
            }
            return new CrashKernelPlan(request, rules, systemRam, Placement.FIXED, size, base, align, 0,
                    request.cmaSize(), failure);
        }
        if (!arch.generic()) {
            return new CrashKernelPlan(request, rules, systemRam, Placement.ARCH_CHOOSES, size, 0, arch.crashAlign(), 0, 0,
                    Optional.empty());
        }
        if (request.high()) {
            return new CrashKernelPlan(request, rules, systemRam, Placement.HIGH_FIRST, size, 0, arch.crashAlign(),
                    request.lowSize(), request.cmaSize(), Optional.empty());
        }
        return new CrashKernelPlan(request, rules, systemRam, Placement.LOW_FIRST, size, 0, arch.crashAlign(),
                arch.defaultLowSize(), request.cmaSize(), Optional.empty());
    }

    /** Whether the kernel will actually reserve the region (as far as the RAM size and the text tell). */
    public boolean succeeds() {
        return failure.isEmpty();
    }

    /** One line for people, e.g. {@code 256 MiB, kernel chooses placement below 4 GiB first, aligned to 16 MiB}. */
    public String describe() {
        StringBuilder sb = new StringBuilder(MemorySize.human(size));
        Arch arch = rules.arch();
        switch (placement) {
            case FIXED -> sb.append(" at 0x").append(Long.toHexString(base));
            case LOW_FIRST -> {
                sb.append(", placed by the kernel below ").append(MemorySize.human(arch.lowMax())).append(" first");
                if (lowSize != 0) {
                    sb.append(" (above it plus ").append(MemorySize.human(lowSize)).append(" low if that fails)");
                }
            }
            case HIGH_FIRST -> {
                sb.append(" high (above ").append(MemorySize.human(arch.lowMax())).append(" first)");
                sb.append(lowSize == 0 ? ", no low area" : " + " + MemorySize.human(lowSize) + " low");
            }
            case ARCH_CHOOSES -> sb.append(arch == Arch.PPC64
                    ? ", placed by the kernel at min(RMA/2, 512 MiB) on LPAR, else 128 MiB"
                    : ", placed by the " + arch + " code");
        }
        if (alignment != 0) {
            sb.append(", aligned to ").append(MemorySize.human(alignment));
        }
        if (cmaSize != 0) {
            sb.append(", + ").append(MemorySize.human(cmaSize)).append(" CMA");
        }
        failure.ifPresent(f -> sb.append("; FAILS: ").append(f));
        return sb.toString();
    }

    private static long roundUp(long v, long to) {
        return Long.divideUnsigned(v + to - 1, to) * to;
    }
}
