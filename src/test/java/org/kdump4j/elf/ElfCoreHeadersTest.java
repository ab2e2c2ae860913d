package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kdump4j.memory.MemoryRange;

/** {@link ElfCoreHeaders}: the producers' rules on small, hand-checked inputs (kernel-kexec spec §5). */
class ElfCoreHeadersTest {
    static final long NOTE = 368;
    static final List<MemoryRange> X86_RAM = List.of(MemoryRange.ofInclusive(0x1000, 0x9ffff),
            MemoryRange.ofInclusive(0x100000, 0xbffdffffL), MemoryRange.ofInclusive(0x100000000L, 0x13fffffffL));
    static final List<MemoryRange> CRASH = List.of(MemoryRange.ofInclusive(0xa0000000L, 0xafffffffL));

    record Ph(int type, long offset, long vaddr, long paddr, long size) {
        static Ph of(ProgramHeader p) {
            assertEquals(p.fileSize(), p.memorySize());
            assertEquals(0, p.align());
            assertEquals(p.isLoad() ? CoreSegment.RWX : 0, p.flags());
            return new Ph(p.type().value(), p.offset(), p.virtualAddress(), p.physicalAddress(), p.memorySize());
        }
    }

    static List<Ph> phs(ElfCoreHeaders h) {
        return h.programHeaders().stream().map(Ph::of).toList();
    }

    static ElfCoreHeaders.Builder fourCpus(ElfCoreHeaders.Arch arch, ElfCoreHeaders.Layout layout) {
        ElfCoreHeaders.Builder b = ElfCoreHeaders.builder(arch, layout);
        for (int i = 0; i < 4; i++) {
            b.cpuNote(0x13fc00000L + i * 0x100000L, NOTE);
        }
        return b.vmcoreInfo(0x2b3a000, 0x1024);
    }

