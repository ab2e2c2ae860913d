package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * crashkernel= on arbitrary text: only a value or a {@link CrashKernelException} (never another
 * exception), linear work, and the canonical form of a spec behaves exactly like the original text.
 */
class CrashKernelFuzz {
    static final long[] RAMS = {0, 1, 384L << 20, 400L << 20, 2047L << 20, 2L << 30, 8L << 30, 64L << 30, Long.MAX_VALUE};
    static final CrashKernelRules[] RULES = {
        CrashKernelRules.mainline(),
        new CrashKernelRules(Arch.X86_64, new KernelVersion(5, 16)),
        new CrashKernelRules(Arch.X86_64, new KernelVersion(6, 1)),
        new CrashKernelRules(Arch.X86_64, new KernelVersion(3, 8)),
        CrashKernelRules.mainline(Arch.ARM64),
        CrashKernelRules.mainline(Arch.PPC64),
        CrashKernelRules.mainline(Arch.S390X),
        CrashKernelRules.mainline(Arch.IA64),
        CrashKernelRules.mainline(Arch.X86),
    };

    @FuzzTest
    void commandLineGivesValueOrTypedErrorInLinearTime(byte[] data) {
        String line = FuzzSupport.latin1(data);
        for (CrashKernelRules rules : RULES) {
            for (long ram : RAMS) {
                CountingChars counted = new CountingChars(line);
                try {
                    Optional<CrashKernelPlan> plan = CrashKernel.ofChars(counted).plan(ram, rules);
                    plan.ifPresent(p -> {
                        assertTrue(!p.succeeds() || Long.compareUnsigned(p.request().size(), ram) < 0);
                        p.describe();
                    });
                } catch (CrashKernelException e) {
                    assertTrue(e.position() <= line.length(), e::getMessage);
                    assertTrue(e.getMessage().length() < 400, e::getMessage);
                }
                FuzzSupport.assertLinear(counted, 40, 400);
            }
        }
    }

    @FuzzTest
    void canonicalSpecRoundTripsAndEvaluatesLikeTheOriginal(byte[] data) {
        String value = FuzzSupport.latin1(data).replace(' ', '_').replace('\0', '_');
        CountingChars counted = new CountingChars(value);
        CrashKernelSpec spec;
        try {
            spec = CrashKernelSpecParser.parse(counted);
        } catch (CrashKernelException e) {
            assertTrue(e.position() <= value.length(), e::getMessage);
            return;
        } finally {
            FuzzSupport.assertLinear(counted, 10, 200);
        }
        String canonical = spec.format();
        try {
            assertEquals(spec, CrashKernelSpec.parse(canonical), canonical);
        } catch (CrashKernelException e) {
            throw new AssertionError("canonical form " + canonical + " of " + value + " does not parse", e);
        }
        for (CrashKernelRules rules : RULES) {
            for (long ram : RAMS) {
                assertEquals(outcome(CrashKernel.ofValue(value), ram, rules), outcome(CrashKernel.ofValue(canonical), ram, rules),
                        () -> value + " vs " + canonical + " on " + ram + ", " + rules);
            }
        }
    }

    /** The value, or the problem kind (positions differ between the two texts by design). */
    private static Object outcome(CrashKernel ck, long ram, CrashKernelRules rules) {
        try {
            return ck.parse(ram, rules);
        } catch (CrashKernelException e) {
            return e.problem();
        }
    }
}
