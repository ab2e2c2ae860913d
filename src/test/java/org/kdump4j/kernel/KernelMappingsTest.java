package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kdump4j.elf.Machine;

/**
 * {@link KernelMappings} over constructed page tables: the kernel image found from {@code _stext} through
 * the holes page-table isolation leaves, ended by a foreign mapping, a long hole or the image window;
 * refusals (no VMCOREINFO, no {@code _stext}, a {@code phys_base} the tables contradict, an unknown
 * machine, a direct map the tables contradict) give a warning, never an address. The real dumps are
 * covered by the write tests.
 */
class KernelMappingsTest {
    private static final long START = AddressSpace.X86_64_START_KERNEL_MAP;
    private static final long MIB2 = 2L << 20;
    private static final long DIRECT = 0xffff_9a40_0000_0000L;
    /** A randomized image: 2 MiB aligned, 0x1c800000 above __START_KERNEL_map, at physical 0x6200000. */
    private static final long TEXT = START + 0x1c80_0000L;
    private static final long TEXT_PA = 0x620_0000L;

    /** An x86_64 kernel: page tables, direct map at {@link #DIRECT}, VMCOREINFO with phys_base. */
    private static X86Tables x86(SyntheticMemory mem, long physBase) {
        X86Tables t = new X86Tables(mem, false, 0);
        mem.info("OSRELEASE", "6.1.0-test").info("PAGESIZE", "4096")
                .info("SYMBOL(init_top_pgt)", SyntheticMemory.hex(START + t.root - physBase))
                .info("NUMBER(phys_base)", Long.toString(physBase)).info("NUMBER(pgtable_l5_enabled)", "0")
                .info("SYMBOL(_stext)", SyntheticMemory.hex(TEXT + 0x1000))
                .info("NUMBER(KERNEL_IMAGE_SIZE)", Long.toString(1L << 30));
        t.map(DIRECT, 0, 3);
        return t;
    }

    private static KernelMappings mappings(SyntheticMemory mem, Machine machine) throws IOException {
        AddressSpace as = AddressSpace.of(mem.memory(4096), Optional.of(mem.vmcoreInfo()), machine,
                ByteOrder.LITTLE_ENDIAN, List.of());
        return KernelMappings.of(as, Optional.of(mem.vmcoreInfo()));
    }

