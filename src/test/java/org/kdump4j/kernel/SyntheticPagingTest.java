package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kdump4j.elf.Elf;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.elf.SegmentType;

/**
 * Page-table walks over constructed page tables: x86_64 4- and 5-level paging (no real 5-level dump is
 * at hand) and aarch64 with every granule and virtual-address width (no real aarch64 dump is at hand),
 * typed faults, the memory-encryption mask, the direct-map search and the 5.4 linear-map flip.
 */
class SyntheticPagingTest {
    private static final long START = AddressSpace.X86_64_START_KERNEL_MAP;

    /** An x86_64 kernel with phys_base 0: its page tables and VMCOREINFO. */
    private static X86Tables x86(SyntheticMemory mem, boolean fiveLevel, long sme) {
        X86Tables t = new X86Tables(mem, fiveLevel, sme);
        mem.info("OSRELEASE", "6.1.0-test").info("PAGESIZE", "4096")
                .info("SYMBOL(init_top_pgt)", SyntheticMemory.hex(START + t.root)).info("NUMBER(phys_base)", "0")
                .info("NUMBER(pgtable_l5_enabled)", fiveLevel ? "1" : "0");
        if (sme != 0) {
            mem.info("NUMBER(sme_mask)", Long.toString(sme));
        }
        return t;
    }

