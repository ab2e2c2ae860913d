package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kdump4j.io.ByteSource;

/** {@link ElfCoreWriter}: plan-then-write, read back with {@link ElfCore} in every class and byte order. */
class ElfCoreWriterTest {
    @TempDir
    Path dir;

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static ElfCoreModel sample(ElfClass cls, ByteOrder order) {
        List<CoreNote> notes = List.of(CoreNote.of("CORE", NoteType.NT_PRSTATUS, bytes(336, 1)),
                CoreNote.of("CORE", NoteType.NT_PRSTATUS, bytes(13, 2)), CoreNote.of("VMCOREINFO", 0, bytes(3301, 3)),
                CoreNote.of("", 7, new byte[0]));
        List<CoreSegment> segs = List.of(
                new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0xc0001000L, 0x1000, 5000, 5000, 0,
                        new CoreSegment.Bytes(bytes(5000, 4))),
                new CoreSegment(SegmentType.LOAD, Elf.PF_R, 0, 0x100000, 4096, 3 * 4096, 4096,
                        new CoreSegment.Streamed(out -> {
                            out.write(ByteBuffer.wrap(bytes(1000, 5)));
                            out.writeZeros(96);
                            out.write(java.lang.foreign.MemorySegment.ofArray(bytes(3000, 6)));
                        })),
                new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, -1L, -1L, 0, 8192, 0, new CoreSegment.Bytes(new byte[0])),
                // an elfcorehdr-style PT_NOTE pointing outside the file (p_filesz 0 so the reader does not read it)
                new CoreSegment(SegmentType.NOTE, 0, 0, 0x1f03a400L, 0, 368, 0, new CoreSegment.At(0x1f03a400L)),
                CoreSegment.loadAt(0x9000, 0xc0009000L, 0x9000, 0x1000),
                new CoreSegment(new SegmentType(0x6000_0003), 0, 1, 2, 3, 3, 1, new CoreSegment.Bytes(bytes(3, 7))),
                // a kernel-text style alias of part of segment 0, and one of segment 1's bytes ending in its zero tail
                new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0xc1000000L, 0x1000 + 1000, 2000, 2000, 0,
                        new CoreSegment.SharedWith(0, 1000)),
                new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0xc2000000L, 0x100000 + 4000, 96, 4096, 0,
                        new CoreSegment.SharedWith(1, 4000)));
        return new ElfCoreModel(cls, order, new Machine(cls == ElfClass.ELF32 ? 3 : 62), 0x5a, notes, segs);
    }

    @ParameterizedTest
    @CsvSource({"ELF32,LITTLE_ENDIAN", "ELF32,BIG_ENDIAN", "ELF64,LITTLE_ENDIAN", "ELF64,BIG_ENDIAN"})
    void roundTripsEveryClassAndByteOrder(ElfClass cls, String orderName) throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ElfCoreModel model = sample(cls, order);
        ElfCoreWriter w = ElfCoreWriter.plan(model, 4096);
        Path f = dir.resolve("core");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            w.write(ch, ElfCoreWriter.Progress.NONE);
        }
        byte[] file = Files.readAllBytes(f);
        assertEquals(w.size(), file.length);
        assertArrayEquals(file, w.toByteArray(), "file and array writes agree");
        checkRoundTrip(model, w, file);
    }

    /** Everything the model says is what the reader reads back. */
    static void checkRoundTrip(ElfCoreModel model, ElfCoreWriter w, byte[] file) throws IOException {
        ElfCore core = ElfCore.read(ByteSource.of("written", file));
        ElfHeader h = core.header();
        assertEquals(model.elfClass(), h.elfClass());
        assertEquals(model.byteOrder(), h.byteOrder());
        assertEquals(model.machine(), h.machine());
        assertEquals(Elf.ET_CORE, h.type());
        assertEquals(model.flags() & 0xffffffffL, h.flags());
        assertEquals(model.elfClass().headerSize(), h.headerSize());
        assertEquals(model.elfClass().headerSize(), h.programHeaderOffset());
        assertEquals(model.programHeaderCount(), h.programHeaderCount());
        assertEquals(model.programHeaderCount() >= 0xffff, h.usesExtendedNumbering());
        assertEquals(w.programHeaders(), core.programHeaders());
        int first = model.notes().isEmpty() ? 0 : 1;
        if (first == 1) {
            ProgramHeader n = core.programHeaders().getFirst();
            assertTrue(n.isNote());
            assertEquals(0, n.offset() % 4, "notes 4-aligned");
            assertEquals(model.notes(), core.notes().stream().map(CoreNote::of).toList());
        }
        for (int i = 0; i < model.segments().size(); i++) {
            CoreSegment s = model.segments().get(i);
            ProgramHeader p = core.programHeaders().get(first + i);
            assertEquals(s.type(), p.type());
            assertEquals(s.flags(), p.flags());
            assertEquals(widen(model, s.virtualAddress()), p.virtualAddress());
            assertEquals(widen(model, s.physicalAddress()), p.physicalAddress());
            assertEquals(s.fileSize(), p.fileSize());
            assertEquals(s.memorySize(), p.memorySize());
            assertEquals(s.align(), p.align());
            if (s.content() instanceof CoreSegment.At at) {
                assertEquals(at.offset(), p.offset());
            } else if (s.content() instanceof CoreSegment.Bytes b) {
                assertArrayEquals(b.bytes(), java.util.Arrays.copyOfRange(file, (int) p.offset(),
                        (int) (p.offset() + p.fileSize())));
            } else if (s.content() instanceof CoreSegment.SharedWith sw) {
                ProgramHeader target = core.programHeaders().get(first + sw.segment());
                assertEquals(target.offset() + sw.offset(), p.offset(), "inside the shared segment's bytes");
                assertTrue(Long.compareUnsigned(sw.offset() + p.fileSize(), target.fileSize()) <= 0);
            }
        }
    }

    /** ELF32 writes "no address" (all ones) as 0xffffffff. */
    static long widen(ElfCoreModel m, long v) {
        return m.elfClass() == ElfClass.ELF32 && v == -1L ? 0xffffffffL : v;
    }

    @Test
    void streamedSegmentBytesLandAtTheirOffset() throws IOException {
        ElfCoreModel model = sample(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN);
        ElfCoreWriter w = ElfCoreWriter.plan(model, 4096);
        byte[] file = w.toByteArray();
        ProgramHeader p = w.programHeaders().get(2);
        assertEquals(0, p.offset() % 4096);
        ByteBuffer expected = ByteBuffer.allocate(4096).put(bytes(1000, 5)).put(new byte[96]).put(bytes(3000, 6));
        assertArrayEquals(expected.array(), java.util.Arrays.copyOfRange(file, (int) p.offset(), (int) p.offset() + 4096));
    }

    @Test
    void sharedSegmentsPointIntoAnotherSegmentsBytesAndAddNothing() throws IOException {
        byte[] data = bytes(3 * 4096, 11);
        CoreSegment ram = new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0xffff888000100000L, 0x100000,
                data.length, data.length, 0, new CoreSegment.Bytes(data));
        CoreSegment text = new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0xffffffff81000000L, 0x101000, 4096,
                4096, 0, new CoreSegment.SharedWith(1, 4096));
        ElfCoreModel alone = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(),
                List.of(ram));
        // the alias comes first in the table (as /proc/vmcore's kernel text does) and names a later segment
        ElfCoreModel both = alone.withSegments(List.of(text, ram));
        ElfCoreWriter a = ElfCoreWriter.plan(alone, 4096);
        ElfCoreWriter b = ElfCoreWriter.plan(both, 4096);
        assertEquals(a.size(), b.size(), "no bytes for the alias");
        assertEquals(a.dataBytes(), b.dataBytes());
        byte[] file = b.toByteArray();
        ProgramHeader alias = b.programHeaders().get(0);
        ProgramHeader target = b.programHeaders().get(1);
        assertEquals(target.offset() + 4096, alias.offset());
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 4096, 8192),
                java.util.Arrays.copyOfRange(file, (int) alias.offset(), (int) alias.offset() + 4096));
        checkRoundTrip(both, b, file);
        assertEquals(2, ElfCore.read(ByteSource.of("shared", file)).loads().size());
    }

    @Test
    void sharedSegmentsMustPointInsideBytesTheWriterWrites() {
        CoreSegment ram = new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0, 0x100000, 4096, 4096, 0,
                new CoreSegment.Bytes(bytes(4096, 12)));
        CoreSegment at = CoreSegment.loadAt(0x5000, 0, 0x5000, 4096);
        java.util.function.Function<CoreSegment, ElfCoreModel> model = alias -> ElfCoreModel.of(ElfClass.ELF64,
                ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(), List.of(ram, at, alias));
        CoreSegment past = new CoreSegment(SegmentType.LOAD, 0, 0, 0, 4096, 4096, 0, new CoreSegment.SharedWith(0, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(model.apply(past)))
                .getMessage().contains("not inside"));
        CoreSegment ofAt = new CoreSegment(SegmentType.LOAD, 0, 0, 0, 16, 16, 0, new CoreSegment.SharedWith(1, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(model.apply(ofAt)))
                .getMessage().contains("does not write"));
        CoreSegment ofItself = new CoreSegment(SegmentType.LOAD, 0, 0, 0, 0, 16, 0, new CoreSegment.SharedWith(2, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(model.apply(ofItself)))
                .getMessage().contains("does not write"));
        CoreSegment missing = new CoreSegment(SegmentType.LOAD, 0, 0, 0, 0, 16, 0, new CoreSegment.SharedWith(3, 0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(model.apply(missing)))
                .getMessage().contains("does not exist"));
        assertThrows(IllegalArgumentException.class,
                () -> new CoreSegment(SegmentType.LOAD, 0, 0, 0, 32, 16, 0, new CoreSegment.SharedWith(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> new CoreSegment.SharedWith(-1, 0));
    }

    @Test
    void extendedNumberingFor70000Segments() throws IOException {
        for (ElfClass cls : ElfClass.values()) {
            List<CoreSegment> segs = new ArrayList<>();
            for (int i = 0; i < 70000; i++) {
                segs.add(new CoreSegment(SegmentType.LOAD, CoreSegment.RWX, 0, (long) i << 12, 8, 4096, 0,
                        new CoreSegment.Bytes(new byte[] {(byte) i, (byte) (i >> 8), 1, 2, 3, 4, 5, 6})));
            }
            ElfCoreModel model = ElfCoreModel.of(cls, ByteOrder.BIG_ENDIAN, Machine.S390,
                    List.of(CoreNote.of("CORE", 1, new byte[8])), segs);
            ElfCoreWriter w = ElfCoreWriter.plan(model);
            assertTrue(w.usesExtendedNumbering());
            byte[] file = w.toByteArray();
            ElfCore core = ElfCore.read(ByteSource.of("xnum", file));
            assertEquals(Elf.PN_XNUM, core.header().rawProgramHeaderCount());
            assertEquals(70001, core.header().programHeaderCount());
            assertEquals(1, core.header().sectionHeaderCount());
            checkRoundTrip(model, w, file);
        }
    }

    @Test
    void justBelowTheLimitNeedsNoExtendedNumbering() throws IOException {
        List<CoreSegment> segs = new ArrayList<>();
        for (int i = 0; i < 0xfffe; i++) {
            segs.add(CoreSegment.loadAt(i, 0, i, 1));
        }
        ElfCoreModel model = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(), segs);
        ElfCoreWriter w = ElfCoreWriter.plan(model);
        assertFalse(w.usesExtendedNumbering());
        ElfCore core = ElfCore.read(ByteSource.of("n", w.toByteArray()));
        assertEquals(0xfffe, core.header().rawProgramHeaderCount());
        assertEquals(0, core.header().sectionHeaderOffset());
        ElfCoreModel one = model.withSegments(java.util.stream.Stream.concat(segs.stream(),
                java.util.stream.Stream.of(CoreSegment.loadAt(0, 0, 0, 1))).toList());
        assertTrue(ElfCoreWriter.plan(one).usesExtendedNumbering(), "65535 program headers need PN_XNUM");
    }

    @Test
    void elf32RefusesValuesThatDoNotFitInsteadOfTruncating() {
        var base = ElfCoreModel.of(ElfClass.ELF32, ByteOrder.LITTLE_ENDIAN, Machine.I386, List.of(), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(
                base.withSegments(List.of(CoreSegment.loadAt(0x100000000L, 0, 0x100000000L, 4096)))));
        assertTrue(e.getMessage().contains("p_offset 0x100000000"), e.getMessage());
        assertTrue(e.getMessage().contains("ELF64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(
                base.withSegments(List.of(CoreSegment.loadAt(0x1000, 0xffff888000001000L, 0x1000, 4096)))));
        assertTrue(e.getMessage().contains("p_vaddr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(
                base.withSegments(List.of(CoreSegment.loadAt(0x1000, 0, 0x1000, 0x100000000L)))));
        assertTrue(e.getMessage().contains("p_filesz"), e.getMessage());
        // a file past 4 GiB: a streamed segment that would end beyond what p_offset can address
        e = assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(base.withSegments(List.of(
                new CoreSegment(SegmentType.LOAD, 7, 0, 0, 0xfffff000L, 0xfffff000L, 0,
                        new CoreSegment.Streamed(out -> { })),
                new CoreSegment(SegmentType.LOAD, 7, 0, 0xfffff000L, 0x2000, 0x2000, 0,
                        new CoreSegment.Streamed(out -> { }))))));
        assertTrue(e.getMessage().contains("4 GiB"), e.getMessage());
        // all ones ("no address") is allowed and becomes 0xffffffff
        ElfCoreWriter.plan(base.withSegments(List.of(CoreSegment.loadAt(0x1000, -1L, 0x1000, 4096))));
    }

    @Test
    void aSourceThatWritesTheWrongAmountIsAnError() {
        var tooFew = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(), List.of(
                new CoreSegment(SegmentType.LOAD, 7, 0, 0, 100, 100, 0,
                        new CoreSegment.Streamed(out -> out.write(ByteBuffer.allocate(99))))));
        assertThrows(IllegalStateException.class, () -> ElfCoreWriter.plan(tooFew).toByteArray());
        var tooMany = tooFew.withSegments(List.of(new CoreSegment(SegmentType.LOAD, 7, 0, 0, 100, 100, 0,
                new CoreSegment.Streamed(out -> out.writeZeros(101)))));
        assertThrows(IllegalStateException.class, () -> ElfCoreWriter.plan(tooMany).toByteArray());
    }

    @Test
    void fileSizeBeyondMemorySizeIsRefused() {
        var m = ElfCoreModel.of(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN, Machine.X86_64, List.of(), List.of(
                new CoreSegment(SegmentType.LOAD, 7, 0, 0, 2, 1, 0, new CoreSegment.Bytes(new byte[2]))));
        assertThrows(IllegalArgumentException.class, () -> ElfCoreWriter.plan(m));
    }

    @Test
    void progressCountsEverySegmentByteAndCanAbort() throws IOException {
        ElfCoreModel model = sample(ElfClass.ELF64, ByteOrder.LITTLE_ENDIAN);
        ElfCoreWriter w = ElfCoreWriter.plan(model);
        long[] last = {0, 0};
        try (FileChannel ch = FileChannel.open(dir.resolve("p"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            w.write(ch, (done, total) -> {
                assertTrue(done > last[0]);
                last[0] = done;
                last[1] = total;
            });
        }
        assertEquals(5000 + 4096 + 3, w.dataBytes());
        assertEquals(w.dataBytes(), last[0]);
        assertEquals(w.dataBytes(), last[1]);
        try (FileChannel ch = FileChannel.open(dir.resolve("q"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            assertThrows(IOException.class, () -> w.write(ch, (done, total) -> {
                throw new IOException("stop");
            }));
        }
    }
}