    @Test
    void x86ImageRunsFromStextThroughIsolationHolesToItsLastMappedPage() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, TEXT_PA - (TEXT - START));
        for (int i = 0; i < 3; i++) { // text and rodata in 2 MiB pages
            t.map(TEXT + i * MIB2, TEXT_PA + i * MIB2, 2);
        }
        // then 4 KiB pages with an unmapped stretch, as set_memory_np leaves freed init pages
        long small = TEXT + 3 * MIB2;
        for (int p = 0; p < 512; p++) {
            if (p < 100 || p >= 300) {
                t.map(small + p * 4096L, TEXT_PA + 3 * MIB2 + p * 4096L, 1);
            }
        }
        t.map(TEXT + 5 * MIB2, TEXT_PA + 5 * MIB2, 2); // past a whole unmapped 2 MiB entry
        KernelMappings m = mappings(mem, Machine.X86_64);
        assertEquals(List.of(), m.warnings());
        assertEquals(new KernelMappings.ImageMapping(TEXT, TEXT_PA, 6 * MIB2), m.kernelImage().orElseThrow());
        assertEquals(DIRECT, m.directMapBase().orElseThrow());
        assertEquals(DIRECT + 0x1234, m.directMapAddress(0x1234).orElseThrow());
        assertEquals(TEXT + 0x5000, m.kernelImage().orElseThrow().virtualAddress(TEXT_PA + 0x5000));
        // a stored range gets its direct-map address only where the kernel's direct map holds it
        assertEquals(DIRECT + 0x1000, m.directMapAddress(0x1000, 0x9f000).orElseThrow());
        assertTrue(m.directMapAddress(0x3d00_0000L, 0x100_0000).isPresent(), "inside the 1 GiB page");
        t.map(DIRECT + (1L << 30), 1L << 30, 2); // only the first 2 MiB of the second GiB
        assertTrue(m.directMapAddress((1L << 30) - 0x1000, 0x3000).isPresent(), "its last page is mapped");
        assertTrue(m.directMapAddress((1L << 30) + MIB2, 0x1000).isEmpty(), "device memory the kernel never mapped");
    }

    @Test
    void x86ImageEndsAtAPageMappedElsewhereAtALongHoleAndAtTheWindow() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, TEXT_PA - (TEXT - START));
        t.map(TEXT, TEXT_PA, 2).map(TEXT + MIB2, 0x4000_0000L, 2); // the second 2 MiB maps elsewhere
        KernelMappings m = mappings(mem, Machine.X86_64);
        assertEquals(MIB2, m.kernelImage().orElseThrow().size());
        assertTrue(m.diagnostics().stream().anyMatch(d -> d.contains("not linearly")), m.diagnostics()::toString);

        SyntheticMemory mem2 = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t2 = x86(mem2, TEXT_PA - (TEXT - START));
        long far = (long) KernelMappings.MAX_HOLE_MIB << 20;
        t2.map(TEXT, TEXT_PA, 2).map(TEXT + MIB2 + far, TEXT_PA + MIB2 + far, 2);
        assertEquals(MIB2, mappings(mem2, Machine.X86_64).kernelImage().orElseThrow().size(), "a long hole ends it");

        SyntheticMemory mem3 = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t3 = x86(mem3, TEXT_PA - (TEXT - START));
        mem3.info("NUMBER(KERNEL_IMAGE_SIZE)", Long.toString(TEXT - START + MIB2)); // window ends after 2 MiB
        t3.map(TEXT, TEXT_PA, 2).map(TEXT + MIB2, TEXT_PA + MIB2, 2); // (a module would be here)
        assertEquals(MIB2, mappings(mem3, Machine.X86_64).kernelImage().orElseThrow().size(), "the window ends it");
    }

    @Test
    void x86PhysBaseTheTablesContradictGivesAWarningNotAnImage() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, TEXT_PA - (TEXT - START) + MIB2); // VMCOREINFO says 2 MiB higher
        t.map(TEXT, TEXT_PA, 2);
        KernelMappings m = mappings(mem, Machine.X86_64);
        assertTrue(m.kernelImage().isEmpty());
        assertEquals(1, m.warnings().size(), m.warnings()::toString);
        assertTrue(m.warnings().getFirst().startsWith("kernel image mapping unknown: the page tables map"),
                m.warnings()::toString);
        assertTrue(m.directMapBase().isPresent());
    }

    @Test
    void x86UnmappedStartOrNoStextGivesAWarning() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        x86(mem, 0);
        KernelMappings m = mappings(mem, Machine.X86_64);
        assertTrue(m.kernelImage().isEmpty());
        assertTrue(m.warnings().getFirst().contains("does not translate"), m.warnings()::toString);
        mem.info.remove("SYMBOL(_stext)");
        KernelMappings n = mappings(mem, Machine.X86_64);
        assertEquals(List.of("kernel image mapping unknown: VMCOREINFO has no SYMBOL(_stext)"), n.warnings());
    }

    @Test
    void withoutVmcoreInfoOrForAnotherMachineNothingIsGuessed() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, TEXT_PA - (TEXT - START));
        t.map(TEXT, TEXT_PA, 2);
        AddressSpace bare = AddressSpace.of(mem.memory(4096), Optional.empty(), Machine.X86_64,
                ByteOrder.LITTLE_ENDIAN, List.of());
        KernelMappings none = KernelMappings.of(bare, Optional.empty());
        assertTrue(none.directMapBase().isEmpty());
        assertTrue(none.kernelImage().isEmpty());
        assertEquals(List.of("direct map unknown: the dump has no VMCOREINFO",
                "kernel image mapping unknown: the dump has no VMCOREINFO"), none.warnings());

        KernelMappings ppc = mappings(mem, Machine.PPC64);
        assertTrue(ppc.directMapBase().isEmpty());
        assertTrue(ppc.kernelImage().isEmpty());
        assertEquals(2, ppc.warnings().size(), ppc.warnings()::toString);
        assertTrue(ppc.warnings().stream().allMatch(w -> w.contains("no rule for")), ppc.warnings()::toString);
    }

    /** An aarch64 kernel (4 KiB pages, 48-bit VA, 5.4+ layout) with its image at {@code kimage_voffset}. */
    private static ArmTables arm(SyntheticMemory mem, long physOffset) {
        ArmTables t = new ArmTables(mem, 12, 48);
        long swapper = 0xffff_ffc0_1234_0000L;
        mem.info("OSRELEASE", "6.12.0-test").info("PAGESIZE", "4096")
                .info("SYMBOL(swapper_pg_dir)", SyntheticMemory.hex(swapper)).info("NUMBER(VA_BITS)", "48")
                .info("NUMBER(kimage_voffset)", "0x" + SyntheticMemory.hex(swapper - t.root))
                .info("NUMBER(TCR_EL1_T1SZ)", "0x10").info("NUMBER(PHYS_OFFSET)", "0x" + SyntheticMemory.hex(physOffset));
        return t;
    }

    @Test
    void aarch64ImageFollowsKimageVoffsetThroughTheUnmappedInitSection() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = arm(mem, 0);
        long voffset = 0xffff_ffc0_1234_0000L - t.root;
        long text = (voffset + 0x4020_0000L) & -MIB2; // physical ~1 GiB, as on QEMU's virt board
        mem.info("SYMBOL(_stext)", SyntheticMemory.hex(text + 0x10000));
        for (int p = 0; p < 48; p++) {
            if (p < 16 || p >= 40) { // pages 16..39: the init section, unmapped after boot
                t.map(text + p * 4096L, text + p * 4096L - voffset, 1);
            }
        }
        t.map(0xffff_0000_0000_0000L, 0, 1); // the linear map at physical 0
        KernelMappings m = mappings(mem, Machine.AARCH64);
        assertEquals(List.of(), m.warnings());
        assertEquals(new KernelMappings.ImageMapping(text, text - voffset, 48 * 4096L), m.kernelImage().orElseThrow());
        assertEquals(0xffff_0000_0000_0000L, m.directMapBase().orElseThrow());
    }

    @Test
    void aDirectMapTheTablesContradictIsRejected() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = arm(mem, 0);
        t.map(0xffff_0000_0000_0000L, 0x7000, 1); // the base VMCOREINFO implies maps physical 0x7000, not 0
        KernelMappings m = mappings(mem, Machine.AARCH64);
        assertTrue(m.directMapBase().isEmpty());
        assertTrue(m.directMapAddress(0).isEmpty());
        assertTrue(m.warnings().getFirst().startsWith("direct map unknown: base 0xffff000000000000 rejected"),
                m.warnings()::toString);
        assertFalse(m.toString().isEmpty());
    }
}