    /** The worked example of the spec (§5.6): x86_64, kexec-tools, 4 CPUs, 4 GiB guest. */
    @Test
    void kexecToolsX8664WorkedExample() {
        ElfCoreHeaders h = fourCpus(ElfCoreHeaders.Arch.X86_64, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(X86_RAM).exclude(CRASH).kernelText(0x1000000, 0x2c00000, 0xffffffff81000000L)
                .backupCopy(0xaff00000L).build();
        List<Ph> expected = List.of(new Ph(4, 0x13fc00000L, 0, 0x13fc00000L, NOTE),
                new Ph(4, 0x13fd00000L, 0, 0x13fd00000L, NOTE), new Ph(4, 0x13fe00000L, 0, 0x13fe00000L, NOTE),
                new Ph(4, 0x13ff00000L, 0, 0x13ff00000L, NOTE), new Ph(4, 0x2b3a000, 0, 0x2b3a000, 0x1024),
                new Ph(1, 0x1000000, 0xffffffff81000000L, 0x1000000, 0x2c00000),
                new Ph(1, 0xaff00000L, 0xffff888000001000L, 0x1000, 0x9f000),
                new Ph(1, 0x100000, 0xffff888000100000L, 0x100000, 0x9ff00000L),
                new Ph(1, 0xb0000000L, 0xffff8880b0000000L, 0xb0000000L, 0xffe0000),
                new Ph(1, 0x100000000L, 0xffff888100000000L, 0x100000000L, 0x40000000));
        assertEquals(expected, phs(h));
        assertEquals(ElfClass.ELF64, h.model().elfClass());
        assertEquals(Machine.X86_64, h.model().machine());
        assertEquals(1024, h.bufferSize(), "ALIGN(64 + 10 * 56, 1024)");
        assertEquals(16384, h.segmentSize(), "x86 kexec-tools segments are at least 16 KiB");
        byte[] blob = h.bytes();
        assertEquals(1024, blob.length);
        for (int i = 64 + 10 * 56; i < blob.length; i++) {
            assertEquals(0, blob[i], "zero padding");
        }
    }

    @Test
    void kernelLayoutLeavesOutTheLowMegabyteAndPadsToAPage() {
        ElfCoreHeaders h = fourCpus(ElfCoreHeaders.Arch.X86_64, ElfCoreHeaders.Layout.KERNEL).ram(X86_RAM)
                .exclude(CRASH).kernelText(0x1000000, 0x2c00000, 0xffffffff81000000L).backupCopy(0xaff00000L).build();
        List<Ph> loads = phs(h).stream().filter(p -> p.type == 1).toList();
        assertEquals(List.of(new Ph(1, 0x1000000, 0xffffffff81000000L, 0x1000000, 0x2c00000),
                new Ph(1, 0x100000, 0xffff888000100000L, 0x100000, 0x9ff00000L),
                new Ph(1, 0xb0000000L, 0xffff8880b0000000L, 0xb0000000L, 0xffe0000),
                new Ph(1, 0x100000000L, 0xffff888100000000L, 0x100000000L, 0x40000000)), loads);
        assertEquals(4096, h.bufferSize());
        assertEquals(4096, h.bytes().length);
        assertThrows(IllegalArgumentException.class, () -> fourCpus(ElfCoreHeaders.Arch.X86_64,
                ElfCoreHeaders.Layout.KERNEL).elfClass(ElfClass.ELF32).build());
    }

    @Test
    void i386IsElf32BelowFourGibWithHighmemWithoutVirtualAddresses() {
        ElfCoreHeaders h = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.X86, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(List.of(MemoryRange.ofInclusive(0x1000, 0x9fbff), MemoryRange.ofInclusive(0x100000, 0xbffdffffL)))
                .exclude(List.of(MemoryRange.ofInclusive(0x30000000, 0x37ffffff))).cpuNote(0x2f000000, 144)
                .backupCopy(0x37f00000).build();
        assertEquals(ElfClass.ELF32, h.model().elfClass());
        assertEquals(Machine.I386, h.model().machine());
        assertEquals(List.of(new Ph(4, 0x2f000000, 0, 0x2f000000, 144),
                new Ph(1, 0x37f00000, 0xc0001000L, 0x1000, 0x9ec00),
                new Ph(1, 0x100000, 0xc0100000L, 0x100000, 0x2ff00000),
                new Ph(1, 0x38000000, 0xffffffffL, 0x38000000, 0x87fe0000L)), phs(h),
                "the highmem range (from 896 MiB) has p_vaddr -1, 0xffffffff in ELF32");
        assertEquals(1024, h.bufferSize());
        assertEquals(16384, h.segmentSize());
    }

    @Test
    void i386WithRamAboveFourGibIsElf64AndForcedElf32IsAClearError() {
        var b = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.X86, ElfCoreHeaders.Layout.KEXEC_TOOLS).ram(X86_RAM)
                .exclude(CRASH);
        assertEquals(ElfClass.ELF64, b.build().model().elfClass());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.elfClass(ElfClass.ELF32).build());
        assertTrue(e.getMessage().contains("0x100000000"), e.getMessage());
    }

    @Test
    void ppc64KeepsTheFirst64KibAsABackupRegionInBigEndian() {
        ElfCoreHeaders h = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.PPC64, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(List.of(MemoryRange.ofInclusive(0, 0x7fffffffL)))
                .exclude(List.of(MemoryRange.ofInclusive(0x20000000, 0x2fffffff))).cpuNote(0x3000000, 0x400)
                .backupCopy(0x2ff00000).build();
        assertEquals(ByteOrder.BIG_ENDIAN, h.model().byteOrder());
        assertEquals(Machine.PPC64, h.model().machine());
        assertEquals(List.of(new Ph(4, 0x3000000, 0, 0x3000000, 0x400),
                new Ph(1, 0x2ff00000, 0xc000000000000000L, 0, 0x10000),
                new Ph(1, 0x10000, 0xc000000000010000L, 0x10000, 0x20000000 - 0x10000),
                new Ph(1, 0x30000000, 0xc000000030000000L, 0x30000000, 0x50000000)), phs(h));
        assertEquals(1024, h.segmentSize(), "no 16 KiB minimum outside x86");
    }

    @Test
    void aarch64HasNoBackupRegion() {
        ElfCoreHeaders h = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.named("arm64"), ElfCoreHeaders.Layout.KERNEL)
                .ram(List.of(MemoryRange.ofInclusive(0x40000000L, 0xbfffffffL)))
                .exclude(List.of(MemoryRange.ofInclusive(0xa0000000L, 0xafffffffL))).cpuNote(0xbf000000L, 392 + 36)
                .vmcoreInfo(0xbe000000L, 0x1024).backupCopy(0x1234).build();
        assertEquals(Machine.AARCH64, h.model().machine());
        assertEquals(List.of(new Ph(4, 0xbf000000L, 0, 0xbf000000L, 428), new Ph(4, 0xbe000000L, 0, 0xbe000000L, 0x1024),
                new Ph(1, 0x40000000L, 0xffff000040000000L, 0x40000000L, 0x60000000L),
                new Ph(1, 0xb0000000L, 0xffff0000b0000000L, 0xb0000000L, 0x10000000L)), phs(h));
        assertEquals(ElfCoreHeaders.Arch.IA64, ElfCoreHeaders.Arch.named("ia64"));
        assertThrows(IllegalArgumentException.class, () -> ElfCoreHeaders.Arch.named("vax"));
    }

    @Test
    void excludedRegionsSplitAndTrimRanges() {
        ElfCoreHeaders h = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.AARCH64, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(List.of(new MemoryRange(0x3000, 0x1000), new MemoryRange(0x1000, 0x1000), new MemoryRange(0, 0)))
                .exclude(List.of(new MemoryRange(0x0, 0x1800), new MemoryRange(0x3400, 0x100),
                        new MemoryRange(0x3f00, 0x1000)))
                .build();
        assertEquals(List.of(new MemoryRange(0x1800, 0x800), new MemoryRange(0x3000, 0x400),
                new MemoryRange(0x3500, 0xa00)), h.ramSegments());
    }
}
