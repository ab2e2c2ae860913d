package org.kdump4j.kexec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request values: the flags and lengths they pass, and the segment rules of sanity_check_segment_list(). */
class KexecRequestTest {
    private static final Path K = Path.of("/boot/vmlinuz");

    @Test
    void crashRequestPassesOnCrashAndNoInitramfsWithoutInitrd() {
        KexecRequest r = KexecRequest.crash(K);
        assertEquals(KexecTarget.CRASH, r.target());
        assertEquals(0x2 | 0x4, r.fileLoadFlags());
        assertEquals(0, r.commandLineLength(), "empty command line: length 0 and NULL");
        assertEquals(0x2, r.withInitrd(Path.of("/boot/initrd")).fileLoadFlags());
        assertEquals(0x2 | 0x8, r.withInitrd(Path.of("/i")).withDebug(true).fileLoadFlags());
    }

    @Test
    void rebootRequestIsOnlyMadeByName() {
        KexecRequest r = KexecRequest.forReboot(K).withInitrd(Path.of("/i"));
        assertEquals(KexecTarget.REBOOT, r.target());
        assertEquals(0, r.fileLoadFlags());
    }

    @Test
    void commandLineLengthCountsTheNulAndUtf8Bytes() {
        assertEquals(6, KexecRequest.crash(K).withCommandLine("quiet").commandLineLength());
        assertEquals(4, KexecRequest.crash(K).withCommandLine("é1").commandLineLength());
        assertThrows(IllegalArgumentException.class, () -> KexecRequest.crash(K).withCommandLine("a\0b"));
    }

    private static KexecSegment seg(long mem, long memsz) {
        return new KexecSegment(ByteBuffer.allocate(16), mem, memsz);
    }

    @Test
    void segmentsMustBeOneToSixteenAlignedAndDisjoint() {
        List<KexecSegment> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(seg(0x2000_0000L + i * 0x1000L, 0x1000));
        }
        assertEquals(16, SegmentLoad.crash(0x2000_0000L, sixteen).segments().size());
        List<KexecSegment> seventeen = new ArrayList<>(sixteen);
        seventeen.add(seg(0x3000_0000L, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> SegmentLoad.crash(0, seventeen));
        assertThrows(IllegalArgumentException.class, () -> SegmentLoad.crash(0, List.of()), "zero segments would unload");
        assertThrows(IllegalArgumentException.class, () -> SegmentLoad.crash(0, List.of(seg(0x2000_0800L, 0x1000))));
        assertThrows(IllegalArgumentException.class, () -> SegmentLoad.crash(0, List.of(seg(0x2000_0000L, 0x1800))));
        assertThrows(IllegalArgumentException.class,
                () -> SegmentLoad.crash(0, List.of(seg(0x2000_0000L, 0x2000), seg(0x2000_1000L, 0x1000))));
        assertThrows(IllegalArgumentException.class, () -> new KexecSegment(ByteBuffer.allocate(0x2000), 0, 0x1000),
                "bufsz > memsz");
        assertThrows(IllegalArgumentException.class, () -> seg(0xffff_ffff_ffff_f000L, 0x2000), "wraps");
        assertThrows(IllegalArgumentException.class, () -> new SegmentLoad(KexecTarget.CRASH, 0, List.of(seg(0, 0x1000)), 3000));
    }

    @Test
    void segmentFlagsCarryOnCrashAndTheArchitecture() {
        SegmentLoad crash = SegmentLoad.crash(0x2000_0000L, List.of(seg(0x2000_0000L, 0x1000)));
        assertEquals(0x1 | (62L << 16), crash.flags(KexecAbi.X86_64));
        assertEquals(0x1 | (183L << 16), crash.flags(KexecAbi.AARCH64));
        SegmentLoad reboot = new SegmentLoad(KexecTarget.REBOOT, 0, List.of(seg(0, 0x10000)), 0x10000);
        assertEquals(21L << 16, reboot.flags(KexecAbi.PPC64));
    }

    @Test
    void abiTableMatchesTheKernelsSyscallTables() {
        assertEquals(KexecAbi.X86_64, KexecAbi.forArch("amd64").orElseThrow());
        assertEquals(320, KexecAbi.X86_64.kexecFileLoadNumber());
        assertEquals(246, KexecAbi.X86_64.kexecLoadNumber());
        assertEquals(294, KexecAbi.forArch("aarch64").orElseThrow().kexecFileLoadNumber());
        assertEquals(104, KexecAbi.forArch("riscv64").orElseThrow().kexecLoadNumber());
        assertEquals(382, KexecAbi.forArch("ppc64le").orElseThrow().kexecFileLoadNumber());
        assertEquals(268, KexecAbi.PPC64.kexecLoadNumber());
        assertEquals(381, KexecAbi.forArch("s390x").orElseThrow().kexecFileLoadNumber());
        assertEquals(277, KexecAbi.S390X.kexecLoadNumber());
        assertEquals(0x3e0000, KexecAbi.X86_64.archFlag());
        assertEquals(0xf30000, KexecAbi.RISCV64.archFlag());
        assertEquals(0x160000, KexecAbi.S390X.archFlag());
        assertEquals(java.util.Optional.empty(), KexecAbi.forArch("i386"));
    }
}
