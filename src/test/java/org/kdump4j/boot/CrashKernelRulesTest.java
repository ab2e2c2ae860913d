package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Release and architecture switches: which kernel rule applies where. */
class CrashKernelRulesTest {

    @Test
    @DisplayName("KernelVersion.parse reads X.Y from uname -r style strings")
    void versionParsing() {
        assertEquals(new KernelVersion(6, 1), KernelVersion.parse("6.1.0-56-amd64"));
        assertEquals(new KernelVersion(5, 14), KernelVersion.parse("5.14.0-427.el9.x86_64"));
        assertEquals(new KernelVersion(6, 17), KernelVersion.parse("6.17"));
        for (String bad : new String[] {"6", "6.", ".1", "x.y", "", "6.1234", "1234.1"}) {
            assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse(bad), bad);
        }
        assertTrue(new KernelVersion(6, 17).atLeast(6, 6));
        assertFalse(new KernelVersion(5, 16).atLeast(5, 17));
    }

    @Test
    @DisplayName("Arch.fromName accepts uname -m and kernel spellings; unknown names are caller mistakes")
    void archNames() {
        assertEquals(Arch.X86_64, Arch.fromName("amd64"));
        assertEquals(Arch.ARM64, Arch.fromName("aarch64"));
        assertEquals(Arch.PPC64, Arch.fromName("ppc64le"));
        assertEquals(Arch.X86, Arch.fromName("i686"));
        assertThrows(IllegalArgumentException.class, () -> Arch.fromName("vax"));
    }

    @Test
    @DisplayName("crash_reserve.h constants: CRASH_ALIGN and DEFAULT_CRASH_KERNEL_LOW_SIZE per arch")
    void archConstants() {
        assertEquals(16L << 20, Arch.X86_64.crashAlign());
        assertEquals(256L << 20, Arch.X86_64.defaultLowSize());
        assertEquals(2L << 20, Arch.ARM64.crashAlign());
        assertEquals(128L << 20, Arch.ARM64.defaultLowSize());
        assertEquals(2L << 20, Arch.RISCV64.crashAlign());
        assertEquals(64L << 20, Arch.IA64.crashAlign());
        assertEquals(512L << 20, Arch.X86.lowMax());
        assertFalse(Arch.PPC64.generic());
    }

    @Test
    @DisplayName("switches: rounding 5.17, ,cma 6.17, ,high/,low by arch, generic reservation 6.6 on x86")
    void switches() {
        CrashKernelRules v516 = new CrashKernelRules(Arch.X86_64, new KernelVersion(5, 16));
        assertFalse(v516.roundsRamTo128MiB());
        assertTrue(v516.legacyX86Reservation());
        assertEquals(1L << 20, v516.fixedBaseAlignment());
        CrashKernelRules main = CrashKernelRules.mainline();
        assertTrue(main.roundsRamTo128MiB() && main.readsCma() && main.readsHighLow() && main.plainSkipsCma());
        assertFalse(main.legacyX86Reservation());
        assertEquals(16L << 20, main.fixedBaseAlignment());
        assertFalse(CrashKernelRules.mainline(Arch.PPC64).readsCma());
        assertTrue(CrashKernelRules.mainline(Arch.PPC64).plainSkipsCma());
        assertFalse(new CrashKernelRules(Arch.RISCV64, new KernelVersion(6, 6)).readsHighLow());
    }
}