    @ParameterizedTest(name = "5-level {0}")
    @ValueSource(booleans = {false, true})
    void walksFourKibTwoMibAndOneGibPages(boolean fiveLevel) throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, fiveLevel, 0);
        long va4k = fiveLevel ? 0xffa0_1234_5678_9000L : 0xffff_c900_0123_4000L;
        long va2m = fiveLevel ? 0xffd4_0000_0020_0000L : 0xffff_ea00_0020_0000L;
        long va1g = fiveLevel ? 0xff11_0000_4000_0000L : 0xffff_8880_4000_0000L;
        t.map(va4k, 0x7_6543_2000L, 1).map(va2m, 0x40_0000L, 2).map(va1g, 0x1_4000_0000L, 3);
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertEquals(fiveLevel ? "x86_64 5-level paging" : "x86_64 4-level paging", as.paging().orElseThrow());

        AddressSpace.Translation a = as.walk(va4k + 0x123);
        assertEquals(0x7_6543_2123L, a.physicalAddress());
        assertEquals(0x1000 - 0x123, a.contiguousBytes());
        AddressSpace.Translation b = as.walk(va2m + 0x1_2345);
        assertEquals(0x41_2345L, b.physicalAddress());
        assertEquals(0x20_0000 - 0x1_2345, b.contiguousBytes());
        AddressSpace.Translation c = as.walk(va1g + 0x123_4567);
        assertEquals(0x1_4123_4567L, c.physicalAddress());
        assertEquals((1L << 30) - 0x123_4567, c.contiguousBytes());
        assertEquals(AddressSpace.Method.PAGE_TABLES, as.translate(va4k).method());
    }

    @Test
    void fiveLevelPagingTranslatesBitsAboveFortyEight() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, true, 0);
        long lowSlot = 0xff00_0000_0000_0000L; // PML5 index 0x1fe
        long highSlot = 0xff01_0000_0000_0000L; // PML5 index 0x1fe, other bit 48
        t.map(lowSlot, 0x1000, 1).map(highSlot, 0x2000, 1);
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertEquals(0x1000, as.walk(lowSlot).physicalAddress());
        assertEquals(0x2000, as.walk(highSlot).physicalAddress());

        SyntheticMemory mem4 = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        x86(mem4, false, 0);
        TranslationException e = assertThrows(TranslationException.class,
                () -> mem4.space(Machine.X86_64, 4096).walk(highSlot));
        assertEquals(TranslationException.Kind.NOT_KERNEL_ADDRESS, e.kind());
    }

    @ParameterizedTest(name = "5-level {0}")
    @ValueSource(booleans = {false, true})
    void faultsNameTheLevelAndTheEntry(boolean fiveLevel) throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, fiveLevel, 0);
        long mapped = 0xffff_c900_0000_0000L;
        t.map(mapped, 0x5000, 1);
        AddressSpace as = mem.space(Machine.X86_64, 4096);

        long emptyTop = fiveLevel ? 0xff80_0000_0000_0000L : 0xffff_fe00_0000_0000L;
        TranslationException top = assertThrows(TranslationException.class, () -> as.walk(emptyTop));
        assertEquals(TranslationException.Kind.NOT_MAPPED, top.kind());
        assertEquals(fiveLevel ? "PML5" : "PML4", top.level());
        assertEquals(emptyTop, top.virtualAddress());

        long neighbour = mapped + 0x1000; // same page table, empty PTE
        TranslationException pt = assertThrows(TranslationException.class, () -> as.walk(neighbour));
        assertEquals(TranslationException.Kind.NOT_MAPPED, pt.kind());
        assertEquals("PT", pt.level());
        assertEquals(t.entryAddress(neighbour, 1), pt.entryAddress());
        assertTrue(pt.getMessage().contains("0x" + Long.toHexString(neighbour)), pt.getMessage());
    }

    @Test
    void tablePageMissingFromTheDumpIsItsOwnFault() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        long va = 0xffff_c900_0000_0000L;
        t.map(va, 0x9000, 1);
        long ptPage = t.entryAddress(va, 1) & ~0xfffL;
        mem.hole(ptPage, 4096);
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        TranslationException e = assertThrows(TranslationException.class, () -> as.walk(va));
        assertEquals(TranslationException.Kind.TABLE_NOT_IN_DUMP, e.kind());
        assertEquals("PT", e.level());
        assertEquals(t.entryAddress(va, 1), e.entryAddress());
    }

    @Test
    void dataPageMissingFromTheDumpIsReported() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        long va = 0xffff_c900_0000_0000L;
        t.map(va, 0xf0000, 1);
        mem.hole(0xf0000, 4096);
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertEquals(0xf0000, as.toPhysical(va));
        TranslationException e = assertThrows(TranslationException.class, () -> as.readVirtual(va, 8));
        assertEquals(TranslationException.Kind.PAGE_NOT_IN_DUMP, e.kind());
    }

    @Test
    void memoryEncryptionMaskIsClearedFromEveryEntry() throws IOException {
        long cBit = 1L << 47;
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, cBit);
        long va = 0xffff_c900_0000_0000L;
        t.map(va, 0x3000, 1);
        assertEquals(0x3123, mem.space(Machine.X86_64, 4096).walk(va + 0x123).physicalAddress());
        // without the mask the C-bit is taken for an address bit: the next table is outside the dump
        mem.info.remove("NUMBER(sme_mask)");
        TranslationException e = assertThrows(TranslationException.class,
                () -> mem.space(Machine.X86_64, 4096).walk(va));
        assertEquals(TranslationException.Kind.TABLE_NOT_IN_DUMP, e.kind());
    }

    @Test
    void readsCrossPagesMappedFarApart() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        long va = 0xffff_c900_0001_0000L;
        t.map(va, 0xa0000, 1).map(va + 0x1000, 0x30000, 1);
        byte[] expected = new byte[64];
        for (int i = 0; i < 64; i++) {
            expected[i] = (byte) (i * 7 + 1);
        }
        mem.put(0xa0000 + 0x1000 - 32, java.util.Arrays.copyOfRange(expected, 0, 32));
        mem.put(0x30000, java.util.Arrays.copyOfRange(expected, 32, 64));
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertArrayEquals(expected, as.readVirtual(va + 0x1000 - 32, 64));
    }

    @Test
    void cStringsCrossPagesAndStopAtTheNul() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        long va = 0xffff_c900_0002_0000L;
        t.map(va, 0xb0000, 1).map(va + 0x1000, 0x40000, 1); // the page after that is not mapped
        mem.put(0xb0000 + 0x1000 - 3, "abc").put(0x40000, "def\0ghi");
        mem.put(0x40000 + 0x1000 - 2, "xy");
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertArrayEquals("abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                as.readCString(va + 0x1000 - 3, 100));
        assertArrayEquals("abcd".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                as.readCString(va + 0x1000 - 3, 4));
        TranslationException e = assertThrows(TranslationException.class, () -> as.readCString(va + 0x2000 - 2, 10));
        assertEquals(va + 0x2000, e.virtualAddress());
    }

    @Test
    void kernelImageShortcutAgreesWithTheWalk() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 22, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        t.map(START + 0x20_0000, 0x20_0000, 2);
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        AddressSpace.Translation fast = as.translate(START + 0x20_1234);
        assertEquals(AddressSpace.Method.KERNEL_IMAGE, fast.method());
        assertEquals(as.walk(START + 0x20_1234).physicalAddress(), fast.physicalAddress());
    }

    @ParameterizedTest(name = "5-level {0}")
    @ValueSource(booleans = {false, true})
    void directMapBaseIsFoundInThePageTables(boolean fiveLevel) throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, fiveLevel, 0);
        long base = fiveLevel ? 0xff11_2340_0000_0000L : 0xffff_9a40_0000_0000L;
        t.map(base, 0, 3).map(base + (1L << 30), 1L << 30, 3);
        t.map(0xffff_c900_0000_0000L, 0x1000, 1); // vmalloc, above the direct map
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        assertEquals(base, as.directMapBase().orElseThrow());
        AddressSpace.Translation tr = as.translate(base + 0x5678);
        assertEquals(AddressSpace.Method.DIRECT_MAP, tr.method());
        assertEquals(0x5678, tr.physicalAddress());
        // randomized vmalloc can start a few TiB above the direct map: never taken for direct map
        AddressSpace.Translation vmalloc = as.translate(0xffff_c900_0000_0000L);
        assertEquals(AddressSpace.Method.PAGE_TABLES, vmalloc.method());
        assertEquals(0x1000, vmalloc.physicalAddress());
    }

    @Test
    void selfReferencingTablesCannotLoop() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 16, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, true, 0);
        for (int i = 0; i < 512; i++) {
            mem.u64(t.root + 8L * i, t.root | 3); // every entry points back at the root
        }
        AddressSpace as = mem.space(Machine.X86_64, 4096);
        // five reads of the root, the last taken as a 4 KiB page entry
        assertEquals(t.root + 0x123, as.walk(0xffff_c900_0000_0123L).physicalAddress());
    }

    @Test
    void ptLoadContradictedByThePageTablesIsIgnored() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 20, ByteOrder.LITTLE_ENDIAN);
        X86Tables t = x86(mem, false, 0);
        long good = 0xffff_8880_0000_0000L;
        long bogus = 0xffff_8800_0000_0000L; // what old kexec-tools wrote for randomized kernels
        t.map(good, 0, 2);
        ProgramHeader right = new ProgramHeader(1, SegmentType.LOAD, Elf.PF_R, 0, good, 0, 0x20_0000, 0x20_0000, 0);
        ProgramHeader wrong = new ProgramHeader(2, SegmentType.LOAD, Elf.PF_R, 0, bogus, 0, 0x20_0000, 0x20_0000, 0);
        AddressSpace as = AddressSpace.of(mem.memory(4096), Optional.of(mem.vmcoreInfo()), Machine.X86_64,
                ByteOrder.LITTLE_ENDIAN, List.of(right, wrong));
        assertEquals(AddressSpace.Method.PT_LOAD, as.fastPath(good + 8).orElseThrow().method());
        assertFalse(as.fastPath(bogus + 8).isPresent());
        assertTrue(as.diagnostics().stream().anyMatch(d -> d.contains("PT_LOAD[2]")), as.diagnostics().toString());
        assertEquals(good, as.directMapBase().orElseThrow());
    }

    @Test
    void withoutVmcoreInfoOnlyPtLoadAddressesTranslate() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(1 << 16, ByteOrder.LITTLE_ENDIAN);
        ProgramHeader ph = new ProgramHeader(0, SegmentType.LOAD, Elf.PF_R, 0, 0xffff_8880_0000_0000L, 0, 1 << 16,
                1 << 16, 0);
        AddressSpace as = AddressSpace.of(mem.memory(4096), Optional.empty(), Machine.X86_64, ByteOrder.LITTLE_ENDIAN,
                List.of(ph));
        assertFalse(as.hasPageTables());
        assertEquals(0x10, as.toPhysical(0xffff_8880_0000_0010L));
        TranslationException e = assertThrows(TranslationException.class, () -> as.toPhysical(START));
        assertEquals(TranslationException.Kind.NO_TRANSLATION, e.kind());
    }

    // ---------------------------------------------------------------------------------------------
    // aarch64

    private static void armInfo(SyntheticMemory mem, ArmTables t, int vaBitsConfig, int t1sz) {
        long swapper = 0xffff_ffc0_1234_0000L;
        mem.info("OSRELEASE", "6.12.0-test").info("PAGESIZE", Integer.toString(1 << t.pageShift))
                .info("SYMBOL(swapper_pg_dir)", SyntheticMemory.hex(swapper))
                .info("NUMBER(VA_BITS)", Integer.toString(vaBitsConfig))
                .info("NUMBER(kimage_voffset)", "0x" + SyntheticMemory.hex(swapper - t.root));
        if (t1sz > 0) {
            mem.info("NUMBER(TCR_EL1_T1SZ)", "0x" + Integer.toHexString(t1sz));
        }
    }

    @ParameterizedTest(name = "{0}K granule, {1}-bit VA: {2} levels")
    @CsvSource({"4,39,3", "4,48,4", "4,52,5", "16,36,2", "16,47,3", "16,48,4", "16,52,4", "64,42,2", "64,48,3",
            "64,52,3"})
    void aarch64WalksEveryGranuleAndWidth(int granuleKib, int vaBits, int expectedLevels) throws IOException {
        int pageShift = Integer.numberOfTrailingZeros(granuleKib * 1024);
        SyntheticMemory mem = new SyntheticMemory(4 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = new ArmTables(mem, pageShift, vaBits);
        assertEquals(expectedLevels, t.levels, "test builder");
        armInfo(mem, t, vaBits, 64 - vaBits);
        long granule = 1L << pageShift;
        long kernelHalf = -(1L << (vaBits - 1));
        long pageVa = kernelHalf + 7 * granule;
        // with 52-bit output addresses the high bits travel in other descriptor bits (LPA / LPA2)
        long pagePa = vaBits == 52 ? 0x000d_5000_0000_0000L + 3 * granule : 0x0000_1234_5000_0000L + 3 * granule;
        t.map(pageVa, pagePa, 1);
        long blockVa = kernelHalf + 5 * t.blockSize(2);
        long blockPa = 9 * t.blockSize(2);
        t.map(blockVa, blockPa, 2);
        AddressSpace as = AddressSpace.of(mem.memory(4096), Optional.of(mem.vmcoreInfo()), new Machine(0),
                ByteOrder.LITTLE_ENDIAN, List.of());
        assertEquals(Machine.AARCH64, as.machine());
        assertTrue(as.paging().orElseThrow().endsWith(expectedLevels + " levels"), as.paging().orElseThrow());
        AddressSpace.Translation p = as.walk(pageVa + 0x123);
        assertEquals(pagePa + 0x123, p.physicalAddress());
        assertEquals(granule - 0x123, p.contiguousBytes());
        AddressSpace.Translation b = as.walk(blockVa + granule + 0x45);
        assertEquals(blockPa + granule + 0x45, b.physicalAddress());
        TranslationException e = assertThrows(TranslationException.class, () -> as.walk(pageVa + granule));
        assertEquals(TranslationException.Kind.NOT_MAPPED, e.kind());
        assertEquals("L3", e.level());
        TranslationException user = assertThrows(TranslationException.class, () -> as.walk(0x1000));
        assertEquals(TranslationException.Kind.NOT_KERNEL_ADDRESS, user.kind());
    }

    @Test
    void aarch64FiftyTwoBitKernelOnFortyEightBitHardwareShiftsPhysOffset() throws IOException {
        // as Linux 6.12 arm64 (VA_BITS=52, 4K, no LPA2): PAGE_OFFSET stays -(1 << 52), the linear map uses
        // [-(1 << 48), -(1 << 47)) and PHYS_OFFSET absorbs the difference (and the KASLR of the map)
        SyntheticMemory mem = new SyntheticMemory(4 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = new ArmTables(mem, 12, 48);
        armInfo(mem, t, 52, 16);
        long ramVa = 0xffff_5c29_8000_0000L;
        long ramPa = 0x4000_0000L;
        long physOffset = ramPa - (ramVa - -(1L << 52));
        mem.info("NUMBER(PHYS_OFFSET)", "0x" + SyntheticMemory.hex(physOffset))
                .info("SYMBOL(_stext)", "ffffb950e8610000");
        t.map(ramVa + 0x7000, ramPa + 0x7000, 1);
        AddressSpace as = mem.space(Machine.AARCH64, 4096);
        AddressSpace.Translation tr = as.translate(ramVa + 0x7123);
        assertEquals(AddressSpace.Method.DIRECT_MAP, tr.method());
        assertEquals(ramPa + 0x7123, tr.physicalAddress());
        assertEquals(tr.physicalAddress(), as.walk(ramVa + 0x7123).physicalAddress());
        assertEquals(ramVa - ramPa, as.directMapBase().orElseThrow());
    }

    @Test
    void aarch64FourKibFiftyTwoBitKernelOnFortyEightBitHardwareWalksFourLevels() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(4 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = new ArmTables(mem, 12, 48);
        armInfo(mem, t, 52, 16);
        long va = 0xffff_8000_0000_3000L;
        t.map(va, 0x4000_0000L, 1);
        AddressSpace as = mem.space(Machine.AARCH64, 4096);
        assertEquals("aarch64 4K granule, 48-bit VA, 4 levels", as.paging().orElseThrow());
        assertEquals(0x4000_0010L, as.walk(va + 0x10).physicalAddress());
    }

    @Test
    void aarch64SixtyFourKibUsesTheBuildWidthWithTheTtbr1Offset() throws IOException {
        SyntheticMemory mem = new SyntheticMemory(4 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = new ArmTables(mem, 16, 52);
        armInfo(mem, t, 52, 16); // a 52-bit kernel that fell back to 48 bits at boot
        long va = 0xffff_0000_0001_0000L;
        t.map(va, 0x0080_0000L, 1);
        AddressSpace as = mem.space(Machine.AARCH64, 65536);
        assertEquals("aarch64 64K granule, 52-bit VA, 3 levels", as.paging().orElseThrow());
        assertEquals(0x0080_0042L, as.walk(va + 0x42).physicalAddress());
    }

    @ParameterizedTest(name = "linear map in the lower half: {0}")
    @ValueSource(booleans = {true, false})
    void aarch64LinearMapBeforeAndAfterTheFiveFourFlip(boolean from54) throws IOException {
        SyntheticMemory mem = new SyntheticMemory(4 << 20, ByteOrder.LITTLE_ENDIAN);
        ArmTables t = new ArmTables(mem, 12, 48);
        armInfo(mem, t, 48, 16);
        long physOffset = 0x4000_0000L;
        mem.info("NUMBER(PHYS_OFFSET)", "0x" + SyntheticMemory.hex(physOffset));
        // 5.4+: image above PAGE_END (upper half), linear map from -(1 << 48); before: the reverse
        mem.info("SYMBOL(_stext)", from54 ? "ffff800008010000" : "ffff000008081000");
        long linear = from54 ? 0xffff_0000_0000_0000L : 0xffff_8000_0000_0000L;
        long other = from54 ? 0xffff_8000_0000_0000L : 0xffff_0000_0000_0000L;
        t.map(linear + 0x2000, physOffset + 0x2000, 1);
        AddressSpace as = mem.space(Machine.AARCH64, 4096);
        assertEquals(linear - physOffset, as.directMapBase().orElseThrow());
        AddressSpace.Translation tr = as.translate(linear + 0x2345);
        assertEquals(AddressSpace.Method.DIRECT_MAP, tr.method());
        assertEquals(physOffset + 0x2345, tr.physicalAddress());
        assertEquals(tr.physicalAddress(), as.walk(linear + 0x2345).physicalAddress());
        assertFalse(as.fastPath(other + 0x2345).isPresent());
    }
}
