package org.kdump4j.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.elf.CoreNote;
import org.kdump4j.elf.CoreSegment;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.ElfCoreModel;
import org.kdump4j.elf.ElfCoreWriter;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.NoteType;
import org.kdump4j.elf.SegmentType;
import org.kdump4j.testing.ExternalTools;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/**
 * External oracles on the files the writer makes: {@code readelf -a -W} and {@code eu-readelf -n} without a
 * warning, {@code gdb} reading CPU 0's registers from {@code NT_PRSTATUS}, and {@code vmcore-dmesg} and
 * {@code makedumpfile --dump-dmesg} printing exactly what they print for the original vmcore.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WriteOracleTest {
    @TempDir
    static Path dir;
    Path original;
    Path copy;
    Path noZeros;
    final List<Path> synthetic = new ArrayList<>();

    @BeforeAll
    void write() throws IOException {
        original = TestData.dump("x86_64-6.1-kexec-c.vmcore");
        copy = dir.resolve("copy.vmcore");
        noZeros = dir.resolve("nozero.vmcore");
        DumpWriter.write(original, VmcoreOptions.defaults(), copy, DumpWriteOptions.defaults());
        DumpWriter.write(original, VmcoreOptions.defaults(), noZeros,
                DumpWriteOptions.defaults().withExcludeZeroPages(true));
        synthetic.add(synthetic(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, Machine.I386, 144, 5));
        synthetic.add(synthetic(ElfClass.ELF32, ByteOrder.BIG_ENDIAN, Machine.PPC, 144, 5));
        synthetic.add(synthetic(ElfClass.ELF64, ByteOrder.BIG_ENDIAN, Machine.S390, 336, 5));
        synthetic.add(synthetic(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, 336, 70000));
        synthetic.add(synthetic(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, Machine.I386, 144, 70000));
        synthetic.add(synthetic(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.AARCH64, 392, 7));
        synthetic.add(synthetic(ElfClass.ELF64, ByteOrder.BIG_ENDIAN, Machine.PPC64, 504, 7));
        // (not EM_ARM: readelf -a exits 1 without a message on any EM_ARM file without section headers)
    }

    Path synthetic(ElfClass cls, ByteOrder order, Machine m, int prstatus, int segments) throws IOException {
        Random r = new Random(segments);
        byte[] pr = new byte[prstatus];
        r.nextBytes(pr);
        byte[] info = "OSRELEASE=6.1.0\nPAGESIZE=4096\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        List<CoreSegment> segs = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            byte[] data = new byte[i % 3 == 0 ? 4096 : 100];
            r.nextBytes(data);
            segs.add(new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, i % 2 == 0 ? 0 : 0xc0000000L + i * 8192L,
                    i * 8192L, data.length, 8192, 0, new CoreSegment.Bytes(data)));
        }
        ElfCoreModel model = ElfCoreModel.of(cls, order, m, List.of(CoreNote.of("CORE", NoteType.NT_PRSTATUS, pr),
                CoreNote.of("VMCOREINFO", 0, info)), segs);
        Path p = dir.resolve(String.format(Locale.ROOT, "synthetic-%s-%s-%s-%d", cls, order, m, segments));
        AtomicOutput.write(p, false, ch -> ElfCoreWriter.plan(model, 4096).write(ch, ElfCoreWriter.Progress.NONE));
        return p;
    }

    List<Path> all() {
        List<Path> l = new ArrayList<>(List.of(copy, noZeros));
        l.addAll(synthetic);
        return l;
    }

    @Test
    void readelfReadsEveryWrittenFileWithoutAWarning() throws Exception {
        String readelf = ExternalTools.require("readelf", "binutils");
        for (Path p : all()) {
            ExternalTools.Run r = ExternalTools.run(List.of(readelf, "-a", "-W", p.toString()));
            assertEquals(0, r.exit(), () -> p + ": " + r.err());
            long phnum = phnum(p);
            String err = r.err();
            if (phnum >= 0xffff) {
                // binutils 2.40 warns about section 0's sh_info on every PN_XNUM file, because it compares it with
                // e_phnum after replacing e_phnum by sh_info; the gABI puts the count exactly there
                // (makedumpfile writes the same). That one line is expected; nothing else may appear.
                err = err.replace("readelf: Warning: [ 0]: Unexpected value (" + phnum + ") in info field.\n", "");
                assertTrue(Pattern.compile("Number of program headers:\\s+65535 \\(" + phnum + "\\)").matcher(r.out()).find(),
                        p::toString);
            }
            String e2 = err;
            assertEquals("", e2, () -> p + ": readelf complained");
            assertFalse(r.out().toLowerCase(Locale.ROOT).contains("warning"), () -> p + ": " + r.out());
            assertTrue(r.out().contains("CORE (Core file)"), p::toString);
            assertTrue(r.out().contains("NT_PRSTATUS"), p::toString);
        }
    }

    @Test
    void euReadelfReadsEveryNoteWithoutAWarning() throws Exception {
        String eu = ExternalTools.require("eu-readelf", "elfutils");
        for (Path p : all()) {
            ExternalTools.Run r = ExternalTools.run(List.of(eu, "-n", p.toString()));
            assertEquals(0, r.exit(), () -> p + ": " + r.err());
            assertEquals("", r.err(), () -> p + ": eu-readelf complained");
            if (phnum(p) >= 0xffff) {
                // with PN_XNUM there is a section header (section 0), and eu-readelf -n then reads SHT_NOTE
                // sections only, of which there are none: it prints nothing, and warns about nothing
                continue;
            }
            assertTrue(r.out().contains("VMCOREINFO"), p::toString);
            assertTrue(r.out().contains("CORE"), p::toString);
            assertTrue(r.out().contains("PRSTATUS"), p::toString);
        }
    }

    @Test
    void gdbReadsCpuZerosRegistersFromTheWrittenCore() throws Exception {
        String gdb = ExternalTools.require("gdb", "gdb");
        long rip;
        long rsp;
        try (Vmcore v = Vmcore.open(original)) {
            rip = v.cpus().getFirst().programCounter().orElseThrow();
            rsp = v.cpus().getFirst().register("rsp").orElseThrow();
        }
        for (Path p : List.of(copy, noZeros)) {
            ExternalTools.Run r = ExternalTools.run(List.of(gdb, "-batch", "-nx", "-ex", "info registers", "-c",
                    p.toString()));
            assertEquals(0, r.exit(), r::err);
            assertEquals(rip, register(r.out(), "rip"), r::out);
            assertEquals(rsp, register(r.out(), "rsp"), r::out);
        }
    }

    static long phnum(Path p) throws IOException {
        try (org.kdump4j.io.ByteSource s = org.kdump4j.io.ByteSource.open(p)) {
            return org.kdump4j.elf.ElfCore.read(s).header().programHeaderCount();
        }
    }

    static long register(String gdbOut, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\s+0x(\\p{XDigit}+)").matcher(gdbOut);
        assertTrue(m.find(), () -> "gdb printed no " + name + ":\n" + gdbOut);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @Test
    void vmcoreDmesgPrintsTheSameLogAsForTheOriginal() throws Exception {
        String tool = ExternalTools.require("vmcore-dmesg", "kexec-tools");
        ExternalTools.Run expected = ExternalTools.run(List.of(tool, original.toString()));
        assertEquals(0, expected.exit(), expected::err);
        assertTrue(expected.out().lines().count() > 100, "a real kernel log");
        for (Path p : List.of(copy, noZeros)) {
            ExternalTools.Run r = ExternalTools.run(List.of(tool, p.toString()));
            assertEquals(0, r.exit(), r::err);
            assertEquals(expected.out(), r.out(), p::toString);
        }
    }

    @Test
    void vmcoreDmesgReadsTheWrittenI386Elf32Copy() throws Exception {
        String tool = ExternalTools.require("vmcore-dmesg", "kexec-tools");
        Path in = TestData.dump("i386-6.1-kexec-c-elf32.vmcore");
        Path out = dir.resolve("i386-copy.vmcore");
        DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults().withExcludeZeroPages(true));
        ExternalTools.Run expected = ExternalTools.run(List.of(tool, in.toString()));
        ExternalTools.Run got = ExternalTools.run(List.of(tool, out.toString()));
        assertEquals(0, expected.exit(), expected::err);
        assertTrue(expected.out().lines().count() > 100);
        assertEquals(expected.out(), got.out());
        String readelf = ExternalTools.require("readelf", "binutils");
        ExternalTools.Run r = ExternalTools.run(List.of(readelf, "-a", "-W", out.toString()));
        assertEquals(0, r.exit());
        assertEquals("", r.err());
        assertTrue(r.out().contains("ELF32"));
    }

    @Test
    void vmcoreDmesgReadsAConvertedOldmemImageThroughTheVmcoreinfoNoteFoundInMemory() throws Exception {
        String tool = ExternalTools.require("vmcore-dmesg", "kexec-tools");
        Path in = TestData.dump("x86_64-6.1-kexec-c.oldmem");
        List<org.kdump4j.memory.MemoryRange> ram = org.kdump4j.boot.Iomem.parse(java.nio.file.Files.readString(
                TestData.file("x86_64-6.1-kexec-c.oldmem.iomem"))).systemRam().stream()
                .map(x -> org.kdump4j.memory.MemoryRange.ofInclusive(x.start(), x.end())).toList();
        VmcoreOptions raw = VmcoreOptions.defaults().withRaw(ram);
        Path out = dir.resolve("oldmem-with-info.elf");
        DumpWriter.Result result = DumpWriter.write(in, raw, out, DumpWriteOptions.defaults()
                .withMachine(org.kdump4j.elf.Machine.X86_64).withExcludeZeroPages(true));
        assertTrue(result.vmcoreInfoFromMemory(), result::toString);
        try (org.kdump4j.vmcore.Vmcore a = org.kdump4j.vmcore.Vmcore.open(in, raw);
                org.kdump4j.vmcore.Vmcore b = org.kdump4j.vmcore.Vmcore.open(out)) {
            // the note holds exactly the text the scan finds in the image's memory
            assertEquals(org.kdump4j.kernel.VmcoreInfoScan.of(a).orElseThrow().entries(),
                    b.vmcoreInfo().orElseThrow().entries());
        }
        // the oldmem image was cut from the -d 31 ELF, whose vmcore-dmesg output is committed
        String expected = java.nio.file.Files.readString(TestData.file("x86_64-6.1-kexec-c.d31.elf.vmcore-dmesg.txt"),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        ExternalTools.Run r = ExternalTools.run(List.of(tool, out.toString()));
        assertEquals(0, r.exit(), r::err);
        assertEquals(expected, r.out());
        // without kernel virtual addresses nothing is added: the output stays a plain memory image
        Path plain = dir.resolve("oldmem-plain.elf");
        DumpWriter.Result p = DumpWriter.write(in, raw, plain, DumpWriteOptions.defaults()
                .withMachine(org.kdump4j.elf.Machine.X86_64).withExcludeZeroPages(true)
                .withKernelVirtualAddresses(false));
        assertFalse(p.vmcoreInfoFromMemory());
        try (org.kdump4j.vmcore.Vmcore b = org.kdump4j.vmcore.Vmcore.open(plain)) {
            assertTrue(b.vmcoreInfo().isEmpty());
        }
    }

    @Test
    void makedumpfileDumpsTheSameLogAsForTheOriginal() throws Exception {
        String tool = ExternalTools.require("makedumpfile", "makedumpfile");
        byte[] expected = null;
        for (Path p : List.of(original, copy, noZeros)) {
            Path log = dir.resolve("dmesg-" + p.getFileName());
            ExternalTools.Run r = ExternalTools.run(List.of(tool, "--dump-dmesg", p.toString(), log.toString()));
            assertEquals(0, r.exit(), () -> r.out() + r.err());
            byte[] got = Files.readAllBytes(log);
            if (expected == null) {
                expected = got;
                assertTrue(got.length > 10_000);
            } else {
                assertEquals(new String(expected, java.nio.charset.StandardCharsets.ISO_8859_1),
                        new String(got, java.nio.charset.StandardCharsets.ISO_8859_1), p::toString);
            }
        }
    }

    @Test
    void theSyntheticFilesAreWhatTheyClaim() throws IOException {
        for (Path p : synthetic) {
            try (FileChannel ch = FileChannel.open(p)) {
                assertTrue(ch.size() > 4096);
            }
        }
    }
}
