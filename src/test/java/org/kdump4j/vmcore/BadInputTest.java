package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.elf.ElfFormatException;
import org.kdump4j.io.AccessMode;
import org.kdump4j.io.ByteSource;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.io.TruncatedDumpException;
import org.kdump4j.memory.MemoryNotPresentException;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.testing.TestData;

/**
 * Truncated and mutated real dumps: the first 64 KiB (ELF header, program headers, notes) of the
 * committed kexec, makedumpfile and QEMU dumps, cut at many offsets or with header fields overwritten by
 * hostile values. Each must give a typed {@link DumpFormatException} whose message names the file and an
 * offset, quickly and without allocating in proportion to the hostile field, or, where the mutation is
 * legal, a dump that opens and answers correctly.
 *
 * <p>"Slice" below is the 64 KiB header-only slice with its {@code PT_LOAD}s pointing past its end (as
 * cut from the real file); "shrunk" is the same slice with every {@code PT_LOAD} moved inside it
 * (4 KiB stored, 8 KiB of memory, real physical and virtual addresses), so it opens.
 */
class BadInputTest {
    /** The most heap one open of a 64 KiB slice may allocate: far below any hostile 2^31-sized field. */
    private static final long ALLOCATION_LIMIT = 24L << 20;
    /** The most time one open may take. */
    private static final long TIME_LIMIT_NANOS = 2_000_000_000L;
    private static final int SLICE = 64 << 10;

    private static final Map<String, Dump> DUMPS = new LinkedHashMap<>();

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() throws IOException {
        DUMPS.put("kexec-c", Dump.parse("kexec-c", head("x86_64-6.1-kexec-c.vmcore.head.gz")));
        DUMPS.put("makedumpfile-d31", Dump.parse("makedumpfile-d31", head("x86_64-6.1-kexec-c.d31.elf.gz")));
        DUMPS.put("qemu", Dump.parse("qemu", head("x86_64-6.1-qemu.elf.gz")));
    }

