package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kdump4j.boot.CrashKernelTableTest.err;
import static org.kdump4j.boot.CrashKernelTableTest.ok;
import static org.kdump4j.boot.MemorySize.GIB;
import static org.kdump4j.boot.MemorySize.KIB;
import static org.kdump4j.boot.MemorySize.MIB;

import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Edge cases beyond the digest's table, each naming the kernel rule it pins. */
class CrashKernelTest {
    static final CrashKernelRules V6_1 = new CrashKernelRules(Arch.X86_64, new KernelVersion(6, 1));

    @Test
    @DisplayName("no crashkernel= substring: nothing to evaluate (the kernel's -ENOENT)")
    void absentParameterGivesEmpty() throws Exception {
        assertEquals(Optional.empty(), CrashKernel.ofCommandLine("quiet splash").parse(8 * GIB, CrashKernelTableTest.X86_64));
        assertFalse(CrashKernel.ofCommandLine("quiet").isPresent());
    }

    @Test
    @DisplayName("strstr search: xcrashkernel= also matches, the search is not token-aware")
    void substringSearchMatchesInsideOtherWords() throws Exception {
        assertEquals(256 * MIB, ok("xcrashkernel=256M", 8 * GIB).size());
    }

    @Test
    @DisplayName("strstr search: init arguments after -- are searched too")
    void initArgumentsAreSearched() throws Exception {
        assertEquals(256 * MIB, ok("quiet -- crashkernel=256M", 8 * GIB).size());
    }

    @Test
    @DisplayName("strstr search: a quoted value is not a token boundary (foo=\"crashkernel=1G\")")
    void quotesDoNotHideTheParameter() {
        CrashKernelException e = err("foo=\"crashkernel=1G\"", 8 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(19, e.position());
    }

    @Test
    @DisplayName("token end: only a space ends the token, a tab is part of the value")
    void tabIsNotASeparator() {
        CrashKernelException e = err("crashkernel=256M\tquiet", 8 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(16, e.position());
        assertTrue(e.getMessage().contains("U+0009"), e.getMessage());
    }

    @Test
    @DisplayName("C string: a NUL ends the command line")
    void nulEndsTheLine() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=256M\0crashkernel=512M", 8 * GIB).size());
    }

    @Test
    @DisplayName("plain class wins even when broken: a bad plain token is an error, ,high is not consulted")
    void brokenPlainTokenStillOverridesHigh() {
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER,
                err("crashkernel=256MB crashkernel=512M,high", 16 * GIB).problem());
    }

    @Test
    @DisplayName("plain class wins: crashkernel=0 disables even when ,high is present")
    void zeroPlainDisablesHigh() {
        assertEquals(CrashKernelProblem.ZERO_SIZE, err("crashkernel=0 crashkernel=512M,high", 16 * GIB).problem());
    }

    @Test
    @DisplayName(",high: size >= system RAM is -EINVAL as for the plain form")
    void highSizeMustBeBelowRam() {
        assertEquals(CrashKernelProblem.SIZE_NOT_BELOW_RAM, err("crashkernel=16G,high", 16 * GIB).problem());
    }

    @Test
    @DisplayName(",high: size 0 is -EINVAL")
    void highZeroIsRejected() {
        assertEquals(CrashKernelProblem.ZERO_SIZE, err("crashkernel=0,high", 16 * GIB).problem());
    }

