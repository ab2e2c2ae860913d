package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kdump4j.kexec.KexecFixtures.MIB;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.boot.Iomem;

/** The crashkernel= region check: reserved at all, big enough for kernel + initrd, segments inside it. */
class CrashRegionCheckTest {
    @TempDir
    Path dir;

    @Test
    void noRegionMeansBootWithCrashkernel() throws Exception {
        CrashRegionCheck c = CrashRegionCheck.check(Iomem.parse(KexecFixtures.iomem(0)), 8 * MIB, 30 * MIB);
        assertEquals(CrashRegionCheck.Verdict.NONE_RESERVED, c.verdict());
        assertFalse(c.loadable());
        assertTrue(c.describe().contains("crashkernel="), c.describe());
    }

    @Test
    void verdictFollowsTheSizes() throws Exception {
        Iomem iomem = Iomem.parse(KexecFixtures.iomem(64 * MIB));
        assertEquals(CrashRegionCheck.Verdict.TOO_SMALL, CrashRegionCheck.check(iomem, 40 * MIB, 30 * MIB).verdict());
        assertEquals(CrashRegionCheck.Verdict.TIGHT, CrashRegionCheck.check(iomem, 20 * MIB, 30 * MIB).verdict());
        assertEquals(CrashRegionCheck.Verdict.OK,
                CrashRegionCheck.check(Iomem.parse(KexecFixtures.iomem(256 * MIB)), 20 * MIB, 30 * MIB).verdict());
        assertEquals(51 * MIB, CrashRegionCheck.check(iomem, 20 * MIB, 30 * MIB).minimumBytes());
        assertEquals(0x2000_0000L, CrashRegionCheck.check(iomem, 0, 0).largestRegion().orElseThrow().start());
    }

    @Test
    void bzImageCountsItsInitSizeNotItsFileSize() throws Exception {
        Path k = KexecFixtures.bzImage(dir, "vmlinuz", 8192, 40 * MIB);
        assertEquals(40 * MIB, CrashRegionCheck.kernelMemorySize(k));
        Path plain = KexecFixtures.file(dir, "Image", 12345);
        assertEquals(12345, CrashRegionCheck.kernelMemorySize(plain));
        Path initrd = KexecFixtures.file(dir, "initrd", 4096);
        CrashRegionCheck c = CrashRegionCheck.forRequest(Iomem.parse(KexecFixtures.iomem(32 * MIB)),
                KexecRequest.crash(k).withInitrd(initrd));
        assertEquals(CrashRegionCheck.Verdict.TOO_SMALL, c.verdict());
        assertEquals(4096, c.initrdBytes());
    }

    @Test
    void segmentsAndEntryMustLieInTheRegion() throws Exception {
        Iomem iomem = Iomem.parse(KexecFixtures.iomem(16 * MIB));
        KexecSegment inside = new KexecSegment(ByteBuffer.allocate(8), 0x2000_0000L, 0x10000);
        KexecSegment lastPage = new KexecSegment(ByteBuffer.allocate(8), 0x2000_0000L + 16 * MIB - 0x1000, 0x1000);
        assertDoesNotThrow(() -> CrashRegionCheck.checkSegments(iomem, SegmentLoad.crash(0x2000_0000L, List.of(inside, lastPage))));
        KexecSegment beyond = new KexecSegment(ByteBuffer.allocate(8), 0x2000_0000L + 16 * MIB - 0x1000, 0x2000);
        KexecException e = assertThrows(KexecException.class,
                () -> CrashRegionCheck.checkSegments(iomem, SegmentLoad.crash(0x2000_0000L, List.of(beyond))));
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertTrue(e.beforeCall());
        assertThrows(KexecException.class,
                () -> CrashRegionCheck.checkSegments(iomem, SegmentLoad.crash(0x1000, List.of(inside))), "entry outside");
        assertThrows(KexecException.class, () -> CrashRegionCheck.checkSegments(Iomem.parse(KexecFixtures.iomem(0)),
                SegmentLoad.crash(0x2000_0000L, List.of(inside))), "no region");
        assertDoesNotThrow(() -> CrashRegionCheck.checkSegments(Iomem.parse(KexecFixtures.iomem(0)),
                new SegmentLoad(KexecTarget.REBOOT, 0x1000, List.of(inside), 4096)), "reboot loads are not confined");
    }
}
