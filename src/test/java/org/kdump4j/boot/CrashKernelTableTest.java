package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kdump4j.boot.MemorySize.GIB;
import static org.kdump4j.boot.MemorySize.MIB;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every row of the tricky-input table (kernel-kexec-spec.md §1.9), current kernel, x86_64 generic
 * path unless the row says otherwise. Each display name quotes the kernel rule the row pins.
 */
class CrashKernelTableTest {
    static final CrashKernelRules X86_64 = CrashKernelRules.mainline();

    static CrashKernelValue ok(String line, long ram) throws CrashKernelException {
        return ok(line, ram, X86_64);
    }

    static CrashKernelValue ok(String line, long ram, CrashKernelRules rules) throws CrashKernelException {
        return CrashKernel.ofCommandLine(line).parse(ram, rules).orElseThrow();
    }

    static CrashKernelException err(String line, long ram) {
        return err(line, ram, X86_64);
    }

    static CrashKernelException err(String line, long ram, CrashKernelRules rules) {
        return assertThrows(CrashKernelException.class, () -> CrashKernel.ofCommandLine(line).parse(ram, rules));
    }

    @Test
    @DisplayName("simple syntax size: crashkernel=256M on 8G reserves 256M, kernel chooses the base (low first)")
    void simpleSizeReservesThatSizeWithAutomaticBase() throws Exception {
        CrashKernelValue v = ok("crashkernel=256M", 8 * GIB);
        assertEquals(new CrashKernelValue(256 * MIB, 0, 0, false, 0), v);
        assertEquals(Placement.LOW_FIRST, CrashKernelPlan.of(v, 8 * GIB, X86_64).placement());
    }