    @Test
    @DisplayName("suffix class is decided by the token's end: 512M,highx is plain and fails at ','")
    void suffixMustEndTheToken() {
        CrashKernelException e = err("crashkernel=512M,highx", 16 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(16, e.position());
    }

    @Test
    @DisplayName("suffix parse: the suffix must be followed by space or end (512M,high,high)")
    void textAfterSuffixIsRejected() {
        CrashKernelException e = err("crashkernel=512M,high,high", 16 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(21, e.position());
    }

    @Test
    @DisplayName(",low: an invalid ,low is an error, not the default")
    void invalidLowIsAnError() {
        assertEquals(CrashKernelProblem.MEMORY_VALUE_EXPECTED,
                err("crashkernel=512M,high crashkernel=x,low", 16 * GIB).problem());
    }

    @Test
    @DisplayName(",cma: return value ignored, the number is kept even when the suffix check fails (1Gx,cma)")
    void malformedCmaIsReadAsFarAsItsNumber() throws Exception {
        assertEquals(GIB, ok("crashkernel=256M crashkernel=1Gx,cma", 16 * GIB).cmaSize());
        assertEquals(0, ok("crashkernel=256M crashkernel=,cma", 16 * GIB).cmaSize());
    }

    @Test
    @DisplayName("pre-6.17: ,cma is not a suffix, so the ,cma token is the last plain token and fails at ','")
    void cmaBefore617IsAPlainToken() {
        CrashKernelException e = err("crashkernel=256M crashkernel=1G,cma", 16 * GIB, V6_1);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(31, e.position());
    }

    @Test
    @DisplayName("pre-3.9: no suffix table, 512M,high is a plain token and fails at ','")
    void highBefore39IsAPlainToken() {
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER,
                err("crashkernel=512M,high", 16 * GIB, new CrashKernelRules(Arch.X86_64, new KernelVersion(3, 8))).problem());
    }

    @Test
    @DisplayName("arm64 ,high reads from 5.19: before that the token is skipped as a suffix but not read")
    void arm64HighNeeds519() throws Exception {
        assertEquals(CrashKernelProblem.SUFFIX_NOT_READ,
                err("crashkernel=512M,high", 16 * GIB, new CrashKernelRules(Arch.ARM64, new KernelVersion(5, 18))).problem());
        assertEquals(128 * MIB, ok("crashkernel=512M,high", 16 * GIB, CrashKernelRules.mainline(Arch.ARM64)).lowSize());
    }

    @Test
    @DisplayName("DEFAULT_CRASH_KERNEL_LOW_SIZE: 0 on 32-bit x86")
    void i386HasNoDefaultLow() throws Exception {
        assertEquals(0, ok("crashkernel=256M,high", 2 * GIB, CrashKernelRules.mainline(Arch.X86)).lowSize());
    }

    @Test
    @DisplayName("range syntax: a malformed entry is only an error when the kernel reaches it")
    void malformedLaterEntryDependsOnRam() throws Exception {
        assertEquals(64 * MIB, ok("crashkernel=0-1G:64M,garbage", 512 * MIB).size());
        CrashKernelException e = err("crashkernel=0-1G:64M,garbage", 2 * GIB);
        assertEquals(CrashKernelProblem.MEMORY_VALUE_EXPECTED, e.problem());
        assertEquals(21, e.position());
    }

    @Test
    @DisplayName("range syntax: after the match the kernel scans to the first '@', across junk")
    void offsetFoundAcrossJunk() throws Exception {
        assertEquals(16 * MIB, ok("crashkernel=0-1G:64Mjunk@16M", 512 * MIB).base());
    }

    @Test
    @DisplayName("range syntax: a non-comma after a non-matching entry ends the list (size 0)")
    void junkEndsTheListWithoutMatch() {
        assertEquals(CrashKernelProblem.NO_RANGE_MATCHES, err("crashkernel=0-1G:64Mx,1G-:128M", 2 * GIB).problem());
    }

    @Test
    @DisplayName("range syntax: a matching entry of size 0 gives size 0 -> -EINVAL")
    void matchingZeroSizeIsRejected() {
        assertEquals(CrashKernelProblem.ZERO_SIZE, err("crashkernel=0-:0", 2 * GIB).problem());
    }

    @Test
    @DisplayName("range vs simple: a ':' anywhere before the first space selects the range syntax")
    void colonSelectsRangeSyntax() {
        CrashKernelException e = err("crashkernel=256M@16M:x", 8 * GIB);
        assertEquals(CrashKernelProblem.DASH_EXPECTED, e.problem());
        assertEquals(16, e.position());
    }

    @Test
    @DisplayName("range vs simple: a ':' after the token's space does not count")
    void colonInLaterTokenDoesNotCount() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=256M root=UUID:1", 8 * GIB).size());
    }

    @Test
    @DisplayName("pre-6.6 x86: a fixed base only needs 1 MiB alignment (17M works on 6.1, fails on 6.17)")
    void fixedBaseAlignmentBeforeGenericCode() throws Exception {
        CrashKernelValue v = ok("crashkernel=256M@17M", 8 * GIB);
        assertTrue(CrashKernelPlan.of(v, 8 * GIB, V6_1).succeeds());
        assertFalse(CrashKernelPlan.of(v, 8 * GIB, CrashKernelTableTest.X86_64).succeeds());
    }

    @Test
    @DisplayName("arm64 CRASH_ALIGN is 2 MiB: 256M@18M is fine")
    void arm64FixedBaseAlignment() throws Exception {
        CrashKernelPlan p = CrashKernel.ofCommandLine("crashkernel=256M@18M").plan(8 * GIB, CrashKernelRules.mainline(Arch.ARM64)).orElseThrow();
        assertTrue(p.succeeds());
        assertEquals(2 * MIB, p.alignment());
    }

