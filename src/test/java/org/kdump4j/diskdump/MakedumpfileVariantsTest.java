package org.kdump4j.diskdump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.kernel.AddressSpace;
import org.kdump4j.kernel.KernelMappings;
import org.kdump4j.kernel.TranslationException;
import org.kdump4j.testing.CliRun;
import org.kdump4j.testing.ExternalTools;
import org.kdump4j.testing.TestData;
import org.kdump4j.testing.ToolOutputs;
import org.kdump4j.vmcore.DumpFormat;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;
import org.kdump4j.vmcore.VmcoreOptions;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;

/**
 * The makedumpfile outputs too large to commit (uncompressed pages, {@code -F} flattened, {@code --split}),
 * made here by the real makedumpfile from the committed {@code -d 31} ELF dump, read as the same memory as
 * the committed LZO file, and {@code -d 0} made from the committed full vmcore, read as that vmcore; {@code reassemble} of the real flattened stream equals {@code makedumpfile -R}.
 * And the other way: every committed x86_64 kdump-compressed or flattened dump converted to ELF is read by
 * {@code readelf}, {@code eu-readelf}, {@code gdb}, {@code vmcore-dmesg} and {@code makedumpfile} like
 * the ELF it was made from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MakedumpfileVariantsTest {
    private static final String STEM = "x86_64-6.1-kexec-c.d31";
    private Path dir;
    private MemoryDigest reference;
    private String makedumpfile;

    @BeforeAll
    void makeVariants() throws Exception {
        makedumpfile = ExternalTools.require("makedumpfile", "makedumpfile");
        dir = Path.of("target", "testdata", "makedumpfile");
        Files.createDirectories(dir);
        try (Vmcore v = Vmcore.open(TestData.dump(STEM + ".kdump-lzo"))) {
            reference = MemoryDigest.of(v.memory());
        }
        assertTrue(reference.pages() > 1000, reference.toString());
    }

    private Path make(String name, List<String> args) throws Exception {
        Path out = dir.resolve(name);
        Files.deleteIfExists(out);
        List<String> cmd = new java.util.ArrayList<>(List.of(makedumpfile));
        cmd.addAll(args);
        ExternalTools.Run r = ExternalTools.run(cmd);
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void uncompressedPagesReadAsTheSameMemory() throws Exception {
        String elf = TestData.dump(STEM + ".elf").toString();
        Path raw = make("uncompressed.kdump", List.of("-d", "31", elf, dir.resolve("uncompressed.kdump").toString()));
        try (Vmcore v = Vmcore.open(raw)) {
            assertEquals(DumpFormat.KDUMP_COMPRESSED, v.format());
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
    }

    /**
     * {@code -d 0} (no filtering) keeps every page: too big to commit (the guest's whole RAM, compressed), so
     * the real makedumpfile makes it here from the committed full vmcore; every RAM page must be present,
     * none excluded, and the memory must equal the vmcore's page for page (the same digest).
     */
    @Test
    void dumpLevelZeroKeepsEveryPageOfTheVmcore() throws Exception {
        Path vmcore = TestData.dump("x86_64-6.1-kexec-c.vmcore");
        Path d0 = make("d0.kdump-lzo", List.of("-l", "-d", "0", vmcore.toString(),
                dir.resolve("d0.kdump-lzo").toString()));
        try (Vmcore elf = Vmcore.open(vmcore); KdumpFile k = KdumpFile.open(d0); Vmcore v = Vmcore.open(d0)) {
            assertEquals(0, k.subHeader().dumpLevel().value());
            KdumpStatistics st = k.statistics();
            assertEquals(0, st.count(PageStatus.EXCLUDED), st.toString());
            assertEquals(0, st.count(PageStatus.LOST), st.toString());
            assertEquals(0, st.count(PageStatus.CORRUPT), st.toString());
            assertEquals(st.ramPages(), st.count(PageStatus.PRESENT), st.toString());
            MemoryDigest full = MemoryDigest.of(elf.memory());
            assertEquals(full, MemoryDigest.of(v.memory()));
            // every whole page the vmcore holds (its whole RAM, about 80,000 pages, not the -d 31 subset);
            // makedumpfile leaves out a page that a PT_LOAD covers only in part (here 0x9f000, cut at 0x9fc00)
            long ps = v.pageSize();
            long wholePages = 0;
            for (org.kdump4j.memory.MemoryRange r : elf.memory().ranges()) {
                wholePages += Math.max(0, Long.divideUnsigned(r.start() + r.size(), ps)
                        - Long.divideUnsigned(r.start() + ps - 1, ps));
            }
            assertEquals(wholePages, st.count(PageStatus.PRESENT), st.toString());
            assertTrue(st.count(PageStatus.PRESENT) > 50_000, st.toString());
        } finally {
            Files.deleteIfExists(d0); // hundreds of MB: not kept in target/
        }
    }

    @Test
    void splitPartsReadAsTheSameMemory() throws Exception {
        String elf = TestData.dump(STEM + ".elf").toString();
        Path p1 = dir.resolve("part1");
        Path p2 = dir.resolve("part2");
        Files.deleteIfExists(p1);
        Files.deleteIfExists(p2);
        make("part1", List.of("-l", "-d", "31", "--split", "--splitblock-size", "16384", elf, p1.toString(),
                p2.toString()));
        try (Vmcore v = Vmcore.open(List.of(p2, p1), VmcoreOptions.defaults())) {
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
    }

    @Test
    void flattenedStreamReadsInPlaceAndReassemblesLikeMakedumpfile() throws Exception {
        Path flat = dir.resolve("flat");
        ExternalTools.Run r = ExternalTools.run(List.of(makedumpfile, "-F", "-l", "-d", "31",
                TestData.dump(STEM + ".elf").toString()), Path.of("/dev/null"), flat);
        assertEquals(0, r.exit(), r.err());
        try (Vmcore v = Vmcore.open(flat)) {
            assertEquals(DumpFormat.FLATTENED, v.format());
            assertEquals(reference, MemoryDigest.of(v.memory()));
        }
        Path theirs = dir.resolve("reassembled-by-makedumpfile");
        Path ours = dir.resolve("reassembled-by-kdump4j");
        Files.deleteIfExists(theirs);
        Files.deleteIfExists(ours);
        ExternalTools.Run back = ExternalTools.run(List.of(makedumpfile, "-R", theirs.toString()), flat, null);
        assertEquals(0, back.exit(), back.err());
        Flattened.reassemble(flat, ours);
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
    }

    /** The committed x86_64 kdump-compressed and flattened dumps, and the ELF dump each was made from. */
    static List<String[]> convertible() {
        return List.of(new String[] {STEM + ".kdump-lzo", STEM + ".elf"},
                new String[] {STEM + ".kdump-zlib", STEM + ".elf"},
                new String[] {STEM + ".kdump-zstd", STEM + ".elf"},
                new String[] {"x86_64-6.1-qemu.kdump-zlib.flat", "x86_64-6.1-qemu.elf"});
    }

    /**
     * A kdump-compressed (or flattened) dump converted to ELF gets {@code /proc/vmcore}'s virtual addresses,
     * so {@code vmcore-dmesg}, which maps VMCOREINFO's symbols through {@code p_vaddr}, prints the log of the
     * dump's ELF original; {@code readelf} has nothing to say, {@code makedumpfile --dump-dmesg} and
     * {@code gdb} read it too, and where they overlap the segments agree with the real {@code /proc/vmcore}'s.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("convertible")
    void convertToElfIsReadByReadelfVmcoreDmesgMakedumpfileAndGdbLikeTheOriginal(String stem, String elfOrigin)
            throws Exception {
        Path source = TestData.dump(stem);
        Path elf = dir.resolve(stem + ".converted.elf");
        Files.deleteIfExists(elf);
        DumpWriter.Result r = DumpWriter.write(source, VmcoreOptions.defaults(), elf, DumpWriteOptions.defaults());
        assertEquals(List.of(), r.warnings());
        DumpWriter.VirtualAddresses va = r.virtualAddresses();
        assertEquals(DumpWriter.VirtualAddressSource.KERNEL, va.source());
        KernelMappings.ImageMapping image = va.kernelImage().orElseThrow();
        long base = va.directMapBase().orElseThrow();
        assertTrue(va.kernelImageSegments() > 0, va::toString);

        ExternalTools.Run readelf = ExternalTools.run(List.of(ExternalTools.require("readelf", "binutils"), "-a", "-W",
                elf.toString()));
        assertEquals(0, readelf.exit(), readelf.err());
        assertEquals("", readelf.err().strip(), "readelf warnings");
        assertFalse(readelf.out().toLowerCase(java.util.Locale.ROOT).contains("warning"), readelf.out());
        ExternalTools.Run eu = ExternalTools.run(List.of(ExternalTools.require("eu-readelf", "elfutils"), "-l", "-n",
                elf.toString()));
        assertEquals(0, eu.exit(), eu.err());
        assertEquals("", eu.err(), "eu-readelf warnings");

        List<ToolOutputs.ReadelfSegment> loads = ToolOutputs.readelfSegments(readelf.out()).stream()
                .filter(x -> x.type().equals("LOAD")).toList();
        List<ToolOutputs.ReadelfSegment> text = loads.stream().filter(x -> isKernelImage(x.vaddr())).toList();
        List<ToolOutputs.ReadelfSegment> ram = loads.stream().filter(x -> !isKernelImage(x.vaddr())).toList();
        assertEquals(va.kernelImageSegments(), text.size());
        assertEquals(loads.subList(0, text.size()), text, "kernel-image PT_LOADs first, as in /proc/vmcore");
        for (ToolOutputs.ReadelfSegment x : text) {
            assertEquals(image.virtualAddress(x.paddr()), x.vaddr());
            assertTrue(Long.compareUnsigned(x.paddr() + x.memsz(), image.physicalEnd()) <= 0, x::toString);
            assertEquals("RWE", x.flags());
            // its bytes are the RAM segment's: a RAM segment holds the same physical range at the same offset
            assertTrue(ram.stream().anyMatch(y -> y.paddr() <= x.paddr() && x.paddr() + x.filesz() <= y.paddr() + y.filesz()
                    && y.offset() + (x.paddr() - y.paddr()) == x.offset()), x::toString);
        }
        List<ToolOutputs.ReadelfSegment> unmapped = ram.stream().filter(y -> y.vaddr() == 0).toList();
        assertEquals(va.outsideDirectMap(), unmapped.size());
        assertTrue(unmapped.size() < ram.size() / 2 + 1, unmapped::toString);
        for (ToolOutputs.ReadelfSegment y : ram) {
            if (y.vaddr() != 0) {
                assertEquals(base + y.paddr(), y.vaddr(), y::toString);
            }
        }

        try (Vmcore in = Vmcore.open(source); Vmcore out = Vmcore.open(elf)) {
            assertEquals(MemoryDigest.of(in.memory()), MemoryDigest.of(out.memory()));
            // the crashed kernel's own page tables translate the new p_vaddrs to their p_paddrs
            AddressSpace space = AddressSpace.of(in);
            ToolOutputs.ReadelfSegment largest = ram.stream()
                    .max(java.util.Comparator.comparingLong(ToolOutputs.ReadelfSegment::memsz)).orElseThrow();
            for (ToolOutputs.ReadelfSegment x : List.of(text.getFirst(), text.getLast(), largest)) {
                assertEquals(x.paddr(), space.walk(x.vaddr()).physicalAddress(), x::toString);
            }
            for (ToolOutputs.ReadelfSegment y : unmapped) { // device memory the kernel never mapped there
                long pa = y.paddr();
                assertThrows(TranslationException.class, () -> space.walk(base + pa), y::toString);
            }
            AddressSpace written = AddressSpace.of(out);
            assertTrue(written.diagnostics().stream().noneMatch(d -> d.contains("ignored")), written.diagnostics()::toString);
            // gdb reads a kernel-image pointer (prb) and a direct-map one (mem_section) through the p_vaddrs
            VmcoreInfo info = in.vmcoreInfo().orElseThrow();
            long prb = info.symbol("prb").orElseThrow();
            long memSection = info.symbol("mem_section").orElseThrow();
            ExternalTools.Run gdb = ExternalTools.run(List.of(ExternalTools.require("gdb", "gdb"), "-batch", "-nx",
                    "-c", elf.toString(), "-ex", "x/gx 0x" + Long.toHexString(prb), "-ex",
                    "x/gx 0x" + Long.toHexString(memSection)));
            assertEquals(0, gdb.exit(), gdb.err());
            assertEquals(gdbWord(gdb.out(), prb), space.readU64(prb), gdb.out());
            assertEquals(gdbWord(gdb.out(), memSection), space.readU64(memSection), gdb.out());
        }

        // vmcore-dmesg: the committed reference of the ELF original (kexec), or, where vmcore-dmesg cannot read the
        // original (QEMU's ELF has p_vaddr = p_paddr), our vmcore-dmesg-identical log of it
        ExternalTools.Run vd = ExternalTools.run(List.of(ExternalTools.require("vmcore-dmesg", "kexec-tools"),
                elf.toString()));
        assertEquals(0, vd.exit(), vd.err());
        String expected = Files.isRegularFile(TestData.vmcores().resolve(elfOrigin + ".vmcore-dmesg.txt"))
                && !TestData.reference(elfOrigin, "vmcore-dmesg.txt").contains("[exit status")
                ? TestData.reference(elfOrigin, "vmcore-dmesg.txt") : ourDmesg(elfOrigin);
        assertTrue(expected.contains("KDUMP4J-MARKER"), expected);
        assertEquals(expected, vd.out());

        Path log = dir.resolve(stem + ".converted.dmesg");
        Files.deleteIfExists(log);
        ExternalTools.Run dmesg = ExternalTools.run(List.of(makedumpfile, "--dump-dmesg", elf.toString(),
                log.toString()));
        assertEquals(0, dmesg.exit(), dmesg.err());
        String expectedMakedumpfile = Files.isRegularFile(TestData.vmcores().resolve(elfOrigin + ".makedumpfile-dmesg.txt"))
                ? TestData.reference(elfOrigin, "makedumpfile-dmesg.txt") : ourDmesg(elfOrigin, "--makedumpfile");
        assertEquals(expectedMakedumpfile, Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1));

        if (stem.startsWith(STEM)) {
            agreesWithProcVmcore(text, ram, image);
        }
    }

    /**
     * Where they overlap, the converted segments translate like the real {@code /proc/vmcore}'s the dump was
     * made from: its kernel-text segment starts where the image mapping does, and every RAM segment has the
     * same virtual-to-physical offset as the {@code /proc/vmcore} RAM segment holding it.
     */
    private static void agreesWithProcVmcore(List<ToolOutputs.ReadelfSegment> text, List<ToolOutputs.ReadelfSegment> ram,
            KernelMappings.ImageMapping image) {
        List<ToolOutputs.ReadelfSegment> proc = ToolOutputs.readelfSegments(
                TestData.reference("x86_64-6.1-kexec-c.vmcore", "readelf.txt")).stream()
                .filter(x -> x.type().equals("LOAD")).toList();
        ToolOutputs.ReadelfSegment procText = proc.getFirst();
        assertTrue(isKernelImage(procText.vaddr()), procText::toString);
        assertEquals(procText.vaddr(), image.virtualStart());
        assertEquals(procText.paddr(), image.physicalStart());
        assertTrue(Long.compareUnsigned(image.virtualStart() + image.size(), procText.vaddr() + procText.memsz()) >= 0,
                "the image mapping covers /proc/vmcore's kernel text (to _end)");
        for (ToolOutputs.ReadelfSegment x : text) {
            if (Long.compareUnsigned(x.vaddr(), procText.vaddr() + procText.memsz()) < 0) {
                assertEquals(procText.vaddr() - procText.paddr(), x.vaddr() - x.paddr(), x::toString);
            }
        }
        for (ToolOutputs.ReadelfSegment y : ram) {
            ToolOutputs.ReadelfSegment holder = proc.stream().skip(1)
                    .filter(p -> p.paddr() <= y.paddr() && y.paddr() + y.memsz() <= p.paddr() + p.memsz()).findFirst()
                    .orElseThrow(() -> new AssertionError(y + " is in no /proc/vmcore RAM segment"));
            assertEquals(holder.vaddr() - holder.paddr(), y.vaddr() - y.paddr(), y::toString);
        }
    }

    private static boolean isKernelImage(long vaddr) {
        return Long.compareUnsigned(vaddr, AddressSpace.X86_64_START_KERNEL_MAP) >= 0;
    }

    private static String ourDmesg(String elfStem, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("dmesg"));
        args.addAll(List.of(options));
        args.add(TestData.dump(elfStem).toString());
        CliRun.Result run = CliRun.run(args);
        assertEquals(0, run.code(), run.err());
        return run.out();
    }

    /** The word gdb's {@code x/gx ADDR} printed for {@code address}. */
    private static long gdbWord(String out, long address) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^0x" + Long.toHexString(address)
                + "(?: <[^>]*>)?:\\s+0x([0-9a-f]+)$").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @Test
    void withoutKernelVirtualAddressesTheConvertedDumpIsLikeMakedumpfileE() throws Exception {
        Path elf = dir.resolve("converted-novaddr.elf");
        Files.deleteIfExists(elf);
        DumpWriter.Result r = DumpWriter.write(TestData.dump(STEM + ".kdump-lzo"), VmcoreOptions.defaults(), elf,
                DumpWriteOptions.defaults().withKernelVirtualAddresses(false));
        assertEquals(DumpWriter.VirtualAddressSource.ZERO, r.virtualAddresses().source());
        assertEquals(List.of(), r.warnings());
        try (Vmcore v = Vmcore.open(elf)) {
            assertTrue(v.elf().orElseThrow().loads().stream().allMatch(p -> p.virtualAddress() == 0));
            assertEquals(reference, MemoryDigest.of(v.memory()));
            assertEquals(v.memory().ranges().size(), v.elf().orElseThrow().loads().size(), "no kernel-image PT_LOADs");
        }
        // makedumpfile translates through VMCOREINFO; vmcore-dmesg finds no segment for the kernel's symbols
        Path log = dir.resolve("converted-novaddr.dmesg");
        Files.deleteIfExists(log);
        ExternalTools.Run dmesg = ExternalTools.run(List.of(makedumpfile, "--dump-dmesg", elf.toString(),
                log.toString()));
        assertEquals(0, dmesg.exit(), dmesg.err());
        assertEquals(TestData.reference(STEM + ".kdump-lzo", "makedumpfile-dmesg.txt"),
                Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1));
        ExternalTools.Run vd = ExternalTools.run(List.of(ExternalTools.require("vmcore-dmesg", "kexec-tools"),
                elf.toString()));
        assertEquals(30, vd.exit(), vd.out());
        assertTrue(vd.err().contains("No program header covering vaddr"), vd.err());
    }
}