    @Test
    @DisplayName("memparse: suffixes are case-insensitive (256m)")
    void lowerCaseSuffixIsAccepted() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=256m", 8 * GIB).size());
    }

    @Test
    @DisplayName("simple syntax: after the size only '@', space or end may follow (256MB -> unrecognized char B)")
    void trailingBAfterSuffixIsRejectedWithItsPosition() {
        CrashKernelException e = err("crashkernel=256MB", 8 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(16, e.position());
        assertEquals("crashkernel=256MB: unrecognized character 'B' at position 17", e.getMessage());
    }

    @Test
    @DisplayName("memparse: 0x followed by a hex digit is hex (0x10000000 = 256M)")
    void hexSizeIsRead() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=0x10000000", 8 * GIB).size());
    }

    @Test
    @DisplayName("memparse: a leading 0 means octal (0100M = 64M)")
    void leadingZeroMeansOctal() throws Exception {
        assertEquals(64 * MIB, ok("crashkernel=0100M", 8 * GIB).size());
    }

    @Test
    @DisplayName("memparse: 08M parses the octal 0 and stops at '8', which is then garbage")
    void eightAfterLeadingZeroIsGarbage() {
        CrashKernelException e = err("crashkernel=08M", 8 * GIB);
        assertEquals(CrashKernelProblem.UNRECOGNIZED_CHARACTER, e.problem());
        assertEquals(13, e.position());
    }

    @Test
    @DisplayName("simple syntax: size@offset sets the base (256M@16M)")
    void offsetSetsTheBase() throws Exception {
        CrashKernelValue v = ok("crashkernel=256M@16M", 8 * GIB);
        assertEquals(256 * MIB, v.size());
        assertEquals(0x1000000L, v.base());
        assertTrue(CrashKernelPlan.of(v, 8 * GIB, X86_64).succeeds());
    }

    @Test
    @DisplayName("simple syntax: @0 and an empty @ both give base 0 = automatic placement, no error")
    void zeroOrEmptyOffsetMeansAutomatic() throws Exception {
        assertEquals(0, ok("crashkernel=256M@0", 8 * GIB).base());
        assertEquals(0, ok("crashkernel=256M@", 8 * GIB).base());
        assertFalse(ok("crashkernel=256M@", 8 * GIB).fixedBase());
    }

    @Test
    @DisplayName("simple syntax: nothing after the offset is checked (256M@16Mxyz -> base 16M)")
    void junkAfterOffsetIsIgnored() throws Exception {
        assertEquals(16 * MIB, ok("crashkernel=256M@16Mxyz", 8 * GIB).base());
    }

    @Test
    @DisplayName("generic reservation: a fixed base must be CRASH_ALIGN (16M on x86) aligned, else it fails")
    void misalignedFixedBaseParsesButReservationFails() throws Exception {
        CrashKernelValue v = ok("crashkernel=256M@100M", 8 * GIB);
        CrashKernelPlan p = CrashKernelPlan.of(v, 8 * GIB, X86_64);
        assertEquals(Placement.FIXED, p.placement());
        assertEquals(16 * MIB, p.alignment());
        assertFalse(p.succeeds());
        assertTrue(p.failure().orElseThrow().contains("not a multiple of the 16M alignment"));
    }

    @Test
    @DisplayName("parse_crashkernel: size >= system RAM is -EINVAL (8G on exactly 8G)")
    void sizeEqualToRamIsRejected() {
        assertEquals(CrashKernelProblem.SIZE_NOT_BELOW_RAM, err("crashkernel=8G", 8 * GIB).problem());
    }

    @Test
    @DisplayName("parse_crashkernel: size 0 is -EINVAL (crashkernel=0 is the usual 'off')")
    void zeroSizeIsRejected() {
        CrashKernelException e = err("crashkernel=0", 8 * GIB);
        assertEquals(CrashKernelProblem.ZERO_SIZE, e.problem());
        assertEquals(12, e.position());
    }

    @Test
    @DisplayName("memparse: the suffix shift wraps silently, 16E = 2^64 = 0, so -EINVAL")
    void sixteenExbiWrapsToZero() {
        CrashKernelException e = err("crashkernel=16E", 8 * GIB);
        assertEquals(CrashKernelProblem.ZERO_SIZE, e.problem());
        assertTrue(e.reason().contains("wraps"), e.reason());
    }

    @Test
    @DisplayName("mainline has no crashkernel=auto: 'auto' has no digits, -EINVAL")
    void autoIsNotAValue() {
        CrashKernelException e = err("crashkernel=auto", 8 * GIB);
        assertEquals(CrashKernelProblem.MEMORY_VALUE_EXPECTED, e.problem());
        assertEquals(12, e.position());
    }

    @Test
    @DisplayName("memparse: no white space skipping (crashkernel= 256M has an empty value)")
    void spaceAfterEqualsLeavesAnEmptyValue() {
        CrashKernelException e = err("crashkernel= 256M", 8 * GIB);
        assertEquals(CrashKernelProblem.MEMORY_VALUE_EXPECTED, e.problem());
        assertEquals(12, e.position());
    }

    static final String RANGES = "crashkernel=512M-2G:64M,2G-:128M";

    @Test
    @DisplayName("range syntax: 1.5G is in [512M,2G) -> 64M")
    void rangeMatchesInsideFirstEntry() throws Exception {
        assertEquals(64 * MIB, ok(RANGES, 1536 * MIB).size());
    }

    @Test
    @DisplayName("range syntax: end is exclusive, 2G is not in [512M,2G) but in [2G,inf) -> 128M")
    void rangeEndIsExclusive() throws Exception {
        assertEquals(128 * MIB, ok(RANGES, 2 * GIB).size());
    }

    @Test
    @DisplayName("range syntax (5.17+): RAM is rounded up to 128M before matching, 2047M -> 2048M -> 128M; pre-5.17 64M")
    void ramIsRoundedUpTo128MiBSince517() throws Exception {
        assertEquals(128 * MIB, ok(RANGES, 2047 * MIB).size());
        assertEquals(64 * MIB, ok(RANGES, 2047 * MIB, new CrashKernelRules(Arch.X86_64, new KernelVersion(5, 16))).size());
    }

    @Test
    @DisplayName("range syntax (5.17+): 400M rounds to 512M and matches [512M,2G); pre-5.17 nothing matches")
    void roundingMakesSmallMachinesMatch() throws Exception {
        assertEquals(64 * MIB, ok(RANGES, 400 * MIB).size());
        assertEquals(CrashKernelProblem.NO_RANGE_MATCHES,
                err(RANGES, 400 * MIB, new CrashKernelRules(Arch.X86_64, new KernelVersion(5, 16))).problem());
    }

    @Test
    @DisplayName("range syntax: no entry matches 384M (already a multiple of 128M) -> size 0 -> -EINVAL")
    void noMatchingRangeReservesNothing() {
        CrashKernelException e = err(RANGES, 384 * MIB);
        assertEquals(CrashKernelProblem.NO_RANGE_MATCHES, e.problem());
        assertEquals(12, e.position());
    }

    @Test
    @DisplayName("range syntax: @offset after the list sets the base of the matching entry")
    void rangeListWithOffset() throws Exception {
        CrashKernelValue v = ok(RANGES + "@16M", 4 * GIB);
        assertEquals(128 * MIB, v.size());
        assertEquals(16 * MIB, v.base());
    }

    @Test
    @DisplayName("range syntax: three entries, 64G matches the open-ended 64G- entry -> 512M")
    void threeEntryListPicksOpenEnded() throws Exception {
        assertEquals(512 * MIB, ok("crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M", 64 * GIB).size());
    }

    @Test
    @DisplayName("range syntax: end <= start is -EINVAL (2G-1G and 1G-1G)")
    void endNotAboveStartIsRejected() {
        assertEquals(CrashKernelProblem.END_NOT_ABOVE_START, err("crashkernel=2G-1G:64M", 8 * GIB).problem());
        CrashKernelException e = err("crashkernel=1G-1G:64M", 8 * GIB);
        assertEquals(CrashKernelProblem.END_NOT_ABOVE_START, e.problem());
        assertEquals(15, e.position());
    }

    @Test
    @DisplayName("range syntax: start must be followed by '-' (1G:64M -> '-' expected)")
    void missingDashIsRejected() {
        CrashKernelException e = err("crashkernel=1G:64M", 8 * GIB);
        assertEquals(CrashKernelProblem.DASH_EXPECTED, e.problem());
        assertEquals(14, e.position());
    }

    @Test
    @DisplayName("range syntax: start needs digits (-2G:64M)")
    void missingStartIsRejected() {
        CrashKernelException e = err("crashkernel=-2G:64M", 8 * GIB);
        assertEquals(CrashKernelProblem.MEMORY_VALUE_EXPECTED, e.problem());
        assertEquals(12, e.position());
    }

    @Test
    @DisplayName("range syntax: size >= RAM is checked on every visited entry, even one that does not match")
    void oversizedNonMatchingEntryAbortsTheParse() {
        CrashKernelException e = err("crashkernel=0-1G:8G,1G-:128M", 8 * GIB);
        assertEquals(CrashKernelProblem.RANGE_SIZE_NOT_BELOW_RAM, e.problem());
        assertEquals(17, e.position());
    }

    @Test
    @DisplayName("range syntax: text after the matching entry is skipped unchecked (0-:128M,garbage)")
    void garbageAfterMatchIsIgnored() throws Exception {
        assertEquals(128 * MIB, ok("crashkernel=0-:128M,garbage", 256 * MIB).size());
        assertEquals(128 * MIB, ok("crashkernel=0-:128M,garbage", 64 * GIB).size());
    }

    @Test
    @DisplayName("range syntax: unlike the simple syntax, '@' must be followed by digits (0-:128M@)")
    void rangeOffsetNeedsDigits() {
        CrashKernelException e = err("crashkernel=0-:128M@", 8 * GIB);
        assertEquals(CrashKernelProblem.BASE_EXPECTED, e.problem());
        assertEquals(20, e.position());
    }

    @Test
    @DisplayName("get_last_crashkernel: the last plain token wins")
    void lastPlainTokenWins() throws Exception {
        assertEquals(256 * MIB, ok("crashkernel=128M crashkernel=256M", 8 * GIB).size());
    }

    @Test
    @DisplayName(",high alone: main area high, default low 256M on x86_64")
    void highAloneAddsDefaultLow() throws Exception {
        CrashKernelValue v = ok("crashkernel=512M,high", 16 * GIB);
        assertEquals(new CrashKernelValue(512 * MIB, 0, 256 * MIB, true, 0), v);
        assertEquals(Placement.HIGH_FIRST, CrashKernelPlan.of(v, 16 * GIB, X86_64).placement());
    }

    @Test
    @DisplayName(",high with crashkernel=0,low: explicitly no low area")
    void zeroLowMeansNoLowArea() throws Exception {
        assertEquals(new CrashKernelValue(512 * MIB, 0, 0, true, 0), ok("crashkernel=512M,high crashkernel=0,low", 16 * GIB));
    }

    @Test
    @DisplayName(",high with ,low: the low size is taken from ,low")
    void explicitLowSize() throws Exception {
        assertEquals(new CrashKernelValue(512 * MIB, 0, 72 * MIB, true, 0), ok("crashkernel=512M,high crashkernel=72M,low", 16 * GIB));
    }

    @Test
    @DisplayName(",low alone is -EINVAL (,high missing)")
    void lowAloneIsRejected() {
        CrashKernelException e = err("crashkernel=128M,low", 8 * GIB);
        assertEquals(CrashKernelProblem.LOW_WITHOUT_HIGH, e.problem());
        assertEquals(0, e.position());
    }

    @Test
    @DisplayName("a plain token overrides ,high (and ,low): plain path, ,high ignored")
    void plainOverridesHigh() throws Exception {
        assertEquals(new CrashKernelValue(256 * MIB, 0, 0, false, 0), ok("crashkernel=256M crashkernel=512M,high", 16 * GIB));
    }

    @Test
    @DisplayName("non-generic arches (ppc64, s390) read only the plain class: ,high alone is -EINVAL")
    void highIsNotReadOnPpc64OrS390() {
        for (Arch a : new Arch[] {Arch.PPC64, Arch.S390X}) {
            CrashKernelException e = err("crashkernel=512M,high", 16 * GIB, CrashKernelRules.mainline(a));
            assertEquals(CrashKernelProblem.SUFFIX_NOT_READ, e.problem(), a.toString());
        }
    }

    @Test
    @DisplayName(",cma (6.17+) alone is -EINVAL: a standard reservation is still needed")
    void cmaAloneIsRejected() {
        assertEquals(CrashKernelProblem.CMA_WITHOUT_RESERVATION, err("crashkernel=1G,cma", 16 * GIB).problem());
    }

    @Test
    @DisplayName(",cma (6.17+) together with a plain reservation adds the CMA size")
    void cmaWithPlainReservation() throws Exception {
        assertEquals(new CrashKernelValue(256 * MIB, 0, 0, false, GIB), ok("crashkernel=256M crashkernel=1G,cma", 16 * GIB));
    }
}