    @Test
    @DisplayName("ppc64: size and base are rounded up to the 64 KiB page, base 0 is chosen by the RMA rule")
    void ppc64RoundsToPages() throws Exception {
        CrashKernelPlan p = CrashKernel.ofCommandLine("crashkernel=100001").plan(8 * GIB, CrashKernelRules.mainline(Arch.PPC64)).orElseThrow();
        assertEquals(128 * KIB, p.size());
        assertEquals(Placement.ARCH_CHOOSES, p.placement());
        CrashKernelPlan fixed = CrashKernel.ofCommandLine("crashkernel=1G@65537").plan(8 * GIB, CrashKernelRules.mainline(Arch.PPC64)).orElseThrow();
        assertEquals(128 * KIB, fixed.base());
    }

    @Test
    @DisplayName("ia64 (non-generic): plain only, 64 MiB alignment")
    void ia64Alignment() throws Exception {
        CrashKernelPlan p = CrashKernel.ofCommandLine("crashkernel=512M@96M").plan(8 * GIB, CrashKernelRules.mainline(Arch.IA64)).orElseThrow();
        assertFalse(p.succeeds());
        assertEquals(64 * MIB, p.alignment());
    }

    @Test
    @DisplayName("plain form without base: default low area is only reserved if the region falls back high")
    void plainFallbackLowSize() throws Exception {
        CrashKernelPlan p = CrashKernel.ofCommandLine("crashkernel=256M").plan(8 * GIB, CrashKernelTableTest.X86_64).orElseThrow();
        assertEquals(256 * MIB, p.lowSize());
        assertTrue(p.describe().contains("below 4 GiB first"), p.describe());
    }

    @Test
    @DisplayName("value input: positions count from the start of the value")
    void valuePositionsAreRelativeToTheValue() {
        CrashKernelException e = assertThrows(CrashKernelException.class,
                () -> CrashKernel.ofValue("256MB").parse(8 * GIB, CrashKernelTableTest.X86_64));
        assertEquals(4, e.position());
        assertEquals("256MB: unrecognized character 'B' at position 5", e.getMessage());
    }

    @Test
    @DisplayName("CrashKernel.of: a text containing crashkernel= is a command line, anything else a value")
    void ofChoosesByContent() throws Exception {
        assertEquals(256 * MIB, CrashKernel.of("256M").parse(GIB, CrashKernelTableTest.X86_64).orElseThrow().size());
        assertEquals(128 * MIB, CrashKernel.of("a crashkernel=128M").parse(GIB, CrashKernelTableTest.X86_64).orElseThrow().size());
    }

    @Test
    @DisplayName("caller mistakes: a value with a space, negative RAM")
    void callerMistakesAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> CrashKernel.ofValue("256M quiet"));
        assertThrows(IllegalArgumentException.class,
                () -> CrashKernel.ofCommandLine("crashkernel=1M").parse(-1, CrashKernelTableTest.X86_64));
    }

    @Test
    @DisplayName("range syntax with RAM 0: total is 0, so any non-zero entry size is >= RAM")
    void ramZeroMakesEveryRangeSizeTooLarge() {
        assertEquals(CrashKernelProblem.RANGE_SIZE_NOT_BELOW_RAM, err("crashkernel=0-1G:1", 0).problem());
    }

    @Test
    @DisplayName("x86 before 6.6: a zero or broken plain setting falls back to ,high (crashkernel=0 does not disable it)")
    void legacyX86FallsBackToHigh() throws Exception {
        assertEquals(new CrashKernelValue(512 * MIB, 0, 256 * MIB, true, 0),
                ok("crashkernel=0 crashkernel=512M,high", 16 * GIB, V6_1));
        assertEquals(512 * MIB, ok("crashkernel=256MB crashkernel=512M,high", 16 * GIB, V6_1).size());
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, err("crashkernel=256MB", 16 * GIB, V6_1).problem());
    }

    @Test
    @DisplayName("x86 before 6.6: a malformed ,low means the default low size, not an error")
    void legacyX86MalformedLowIsDefault() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=512M,high crashkernel=x,low", 16 * GIB, V6_1).lowSize());
        assertEquals(0, ok("crashkernel=512M,high crashkernel=0,low", 16 * GIB, V6_1).lowSize());
        assertEquals(CrashKernelProblem.LOW_WITHOUT_HIGH, err("crashkernel=128M,low", 16 * GIB, V6_1).problem());
    }

    @Test
    @DisplayName("x86 before 6.6: no size-below-RAM check in the parser, the allocation fails instead")
    void legacyX86SizeCheckIsInTheAllocation() throws Exception {
        CrashKernelValue v = ok("crashkernel=8G", 8 * GIB, V6_1);
        CrashKernelPlan p = CrashKernelPlan.of(v, 8 * GIB, V6_1);
        assertFalse(p.succeeds());
        assertTrue(p.failure().orElseThrow().contains("no suitable area"), p.failure().orElseThrow());
    }
}
