package org.kdump4j.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.elf.CoreNote;
import org.kdump4j.elf.CoreSegment;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.ElfCoreModel;
import org.kdump4j.elf.ElfCoreWriter;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.elf.SegmentType;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/** {@link DumpWriter} and {@link AtomicOutput} on the real dumps: faithful copies, zero pages, safety. */
class DumpWriterTest {
    static final String VMCORE = "x86_64-6.1-kexec-c.vmcore";
    static final String D31 = "x86_64-6.1-kexec-c.d31.elf";

    @TempDir
    Path dir;

    record Load(long paddr, long vaddr, long memsz, long filesz, int flags) {
        static Load of(ProgramHeader p) {
            return new Load(p.physicalAddress(), p.virtualAddress(), p.memorySize(), p.fileSize(), p.flags());
        }
    }

    static List<Load> loads(Vmcore v) {
        return v.elf().orElseThrow().loads().stream().map(Load::of).toList();
    }

    static void assertSameDump(Vmcore original, Vmcore copy) throws IOException {
        assertEquals(original.notes().stream().map(CoreNote::of).toList(), copy.notes().stream().map(CoreNote::of).toList());
        assertEquals(original.cpus().stream().map(c -> c.registers()).toList(),
                copy.cpus().stream().map(c -> c.registers()).toList());
        assertEquals(original.machine(), copy.machine());
        assertEquals(original.memory().ranges(), copy.memory().ranges());
        assertEquals(MemoryDigest.of(original.memory()), MemoryDigest.of(copy.memory()));
    }

