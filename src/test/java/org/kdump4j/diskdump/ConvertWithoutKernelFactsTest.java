package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.testing.CliRun;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;

/**
 * Converting a kdump-compressed dump whose kernel mappings cannot be derived (no VMCOREINFO at all, or an
 * architecture without a rule) still writes the memory, with {@code p_vaddr} 0 and no kernel-image
 * segment, and says why: in {@link DumpWriter.Result#warnings()} and on the CLI's stderr.
 */
class ConvertWithoutKernelFactsTest {
    @TempDir
    Path dir;

    private Path build(String name, KdumpBuilder b) throws Exception {
        SyntheticKdumpTest.populate(b, 7);
        Path p = dir.resolve(name);
        Files.write(p, b.build());
        return p;
    }

    private static void assertZeroVaddrs(Path in, Path out) throws Exception {
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
            List<ProgramHeader> loads = b.elf().orElseThrow().loads();
            assertFalse(loads.isEmpty());
            assertTrue(loads.stream().allMatch(p -> p.virtualAddress() == 0), loads::toString);
            assertEquals(a.memory().ranges().size(), loads.size(), "one PT_LOAD per range, no kernel-image PT_LOAD");
            assertEquals(MemoryDigest.of(a.memory()), MemoryDigest.of(b.memory()));
        }
    }

    @Test
    void noVmcoreInfoMeansZeroVaddrsAndAWarning() throws Exception {
        KdumpBuilder b = new KdumpBuilder();
        b.version = 2; // header version 2: no VMCOREINFO in the file
        Path in = build("noinfo.kdump", b);
        Path out = dir.resolve("noinfo.elf");
        DumpWriter.Result r = DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults());
        assertEquals(DumpWriter.VirtualAddressSource.KERNEL, r.virtualAddresses().source());
        assertTrue(r.virtualAddresses().directMapBase().isEmpty());
        assertTrue(r.virtualAddresses().kernelImage().isEmpty());
        assertEquals(0, r.virtualAddresses().kernelImageSegments());
        assertEquals(List.of("direct map unknown: the dump has no VMCOREINFO: RAM PT_LOADs get p_vaddr 0",
                "kernel image mapping unknown: the dump has no VMCOREINFO: no kernel-image PT_LOAD written"),
                r.warnings());
        assertZeroVaddrs(in, out);

        CliRun.Result cli = CliRun.run("convert", "--to", "elf", "--force", in.toString(), out.toString());
        assertEquals(0, cli.code(), cli.err());
        assertEquals("kdump4j convert: warning: " + r.warnings().get(0) + "\nkdump4j convert: warning: "
                + r.warnings().get(1) + "\n", cli.err());
        assertTrue(cli.out().contains("virtual addresses: RAM 0; kernel image none"), cli.out());
        CliRun.Result off = CliRun.run("convert", "--to", "elf", "--force", "--no-vaddr", in.toString(),
                out.toString());
        assertEquals(0, off.code(), off.err());
        assertEquals("", off.err(), "zero addresses asked for: nothing to warn about");
        assertFalse(off.out().contains("virtual addresses"), off.out());
        assertZeroVaddrs(in, out);
    }

    @Test
    void anArchitectureWithoutARuleMeansZeroVaddrsAndAWarning() throws Exception {
        KdumpBuilder b = new KdumpBuilder();
        b.order = ByteOrder.BIG_ENDIAN;
        b.machine = "s390x";
        b.vmcoreInfo = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nSYMBOL(_stext)=100000\nCRASHTIME=1764196000\n";
        Path in = build("s390x.kdump", b);
        Path out = dir.resolve("s390x.elf");
        DumpWriter.Result r = DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults());
        assertEquals(2, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith("direct map unknown: no rule for s390"), r.warnings()::toString);
        assertTrue(r.warnings().get(1).startsWith("kernel image mapping unknown: no rule for s390"),
                r.warnings()::toString);
        assertZeroVaddrs(in, out);
    }

    @Test
    void aCorruptPageTablePageFailsTheConversionWithATypedErrorAndNoOutput() throws Exception {
        KdumpBuilder b = new KdumpBuilder();
        b.physBase = 0;
        // the top-level page table is page frame 10 (phys_base 0), whose stored data does not decode: the
        // page cannot be copied either, so the conversion must fail as a whole, naming the page and file
        b.vmcoreInfo = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nSYMBOL(init_top_pgt)=ffffffff8000a000\n"
                + "SYMBOL(_stext)=ffffffff81000000\nNUMBER(phys_base)=0\nCRASHTIME=1764196000\n";
        SyntheticKdumpTest.populate(b, 7);
        byte[] page = new byte[4096];
        java.util.Arrays.fill(page, (byte) 7);
        b.page(10, page, Compression.ZLIB, new byte[] {1, 2, 3, 4, 5});
        Path in = dir.resolve("unreadable-tables.kdump");
        Files.write(in, b.build());
        Path out = dir.resolve("unreadable-tables.elf");
        PageUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(PageUnavailableException.class,
                () -> DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults()));
        assertEquals(PageStatus.CORRUPT, e.status());
        assertTrue(e.getMessage().contains(in.toString()) && e.getMessage().contains("page 0xa is corrupt"),
                e.getMessage());
        assertFalse(Files.exists(out), "no output, not even a partial one");
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(in), left.toList(), "no temporary file left behind");
        }
    }

    @Test
    void x86WithoutPageTableSymbolsMeansZeroVaddrsAndSaysWhatIsMissing() throws Exception {
        KdumpBuilder b = new KdumpBuilder(); // VMCOREINFO with OSRELEASE, PAGESIZE and CRASHTIME only
        Path in = build("bare.kdump", b);
        Path out = dir.resolve("bare.elf");
        DumpWriter.Result r = DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults());
        Map<Boolean, List<String>> byKind = r.warnings().stream()
                .collect(java.util.stream.Collectors.partitioningBy(w -> w.startsWith("direct map unknown")));
        assertEquals(1, byKind.get(true).size(), r.warnings()::toString);
        assertTrue(byKind.get(true).getFirst().contains("SYMBOL(init_top_pgt)"), r.warnings()::toString);
        assertEquals(1, byKind.get(false).size(), r.warnings()::toString);
        assertTrue(byKind.get(false).getFirst().startsWith("kernel image mapping unknown: no page tables"),
                r.warnings()::toString);
        assertZeroVaddrs(in, out);
    }
}