    /** The first 64 KiB of a committed gzipped dump, without unpacking the rest. */
    private static byte[] head(String gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(TestData.file(gz)), 1 << 16)) {
            byte[] b = in.readNBytes(SLICE);
            assertEquals(SLICE, b.length, gz);
            return b;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The model of a real ELF64 little-endian dump header (all committed dumps are x86_64).

    /** A parsed slice: where the header fields, program headers and notes are. */
    record Dump(String name, byte[] bytes, long phoff, int phentsize, int phnum, int noteIndex, long noteOffset,
            long noteSize, List<Integer> noteStarts, List<Integer> loads) {

        static Dump parse(String name, byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long phoff = bb.getLong(32);
            int phentsize = Short.toUnsignedInt(bb.getShort(54));
            int phnum = Short.toUnsignedInt(bb.getShort(56));
            int noteIndex = -1;
            List<Integer> loads = new ArrayList<>();
            for (int i = 0; i < phnum; i++) {
                int type = bb.getInt((int) phoff + i * phentsize);
                if (type == 4 && noteIndex < 0) {
                    noteIndex = i;
                } else if (type == 1) {
                    loads.add(i);
                }
            }
            assertTrue(noteIndex >= 0, name + " has a PT_NOTE");
            int ph = (int) phoff + noteIndex * phentsize;
            long noteOffset = bb.getLong(ph + 8);
            long noteSize = bb.getLong(ph + 32);
            List<Integer> starts = new ArrayList<>();
            int pos = (int) noteOffset;
            while (pos + 12 <= noteOffset + noteSize) {
                int namesz = bb.getInt(pos);
                int descsz = bb.getInt(pos + 4);
                if (namesz == 0) {
                    break;
                }
                starts.add(pos);
                pos += 12 + align4(namesz) + align4(descsz);
            }
            assertTrue(starts.size() >= 2, name + " has notes");
            return new Dump(name, b, phoff, phentsize, phnum, noteIndex, noteOffset, noteSize, List.copyOf(starts),
                    List.copyOf(loads));
        }

        int ph(int index) {
            return (int) phoff + index * phentsize;
        }

        long noteEnd() {
            return noteOffset + noteSize;
        }

        /**
         * A copy with every PT_LOAD moved inside the slice (4 KiB stored, 8 KiB of memory), cut right after
         * the last stored byte.
         */
        byte[] shrunk() {
            byte[] b = bytes.clone();
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long data = (noteEnd() + 0xfff) & ~0xfffL;
            int slots = (int) ((b.length - data) / 0x1000);
            long end = noteEnd();
            for (int k = 0; k < loads.size(); k++) {
                int p = ph(loads.get(k));
                long off = data + (long) (k % slots) * 0x1000;
                bb.putLong(p + 8, off);
                bb.putLong(p + 32, 0x1000);
                bb.putLong(p + 40, 0x2000);
                end = Math.max(end, off + 0x1000);
            }
            return Arrays.copyOf(b, (int) end);
        }

        /** The offset of the VMCOREINFO descriptor and its size. */
        int[] vmcoreInfo() {
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int s : noteStarts) {
                int namesz = bb.getInt(s);
                String n = new String(bytes, s + 12, Math.max(0, namesz - 1), StandardCharsets.ISO_8859_1);
                if (n.equals("VMCOREINFO")) {
                    return new int[] {s + 12 + align4(namesz), bb.getInt(s + 4)};
                }
            }
            throw new AssertionError(name + ": no VMCOREINFO note");
        }

        private static int align4(int v) {
            return (v + 3) & ~3;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Opening, and the exception contract.

    /** What opening gave: the exception, or the result of checks on the open dump. */
    private static DumpFormatException open(Path file, SourceOptions src, Consumer<Vmcore> onSuccess) throws IOException {
        long alloc0 = allocatedBytes();
        long t0 = System.nanoTime();
        DumpFormatException failure = null;
        try (Vmcore vm = Vmcore.open(file, VmcoreOptions.defaults().withSource(src))) {
            if (onSuccess != null) {
                onSuccess.accept(vm);
            }
        } catch (DumpFormatException e) {
            failure = e;
        }
        long took = System.nanoTime() - t0;
        long allocated = allocatedBytes() - alloc0;
        assertTrue(took < TIME_LIMIT_NANOS, () -> file + ": took " + took / 1_000_000 + " ms");
        assertTrue(alloc0 < 0 || allocated < ALLOCATION_LIMIT, () -> file + ": allocated " + allocated + " bytes");
        if (failure != null) {
            checkContract(failure, file);
        }
        return failure;
    }

    /**
     * Heap bytes this thread has allocated so far, or -1 where the JVM cannot tell. (Reflection, because the
     * tests compile inside module org.kdump4j, which does not read java.management.)
     */
    private static long allocatedBytes() {
        try {
            Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(mx);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** The message names the file and "offset 0x<offset()>"; the offset lies in the file (truncation aside). */
    static void checkContract(DumpFormatException e, Path file) throws IOException {
        long size = Files.size(file);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString() + ": "), () -> "message does not start with the file: " + msg);
        assertEquals(file.toString(), e.source());
        assertTrue(msg.contains("offset 0x" + Long.toHexString(e.offset())), () -> "no offset in: " + msg);
        if (e instanceof TruncatedDumpException t) {
            // the read that did not fit: its start, and proof that it does not fit
            assertEquals(size, t.sourceSize(), msg);
            assertTrue(t.offset() < 0 || t.length() < 0 || Long.compareUnsigned(t.offset(), size) > 0
                    || t.length() > size - t.offset(), () -> "not a truncation: " + msg);
        } else {
            assertTrue(e.offset() >= 0 && e.offset() < Math.max(size, 1), () -> "offset outside the file: " + msg);
        }
    }

    private static Path write(String name, byte[] b) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, b);
        return p;
    }

    private static final SourceOptions MAPPED_TINY = new SourceOptions(AccessMode.MAPPED, 12);
    private static final SourceOptions POSITIONAL = SourceOptions.defaults().withMode(AccessMode.POSITIONAL);

    // ------------------------------------------------------------------------------------------------
    // The slices themselves.

    @Test
    void headerOnlySlicesFailWithTruncationOfTheirFirstLoad() throws IOException {
        for (Dump d : DUMPS.values()) {
            Path p = write(d.name() + ".slice", d.bytes());
            DumpFormatException e = open(p, SourceOptions.defaults(), vm -> fail(d.name() + " opened"));
            TruncatedDumpException t = assertInstanceOf(TruncatedDumpException.class, e, d.name());
            assertTrue(t.getMessage().contains("PT_LOAD["), t::getMessage);
        }
    }

    @Test
    void shrunkSlicesOpenAndReadTheirBytes() throws IOException {
        for (Dump d : DUMPS.values()) {
            byte[] s = d.shrunk();
            Path p = write(d.name() + ".shrunk", s);
            for (SourceOptions src : List.of(SourceOptions.defaults(), MAPPED_TINY, POSITIONAL)) {
                assertEquals(null, open(p, src, vm -> checkShrunk(d, s, vm)), d.name());
            }
        }
    }

    /** The first PT_LOAD's bytes read back through physical memory; every load is present. */
    private static void checkShrunk(Dump d, byte[] s, Vmcore vm) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(s).order(ByteOrder.LITTLE_ENDIAN);
            int p = d.ph(d.loads().getFirst());
            long off = bb.getLong(p + 8);
            long pa = bb.getLong(p + 24);
            byte[] got = new byte[64];
            vm.memory().read(pa, got, 0, got.length);
            assertArrayEquals(Arrays.copyOfRange(s, (int) off, (int) off + 64), got);
            for (int i : d.loads()) {
                long a = bb.getLong(d.ph(i) + 24);
                if (a != -1L) {
                    assertTrue(vm.memory().isPresent(a + 0x1fff), d.name() + " PT_LOAD[" + i + "] zero-fill");
                }
            }
            assertTrue(vm.vmcoreInfo().isPresent(), d.name());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Truncation.

    /** Cut points: inside the ELF header, the program headers, every note, the first load, the end. */
    private static TreeSet<Integer> cuts(Dump d, byte[] b) {
        TreeSet<Integer> c = new TreeSet<>();
        for (int i : new int[] {0, 1, 3, 4, 5, 6, 15, 16, 17, 24, 33, 52, 56, 57, 63, 64, 65}) {
            c.add(i);
        }
        for (int i = 0; i <= d.phnum(); i++) {
            int at = d.ph(i);
            c.add(at - 1);
            c.add(at + 1);
            c.add(at + 8 + 3); // inside p_offset
        }
        for (int s : d.noteStarts()) {
            for (int k : new int[] {-1, 1, 4, 11, 12, 13, 20, 40, 0x100}) {
                c.add(s + k);
            }
        }
        c.add((int) d.noteEnd() - 1);
        c.add((int) d.noteEnd() + 1);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long firstLoad = bb.getLong(d.ph(d.loads().getFirst()) + 8);
        if (firstLoad > 0 && firstLoad < b.length) {
            c.add((int) firstLoad + 1);
            c.add((int) firstLoad + 0x800);
        }
        c.add(b.length - 1);
        c.removeIf(x -> x < 0 || x >= b.length);
        return c;
    }

    @TestFactory
    List<DynamicTest> truncatedDumpsGiveTypedExceptions() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dump d : DUMPS.values()) {
            for (boolean shrunk : new boolean[] {false, true}) {
                byte[] full = shrunk ? d.shrunk() : d.bytes();
                String kind = shrunk ? "shrunk" : "slice";
                tests.add(DynamicTest.dynamicTest(d.name() + " " + kind + " cut at every interesting offset", () -> {
                    int n = 0;
                    for (int cut : cuts(d, full)) {
                        Path p = write(d.name() + "." + kind + ".cut-" + cut, Arrays.copyOf(full, cut));
                        SourceOptions src = switch (n++ % 3) {
                            case 0 -> SourceOptions.defaults();
                            case 1 -> MAPPED_TINY;
                            default -> POSITIONAL;
                        };
                        DumpFormatException e = open(p, src, vm -> fail(p + " opened"));
                        assertNotNull(e, p.toString());
                        Files.delete(p);
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void cutInsideTheFirstLoadNamesThatLoad() throws IOException {
        Dump d = DUMPS.get("makedumpfile-d31");
        byte[] s = d.shrunk();
        Path p = write("d31.last-byte-missing", Arrays.copyOf(s, s.length - 1));
        TruncatedDumpException t = assertInstanceOf(TruncatedDumpException.class, open(p, MAPPED_TINY, null));
        assertTrue(t.getMessage().contains("PT_LOAD["), t::getMessage);
        assertEquals(s.length - 1, t.sourceSize());
    }

    // ------------------------------------------------------------------------------------------------
    // Mutations: hostile header fields.

    /** A named mutation of a real slice and what it must give. */
    private record Mutation(String name, boolean onShrunk, Consumer<M> change, Class<? extends Exception> expected,
            Consumer<Vmcore> ifOpened) {
    }

    /** The bytes being mutated, with little-endian field writers. */
    private record M(Dump d, byte[] b, ByteBuffer bb) {
        void u16(int at, int v) {
            bb.putShort(at, (short) v);
        }

        void u32(int at, long v) {
            bb.putInt(at, (int) v);
        }

        void u64(int at, long v) {
            bb.putLong(at, v);
        }

        int note() {
            return d.ph(d.noteIndex());
        }

        int load(int k) {
            return d.ph(d.loads().get(k));
        }

        int firstNote() {
            return d.noteStarts().getFirst();
        }
    }

    /** Must fail with some {@link DumpFormatException}. */
    private static final Class<DumpFormatException> ANY = DumpFormatException.class;
    /** Garbage that may still be well-formed: a typed exception or a dump that opens, nothing else. */
    private static final Class<Exception> EITHER = Exception.class;

    private static List<Mutation> mutations() {
        List<Mutation> l = new ArrayList<>();
        // ELF identification
        l.add(new Mutation("bad magic", false, m -> m.b()[1] = 'X', ANY, null));
        l.add(new Mutation("EI_CLASS 0", false, m -> m.b()[4] = 0, ElfFormatException.class, null));
        l.add(new Mutation("EI_CLASS 3", false, m -> m.b()[4] = 3, ElfFormatException.class, null));
        l.add(new Mutation("EI_CLASS ELF32", false, m -> m.b()[4] = 1, EITHER, null));
        l.add(new Mutation("EI_DATA 0", false, m -> m.b()[5] = 0, ElfFormatException.class, null));
        l.add(new Mutation("EI_DATA big-endian", false, m -> m.b()[5] = 2, EITHER, null));
        l.add(new Mutation("EI_DATA big-endian (shrunk)", true, m -> m.b()[5] = 2, EITHER, null));
        l.add(new Mutation("e_type EXEC", true, m -> m.u16(16, 2), ANY, null));
        // program header table
        for (long v : new long[] {0, 1, 63}) {
            l.add(new Mutation("e_phoff 0x" + Long.toHexString(v), true, m -> m.u64(32, v), EITHER, null));
        }
        for (long v : new long[] {SLICE - 1, SLICE, 1L << 31, 1L << 32, Long.MAX_VALUE, -1L, -56L}) {
            l.add(new Mutation("e_phoff 0x" + Long.toHexString(v), false, m -> m.u64(32, v),
                    TruncatedDumpException.class, null));
        }
        l.add(new Mutation("e_phnum 0", true, m -> m.u16(56, 0), null, vm -> {
            assertTrue(vm.notes().isEmpty());
            assertTrue(vm.memory().ranges().isEmpty());
        }));
        l.add(new Mutation("e_phnum 0xfffe", false, m -> m.u16(56, 0xfffe), TruncatedDumpException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM, e_shoff 0", false, m -> {
            m.u16(56, 0xffff);
            m.u64(40, 0);
        }, ElfFormatException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM, e_shoff past EOF", false, m -> {
            m.u16(56, 0xffff);
            m.u64(40, 1L << 40);
            m.u16(58, 64);
        }, TruncatedDumpException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM, e_shentsize 0", false, m -> {
            m.u16(56, 0xffff);
            m.u64(40, 0x100);
            m.u16(58, 0);
        }, ElfFormatException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM, sh_info 2^32-1", false, m -> {
            m.u16(56, 0xffff);
            m.u64(40, m.b().length - 64);
            m.u16(58, 64);
            m.u32(m.b().length - 64 + 44, 0xffffffffL);
        }, ElfFormatException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM, sh_info 2^24", false, m -> {
            m.u16(56, 0xffff);
            m.u64(40, m.b().length - 64);
            m.u16(58, 64);
            m.u32(m.b().length - 64 + 44, 1 << 24);
        }, TruncatedDumpException.class, null));
        l.add(new Mutation("e_phnum PN_XNUM with the real count in section 0 (legal)", true, m -> {
            int phnum = m.d().phnum();
            m.u16(56, 0xffff);
            m.u64(40, m.b().length - 64);
            m.u16(58, 64);
            m.u32(m.b().length - 64 + 44, phnum);
        }, null, vm -> assertEquals(true, vm.elf().orElseThrow().header().usesExtendedNumbering())));
        for (int v : new int[] {0, 1, 55}) {
            l.add(new Mutation("e_phentsize " + v, false, m -> m.u16(54, v), ElfFormatException.class, null));
        }
        l.add(new Mutation("e_phentsize 0xffff", false, m -> m.u16(54, 0xffff), TruncatedDumpException.class,
                null));
        l.add(new Mutation("e_phentsize 64 (larger stride)", true, m -> m.u16(54, 64), EITHER, null));
        // the PT_NOTE
        for (long v : new long[] {SLICE + 1, 1L << 40, Long.MIN_VALUE, -1L}) {
            l.add(new Mutation("PT_NOTE p_offset 0x" + Long.toHexString(v), false, m -> m.u64(m.note() + 8, v),
                    TruncatedDumpException.class, null));
        }
        for (long v : new long[] {1L << 31, 1L << 32, -1L, (64L << 20) + 1}) {
            l.add(new Mutation("PT_NOTE p_filesz 0x" + Long.toHexString(v), false, m -> m.u64(m.note() + 32, v),
                    ElfFormatException.class, null));
        }
        l.add(new Mutation("PT_NOTE p_filesz 32 MiB (past EOF)", false, m -> m.u64(m.note() + 32, 32L << 20),
                TruncatedDumpException.class, null));
        l.add(new Mutation("PT_NOTE p_filesz cuts the first note", false, m -> m.u64(m.note() + 32, 40),
                ElfFormatException.class, null));
        l.add(new Mutation("PT_NOTE p_filesz 0 (legal: no notes)", true, m -> m.u64(m.note() + 32, 0), null,
                vm -> assertTrue(vm.notes().isEmpty() && vm.vmcoreInfo().isEmpty())));
        // the notes
        for (long v : new long[] {0xffffffffL, 0x7fffffffL, 0x80000000L, 0x10000L}) {
            l.add(new Mutation("n_namesz 0x" + Long.toHexString(v), false, m -> m.u32(m.firstNote(), v),
                    ElfFormatException.class, null));
            l.add(new Mutation("n_descsz 0x" + Long.toHexString(v), false, m -> m.u32(m.firstNote() + 4, v),
                    ElfFormatException.class, null));
        }
        l.add(new Mutation("n_namesz 0 (legal: terminator)", true, m -> m.u32(m.firstNote(), 0), null,
                vm -> assertTrue(vm.notes().isEmpty())));
        l.add(new Mutation("NT_PRSTATUS n_descsz 16", true, m -> m.u32(m.firstNote() + 4, 16), EITHER, null));
        l.add(new Mutation("NT_PRSTATUS n_descsz 0", true, m -> m.u32(m.firstNote() + 4, 0), EITHER, null));
        l.add(new Mutation("VMCOREINFO garbage (legal)", true, m -> {
            int[] vi = m.d().vmcoreInfo();
            Random r = new Random(7);
            for (int i = 0; i < vi[1]; i++) {
                m.b()[vi[0] + i] = (byte) (r.nextInt(0xfe) + 1);
            }
        }, null, vm -> assertEquals(4096, vm.pageSize())));
        l.add(new Mutation("VMCOREINFO all 0xff (legal)", true, m -> {
            int[] vi = m.d().vmcoreInfo();
            Arrays.fill(m.b(), vi[0], vi[0] + vi[1], (byte) 0xff);
        }, null, vm -> assertTrue(vm.vmcoreInfo().orElseThrow().entries().isEmpty())));
        l.add(new Mutation("VMCOREINFO PAGESIZE=2^62 (legal: ignored)", true, m -> {
            int[] vi = m.d().vmcoreInfo();
            byte[] text = "PAGESIZE=4611686018427387904\n".getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(text, 0, m.b(), vi[0], text.length);
        }, null, vm -> assertEquals(4096, vm.pageSize())));
        // the PT_LOADs
        for (long v : new long[] {SLICE + 1, 1L << 40, Long.MIN_VALUE, -1L}) {
            l.add(new Mutation("PT_LOAD p_offset 0x" + Long.toHexString(v), true, m -> m.u64(m.load(0) + 8, v),
                    TruncatedDumpException.class, null));
        }
        for (long v : new long[] {SLICE, 1L << 31, 1L << 32, Long.MIN_VALUE}) {
            l.add(new Mutation("PT_LOAD p_filesz 0x" + Long.toHexString(v), true, m -> {
                m.u64(m.load(0) + 32, v);
                m.u64(m.load(0) + 40, v);
            }, TruncatedDumpException.class, null));
        }
        l.add(new Mutation("PT_LOAD p_filesz = p_memsz = 2^64-1", true, m -> {
            m.u64(m.load(0) + 32, -1L);
            m.u64(m.load(0) + 40, -1L);
        }, ANY, null));
        l.add(new Mutation("PT_LOAD p_memsz < p_filesz", true, m -> m.u64(m.load(0) + 40, 0x800), ANY, null));
        l.add(new Mutation("PT_LOAD p_paddr + p_memsz wraps", true, m -> m.u64(m.load(0) + 24, -0x1000L), ANY,
                null));
        l.add(new Mutation("PT_LOAD p_memsz 2^63+2^12 (legal: huge zero-fill)", true, m -> {
            m.u64(m.load(0) + 16, 0xffffffff81000000L);
            m.u64(m.load(0) + 24, 0);
            m.u64(m.load(0) + 40, Long.MIN_VALUE + 0x1000);
        }, null, vm -> {
            try {
                PhysicalMemory mem = vm.memory();
                byte[] v = new byte[8];
                vm.readVirtual(0xffffffff81000000L, v, 0, v.length); // a segment longer than 2^63 bytes
                byte[] p = new byte[8];
                mem.read(0, p, 0, p.length);
                assertArrayEquals(p, v);
                byte[] z = new byte[16];
                mem.read(Long.MIN_VALUE, z, 0, z.length); // deep in the zero-fill
                assertArrayEquals(new byte[16], z);
                mem.read(0x0ff8, z, 0, z.length); // across the end of the stored bytes
                assertEquals(0, mem.page(Long.MIN_VALUE >>> 12).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 5));
                assertTrue(Long.compareUnsigned(mem.presentPageCount(), 1L << 51) > 0);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }));
        l.add(new Mutation("PT_LOAD p_paddr -1 (legal: skipped)", true, m -> m.u64(m.load(0) + 24, -1L), null,
                vm -> assertTrue(vm.memory().ranges().stream().noneMatch(r -> r.contains(-1L)))));
        l.add(new Mutation("every PT_LOAD at physical 0 (legal: first wins)", true, m -> {
            for (int k = 0; k < m.d().loads().size(); k++) {
                m.u64(m.load(k) + 24, 0);
            }
        }, null, vm -> {
            assertEquals(List.of(new MemoryRange(0, 0x2000)), vm.memory().ranges());
        }));
        return l;
    }

    @TestFactory
    List<DynamicTest> mutatedDumpsGiveTypedExceptionsOrValues() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Dump d : DUMPS.values()) {
            for (Mutation mu : mutations()) {
                tests.add(DynamicTest.dynamicTest(d.name() + ": " + mu.name(), () -> {
                    byte[] b = mu.onShrunk() ? d.shrunk() : d.bytes().clone();
                    mu.change().accept(new M(d, b, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)));
                    Path p = write(d.name() + ".mutated", b);
                    boolean[] opened = {false};
                    DumpFormatException e = open(p, MAPPED_TINY, vm -> {
                        opened[0] = true;
                        if (mu.ifOpened() != null) {
                            mu.ifOpened().accept(vm);
                        }
                        try {
                            exerciseQuietly(vm);
                        } catch (IOException x) {
                            throw new AssertionError(x);
                        }
                    });
                    if (mu.expected() == EITHER) {
                        assertTrue(e != null || opened[0]);
                    } else if (mu.expected() != null) {
                        assertNotNull(e, () -> mu.name() + ": opened, expected " + mu.expected().getSimpleName());
                        assertInstanceOf(mu.expected(), e, e.getMessage());
                    } else {
                        assertTrue(opened[0], () -> mu.name() + ": legal mutation failed: " + e);
                    }
                    // positional reads answer the same as mapped ones
                    DumpFormatException e2 = open(p, POSITIONAL, null);
                    assertEquals(e == null, e2 == null, () -> "mapped: " + e + ", positional: " + e2);
                    if (e != null) {
                        assertEquals(e.getMessage(), e2.getMessage());
                    }
                }));
            }
        }
        return tests;
    }

    /** Random byte overwrites in the header, program headers and notes of the shrunk slices. */
    @Test
    void randomHeaderCorruptionNeverEscapesTheContract() throws IOException {
        Random r = new Random(0x6b64756d70L);
        int opened = 0;
        int failed = 0;
        for (Dump d : DUMPS.values()) {
            byte[] base = d.shrunk();
            int region = (int) Math.min(d.noteEnd(), base.length);
            for (int round = 0; round < 150; round++) {
                byte[] b = base.clone();
                int flips = 1 + r.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int at = r.nextInt(4) == 0 ? r.nextInt(64) : r.nextInt(region);
                    b[at] = (byte) switch (r.nextInt(4)) {
                        case 0 -> 0xff;
                        case 1 -> 0;
                        case 2 -> 0x80;
                        default -> r.nextInt(256);
                    };
                }
                Path p = write(d.name() + ".random", b);
                DumpFormatException e = open(p, SourceOptions.defaults(), vm -> {
                    try {
                        exerciseQuietly(vm);
                    } catch (IOException x) {
                        throw new AssertionError(x);
                    }
                });
                if (e == null) {
                    opened++;
                } else {
                    failed++;
                }
            }
        }
        assertTrue(opened > 0 && failed > 0, "opened " + opened + ", failed " + failed);
    }

    /** Reads a little of every range; only {@link MemoryNotPresentException} may come out. */
    private static void exerciseQuietly(Vmcore vm) throws IOException {
        PhysicalMemory mem = vm.memory();
        List<MemoryRange> ranges = mem.ranges();
        for (MemoryRange rg : ranges.subList(0, Math.min(ranges.size(), 8))) {
            byte[] b = new byte[16];
            for (long a : new long[] {rg.start(), rg.last() - 15, rg.last() + 1}) {
                try {
                    mem.read(a, b, 0, b.length);
                } catch (MemoryNotPresentException | IllegalArgumentException expected) {
                    // a hole, or a read that would wrap past 2^64
                }
            }
            mem.page(Long.divideUnsigned(rg.start(), mem.pageSize()));
        }
        vm.cpus().forEach(c -> c.programCounter());
        vm.vmcoreInfo().ifPresent(i -> i.pageSize());
        ByteSource s = vm.source();
        assertTrue(s.size() > 0);
    }
}