    List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(AtomicOutput.PARTIAL_SUFFIX)).toList();
        }
    }

    @Test
    void aCopyOfTheRealVmcoreHasItsSegmentsNotesAndMemory() throws IOException {
        Path in = TestData.dump(VMCORE);
        Path out = dir.resolve("copy.vmcore");
        DumpWriter.Result r = DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults());
        assertEquals(Files.size(out), r.size());
        assertEquals(DumpWriter.VirtualAddressSource.INPUT, r.virtualAddresses().source(), "an ELF keeps its p_vaddr");
        assertEquals(List.of(), r.warnings());
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
            assertEquals(loads(a), loads(b));
            assertSameDump(a, b);
            ProgramHeader note = b.elf().orElseThrow().programHeaders().getFirst();
            assertTrue(note.isNote());
            assertEquals(1, b.elf().orElseThrow().programHeaders().stream().filter(ProgramHeader::isNote).count());
            for (ProgramHeader p : b.elf().orElseThrow().loads()) {
                assertEquals(0, p.offset() % 4096, "page-aligned data");
            }
        }
        assertEquals(List.of(), leftovers());
    }

    @Test
    void excludingZeroPagesKeepsTheMemoryAndShrinksTheFile() throws IOException {
        Path in = TestData.dump(VMCORE);
        Path out = dir.resolve("z.vmcore");
        long[] scanned = {0};
        DumpWriter.Result r = DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults()
                .withExcludeZeroPages(true).withProgress((phase, done, total) -> {
                    if (phase == WriteProgress.Phase.SCAN) {
                        scanned[0] = done;
                    }
                }));
        assertTrue(r.zeroBytesLeftOut() > 0);
        assertTrue(Files.size(out) < Files.size(in) / 2, "the dump is mostly zero pages");
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
            assertSameDump(a, b);
            assertEquals(a.elf().orElseThrow().loads().stream().mapToLong(ProgramHeader::fileSize).sum(), scanned[0]);
            assertTrue(b.elf().orElseThrow().loads().stream().anyMatch(p -> p.fileSize() < p.memorySize()));
            assertTrue(b.elf().orElseThrow().loads().size() > a.elf().orElseThrow().loads().size(), "split segments");
            long stored = b.elf().orElseThrow().loads().stream().mapToLong(ProgramHeader::fileSize).sum();
            assertEquals(a.elf().orElseThrow().loads().stream().mapToLong(ProgramHeader::fileSize).sum(),
                    stored + r.zeroBytesLeftOut());
            // every byte of every segment reads the same, including the left-out zeros
            byte[] x = new byte[1 << 20];
            byte[] y = new byte[1 << 20];
            for (MemoryRange range : a.memory().ranges()) {
                for (long at = range.start(); at < range.end(); at += x.length) {
                    int n = (int) Math.min(x.length, range.end() - at);
                    a.memory().read(at, x, 0, n);
                    b.memory().read(at, y, 0, n);
                    assertTrue(java.util.Arrays.equals(x, 0, n, y, 0, n), "bytes at 0x" + Long.toHexString(at));
                }
            }
        }
    }

    @Test
    void aMakedumpfileElfWithShortSegmentsRoundTripsWithAndWithoutZeroPages() throws IOException {
        Path in = TestData.dump(D31);
        for (boolean exclude : new boolean[] {false, true}) {
            Path out = dir.resolve("d31-" + exclude);
            DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults().withExcludeZeroPages(exclude)
                    .withMinZeroRunPages(1));
            try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
                if (!exclude) {
                    assertEquals(loads(a), loads(b));
                }
                assertSameDump(a, b);
            }
        }
    }

    @Test
    void aRawOldmemImageBecomesAnElfVmcoreWithTheSameMemory() throws Exception {
        Path in = TestData.dump("x86_64-6.1-kexec-c.oldmem");
        List<MemoryRange> ram = org.kdump4j.boot.Iomem.parse(Files.readString(TestData.file(
                "x86_64-6.1-kexec-c.oldmem.iomem"))).systemRam().stream()
                .map(x -> MemoryRange.ofInclusive(x.start(), x.end())).toList();
        VmcoreOptions raw = VmcoreOptions.defaults().withRaw(ram);
        Path out = dir.resolve("oldmem.elf");
        DumpWriter.write(in, raw, out, DumpWriteOptions.defaults().withMachine(Machine.X86_64));
        try (Vmcore a = Vmcore.open(in, raw); Vmcore b = Vmcore.open(out)) {
            assertEquals(Machine.X86_64, b.machine());
            assertEquals(a.memory().ranges(), b.memory().ranges());
            assertEquals(MemoryDigest.of(a.memory()), MemoryDigest.of(b.memory()));
        }
        // through the generic path (an open Vmcore, reads through its byte source) too
        Path out2 = dir.resolve("oldmem2.elf");
        try (Vmcore a = Vmcore.open(in, raw)) {
            DumpWriter.write(a, out2, DumpWriteOptions.defaults().withExcludeZeroPages(true));
            try (Vmcore b = Vmcore.open(out2)) {
                assertEquals(MemoryDigest.of(a.memory()), MemoryDigest.of(b.memory()));
            }
        }
    }

    @Test
    void anExistingFileIsNotOverwrittenUnlessAsked() throws IOException {
        Path in = TestData.dump(D31);
        Path out = dir.resolve("exists");
        Files.writeString(out, "precious");
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults()));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertEquals("precious", Files.readString(out));
        assertThrows(OutputExistsException.class, () -> DumpWriter.copy(in, out, DumpWriteOptions.defaults()));
        assertThrows(OutputExistsException.class, () -> AtomicOutput.write(out, false, ch -> ch.write(
                ByteBuffer.wrap(new byte[1]))));
        assertEquals("precious", Files.readString(out));
        DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults().withOverwrite(true));
        try (Vmcore v = Vmcore.open(out)) {
            assertTrue(v.elf().isPresent());
        }
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFileAppearingWhileWritingIsNotReplaced() throws IOException {
        Path out = dir.resolve("race");
        assertThrows(OutputExistsException.class, () -> AtomicOutput.write(out, false, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            Files.writeString(out, "someone else's");
        }));
        assertEquals("someone else's", Files.readString(out));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFailingProgressCallbackLeavesNoFileAndNoTemporaryFile() throws IOException {
        Path in = TestData.dump(VMCORE);
        Path out = dir.resolve("failed.vmcore");
        IOException e = assertThrows(IOException.class, () -> DumpWriter.write(in, VmcoreOptions.defaults(), out,
                DumpWriteOptions.defaults().withProgress((phase, done, total) -> {
                    if (done > 100 << 20) {
                        assertTrue(leftovers().size() == 1, "writing into a temporary file");
                        throw new IOException("injected failure at " + done);
                    }
                })));
        assertTrue(e.getMessage().startsWith("injected failure"), e.getMessage());
        assertFalse(Files.exists(out));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFailingSourceLeavesNoFileAndNoTemporaryFile() {
        Path out = dir.resolve("failed.core");
        ElfCoreModel model = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(),
                List.of(new CoreSegment(SegmentType.LOAD, 7, 0, 0, 64 << 20, 64 << 20, 0, new CoreSegment.Streamed(o -> {
                    o.writeZeros(32 << 20);
                    throw new IOException("disk on fire");
                }))));
        IOException e = assertThrows(IOException.class, () -> AtomicOutput.write(out, false,
                ch -> ElfCoreWriter.plan(model).write(ch, ElfCoreWriter.Progress.NONE)));
        assertEquals("disk on fire", e.getMessage());
        assertFalse(Files.exists(out));
        assertDoesNotLeave();
    }

    private void assertDoesNotLeave() {
        try {
            assertEquals(List.of(), leftovers());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void saveCopiesByteForByteAndRefusesNonDumps() throws IOException {
        Path in = TestData.dump(D31);
        Path out = dir.resolve("saved");
        DumpWriter.Result r = DumpWriter.copy(in, out, DumpWriteOptions.defaults());
        assertEquals(Files.size(in), r.size());
        assertEquals(-1, Files.mismatch(in, out));
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5});
        assertThrows(DumpFormatException.class, () -> DumpWriter.copy(junk, dir.resolve("junk-copy"),
                DumpWriteOptions.defaults()));
        assertFalse(Files.exists(dir.resolve("junk-copy")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void outputIsPrivateToItsOwner() throws IOException {
        Path out = dir.resolve("private");
        AtomicOutput.write(out, false, ch -> ch.write(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(out));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(out));
    }

    @Test
    void aKdumpCompressedDumpBecomesAnElfVmcoreWithTheSameMemory() throws IOException {
        Path in = TestData.dump("x86_64-6.1-kexec-c.d31.kdump-zlib");
        Path out = dir.resolve("from-kdump.vmcore");
        DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults().withExcludeZeroPages(true));
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
            assertEquals(org.kdump4j.vmcore.DumpFormat.ELF, b.format());
            assertSameDump(a, b);
        }
    }

    @Test
    void theRealI386Elf32VmcoreStaysElf32() throws IOException {
        Path in = TestData.dump("i386-6.1-kexec-c-elf32.vmcore");
        Path out = dir.resolve("i386.vmcore");
        DumpWriter.write(in, VmcoreOptions.defaults(), out, DumpWriteOptions.defaults());
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(out)) {
            assertEquals(ElfClass.ELF32, b.elf().orElseThrow().header().elfClass());
            assertEquals(Machine.I386, b.machine());
            assertEquals(loads(a), loads(b));
            assertSameDump(a, b);
        }
    }
}
