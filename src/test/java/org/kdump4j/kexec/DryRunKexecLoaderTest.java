package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kdump4j.kexec.KexecFixtures.MIB;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every request path through the dry-run loader: what would be called, and what the simulated kernel answers. */
class DryRunKexecLoaderTest {
    @TempDir
    Path dir;
    Path kernel;
    Path initrd;
    DryRunKexecLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        kernel = KexecFixtures.bzImage(dir, "vmlinuz", 64 * 1024, 30 * MIB);
        initrd = KexecFixtures.file(dir, "initrd.img", 100_000);
        loader = DryRunKexecLoader.simulating(KexecAbi.X86_64, KexecFixtures.region(256 * MIB));
    }

    @Test
    void crashLoadRecordsTheFileLoadCallAndLoads() throws Exception {
        loader.load(KexecRequest.crash(kernel).withInitrd(initrd).withCommandLine("console=ttyS0 1 irqpoll"));
        KexecCall c = loader.lastCall().orElseThrow();
        assertEquals("kexec_file_load", c.syscall());
        assertEquals(320, c.number());
        assertEquals(KexecAbi.KEXEC_FILE_ON_CRASH, c.flags());
        assertTrue(c.arguments().contains("cmdline_len=24"), c.arguments());
        assertTrue(c.arguments().contains("initrd_fd=open(\"" + initrd + "\")"), c.arguments());
        assertTrue(c.toString().startsWith("syscall(320) kexec_file_load(") && c.toString().endsWith(") = 0"), c.toString());
        assertEquals(true, loader.status().crashLoaded().orElseThrow());
        assertEquals(false, loader.status().loaded().orElseThrow());
        assertEquals(256 * MIB, loader.status().crashSize().getAsLong());
    }

    @Test
    void withoutInitrdPassesNoInitramfsAndNoCommandLine() throws Exception {
        loader.load(KexecRequest.crash(kernel));
        KexecCall c = loader.lastCall().orElseThrow();
        assertEquals(0x2 | 0x4, c.flags());
        assertTrue(c.arguments().contains("initrd_fd=-1, cmdline_len=0, cmdline=NULL"), c.arguments());
        assertTrue(c.arguments().endsWith("flags=KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS"), c.arguments());
    }

    @Test
    void loadingTwiceReplacesTheCrashKernel() throws Exception {
        loader.load(KexecRequest.crash(kernel));
        loader.load(KexecRequest.crash(kernel).withInitrd(initrd));
        assertEquals(2, loader.calls().size());
        assertTrue(loader.calls().stream().allMatch(KexecCall::succeeded));
        assertTrue(loader.status().armed());
    }

    @Test
    void aFailedReloadLeavesNoCrashKernelAsTheKernelDoes() throws Exception {
        loader.load(KexecRequest.crash(kernel));
        Path notAKernel = KexecFixtures.file(dir, "garbage", 5000);
        KexecException e = assertThrows(KexecException.class, () -> loader.load(KexecRequest.crash(notAKernel)));
        assertEquals(Errno.ENOEXEC, e.errno());
        assertEquals("kexec_file_load", e.syscall());
        assertFalse(loader.status().armed());
    }

    @Test
    void rebootLoadFillsTheOtherSlot() throws Exception {
        loader.load(KexecRequest.forReboot(kernel));
        assertEquals(0x4, loader.lastCall().orElseThrow().flags());
        assertEquals(true, loader.status().loaded().orElseThrow());
        assertEquals(false, loader.status().crashLoaded().orElseThrow());
        loader.unloadReboot();
        assertEquals(KexecAbi.KEXEC_FILE_UNLOAD, loader.lastCall().orElseThrow().flags());
        assertEquals(false, loader.status().loaded().orElseThrow());
    }

    @Test
    void unloadCrashPassesUnloadAndOnCrash() throws Exception {
        loader.load(KexecRequest.crash(kernel));
        loader.unloadCrash();
        KexecCall c = loader.lastCall().orElseThrow();
        assertEquals(0x1 | 0x2, c.flags());
        assertTrue(c.arguments().startsWith("kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL"), c.arguments());
        assertFalse(loader.status().armed());
        loader.unloadCrash(); // nothing loaded: still fine
    }

    @Test
    void noReservationOrTooSmallARegionIsEaddrnotavail() throws Exception {
        DryRunKexecLoader none = DryRunKexecLoader.simulating(KexecAbi.X86_64, List.of());
        KexecException e = assertThrows(KexecException.class, () -> none.load(KexecRequest.crash(kernel)));
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertTrue(e.getMessage().contains("crashkernel="), e.getMessage());
        DryRunKexecLoader small = DryRunKexecLoader.simulating(KexecAbi.X86_64, KexecFixtures.region(16 * MIB));
        assertEquals(Errno.EADDRNOTAVAIL,
                assertThrows(KexecException.class, () -> small.load(KexecRequest.crash(kernel))).errno());
        none.load(KexecRequest.forReboot(kernel)); // a reboot load needs no region
    }

    @Test
    void fileProblemsAreTheErrorsTheKernelGives() throws Exception {
        assertEquals("open", assertThrows(KexecException.class,
                () -> loader.load(KexecRequest.crash(dir.resolve("missing")))).syscall());
        assertEquals(Errno.ENOENT, assertThrows(KexecException.class,
                () -> loader.load(KexecRequest.crash(kernel).withInitrd(dir.resolve("nope")))).errno());
        assertEquals(Errno.EINVAL, assertThrows(KexecException.class, () -> loader.load(KexecRequest.crash(dir))).errno());
        Path empty = Files.createFile(dir.resolve("empty"));
        assertEquals(Errno.EINVAL, assertThrows(KexecException.class, () -> loader.load(KexecRequest.crash(empty))).errno());
        String tooLong = "x".repeat(DryRunKexecLoader.COMMAND_LINE_SIZE - 20);
        assertEquals(Errno.EINVAL, assertThrows(KexecException.class,
                () -> loader.load(KexecRequest.crash(kernel).withCommandLine(tooLong))).errno());
        loader.load(KexecRequest.forReboot(kernel).withCommandLine(tooLong)); // no elfcorehdr= appended there
    }

    @Test
    void otherArchitecturesDoNotCheckTheBzImageHeader() throws Exception {
        DryRunKexecLoader arm = DryRunKexecLoader.simulating(KexecAbi.AARCH64, KexecFixtures.region(256 * MIB));
        arm.load(KexecRequest.crash(KexecFixtures.file(dir, "Image", 9000)));
        assertEquals(294, arm.lastCall().orElseThrow().number());
    }

    @Test
    void segmentLoadIsCheckedAgainstTheRegionBeforeTheCall() throws Exception {
        KexecSegment purgatory = new KexecSegment(ByteBuffer.allocate(4096), 0x2000_0000L, 0x1000);
        KexecSegment image = new KexecSegment(ByteBuffer.allocate(100), 0x2010_0000L, 0x10_0000);
        loader.load(SegmentLoad.crash(0x2000_0000L, List.of(purgatory, image)));
        KexecCall c = loader.lastCall().orElseThrow();
        assertEquals("kexec_load", c.syscall());
        assertEquals(246, c.number());
        assertEquals(0x1 | 0x3e0000, c.flags());
        assertTrue(c.arguments().contains("nr_segments=2"), c.arguments());
        assertTrue(c.arguments().endsWith("flags=KEXEC_ON_CRASH|KEXEC_ARCH_X86_64"), c.arguments());
        KexecSegment outside = new KexecSegment(ByteBuffer.allocate(100), 0x1000_0000L, 0x1000);
        KexecException e = assertThrows(KexecException.class,
                () -> loader.load(SegmentLoad.crash(0x2000_0000L, List.of(outside))));
        assertTrue(e.beforeCall());
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertEquals("kexec_load (not made)", loader.lastCall().orElseThrow().syscall());
        assertTrue(loader.status().armed(), "a refused call does not free the loaded crash kernel");
    }

    @Test
    void probesAnswerAsAPermittingKernel() {
        assertEquals(List.of(KexecProbe.Outcome.USABLE, KexecProbe.Outcome.USABLE),
                loader.probe().stream().map(KexecProbe::outcome).toList());
        assertFalse(loader.isNative());
        assertTrue(loader.isAvailable());
    }
}
