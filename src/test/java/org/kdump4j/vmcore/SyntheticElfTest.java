package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.elf.ElfClass;
import org.kdump4j.elf.Machine;
import org.kdump4j.io.AccessMode;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.testing.TestElf;
import org.kdump4j.testing.TestElf.Phdr;

/** Edge cases no real dump here covers: ELF32, big endian, PN_XNUM, data beyond 4 GiB. */
class SyntheticElfTest {
    @TempDir
    Path dir;

    @Test
    void readsDataLyingBeyondTheFourGibOffsetOfASparseFile() throws IOException {
        long dataOffset = 5L << 30; // 5 GiB
        long paddr = 0x1_2345_6000L;
        byte[] page = new byte[4096];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) (i * 7 + 1);
        }
        TestElf elf = TestElf.of(true, ByteOrder.LITTLE_ENDIAN)
                .add(Phdr.load(dataOffset, paddr, 4096, 8192)); // second page zero-filled
        Path p = dir.resolve("sparse.vmcore");
        TestElf.write(p, elf.headers(), new long[] {dataOffset}, new byte[][] {page});
        assertTrue(Files.size(p) > 5L << 30);
        // 1 GiB chunks: the data lies in the sixth chunk; 2^29 also exercises many chunks
        for (int power : new int[] {30, 29}) {
            try (Vmcore v = Vmcore.open(p, VmcoreOptions.defaults()
                    .withSource(new SourceOptions(AccessMode.MAPPED, power)))) {
                byte[] got = new byte[4096];
                v.memory().read(paddr, got, 0, got.length);
                assertArrayEquals(page, got);
                byte[] tail = new byte[4096];
                v.memory().read(paddr + 4096, tail, 0, tail.length);
                assertArrayEquals(new byte[4096], tail);
                assertEquals(2, v.memory().presentPageCount());
            }
        }
        try (Vmcore v = Vmcore.open(p, VmcoreOptions.defaults()
                .withSource(SourceOptions.defaults().withMode(AccessMode.POSITIONAL)))) {
            byte[] got = new byte[16];
            v.memory().read(paddr + 100, got, 0, 16);
            assertArrayEquals(java.util.Arrays.copyOfRange(page, 100, 116), got);
        }
    }

    static Stream<Arguments> classesAndOrders() {
        return Stream.of(Arguments.of(false, ByteOrder.LITTLE_ENDIAN), Arguments.of(false, ByteOrder.BIG_ENDIAN),
                Arguments.of(true, ByteOrder.LITTLE_ENDIAN), Arguments.of(true, ByteOrder.BIG_ENDIAN));
    }

    @ParameterizedTest(name = "ELF64={0} {1}")
    @MethodSource("classesAndOrders")
    void readsEveryClassAndByteOrderWithNotesAndRegisters(boolean is64, ByteOrder order) throws IOException {
        int machine = is64 ? (order == ByteOrder.BIG_ENDIAN ? 22 : 62) : 3; // s390x BE, x86_64 LE, i386
        TestElf elf = TestElf.of(is64, order).machine(machine);
        int prSize = is64 ? 336 : 144;
        ByteBuffer pr = ByteBuffer.allocate(prSize).order(order);
        pr.putInt(is64 ? 32 : 24, 4242); // pr_pid
        if (is64) {
            pr.putLong(112 + (machine == 62 ? 16 * 8 : 8), 0xffffffff81000000L); // rip / psw_addr
        } else {
            pr.putInt(72 + 12 * 4, 0xc1000000); // eip
        }
        byte[] info = "OSRELEASE=9.9.9\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=ffffffff82000000\nCRASHTIME=1700000000"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] notes = concat(elf.note("CORE", 1, pr.array()), elf.note("VMCOREINFO", 0, info));
        byte[] data = new byte[8192];
        java.util.Arrays.fill(data, (byte) 0x5a);
        elf.add(new Phdr(4, 0, 0x1000, 0, 0, notes.length, notes.length, 0))
                .add(Phdr.load(0x2000, 0x100000, 8192, 8192));
        Path p = dir.resolve("c" + is64 + order);
        TestElf.write(p, elf.headers(), new long[] {0x1000, 0x2000}, new byte[][] {notes, data});
        try (Vmcore v = Vmcore.open(p)) {
            assertEquals(is64 ? ElfClass.ELF64 : ElfClass.ELF32, v.elf().orElseThrow().header().elfClass());
            assertEquals(order, v.byteOrder());
            assertEquals(new Machine(machine), v.machine());
            assertEquals("9.9.9", v.vmcoreInfo().orElseThrow().osRelease().orElseThrow());
            assertEquals(0xffffffff82000000L, v.vmcoreInfo().orElseThrow().symbol("init_uts_ns").getAsLong());
            assertEquals(1, v.cpus().size());
            CpuState cpu = v.cpus().getFirst();
            assertEquals(4242, cpu.pid().getAsInt());
            assertEquals(is64 ? 0xffffffff81000000L : 0xc1000000L, cpu.programCounter().getAsLong());
            assertEquals(2, v.memory().presentPageCount());
            byte[] got = new byte[8192];
            v.memory().read(0x100000, got, 0, got.length);
            assertArrayEquals(data, got);
        }
    }

    @Test
    void resolvesExtendedProgramHeaderNumbering() throws IOException {
        TestElf elf = TestElf.of(true, ByteOrder.LITTLE_ENDIAN).extendedNumbering();
        int n = 70_000; // more than PN_XNUM
        for (int i = 0; i < n; i++) {
            elf.add(Phdr.load(0, (long) i * 8192, 0, 4096)); // zero-fill pages with gaps
        }
        Path p = dir.resolve("xnum");
        Files.write(p, elf.headers());
        try (Vmcore v = Vmcore.open(p)) {
            assertTrue(v.elf().orElseThrow().header().usesExtendedNumbering());
            assertEquals(n, v.elf().orElseThrow().programHeaders().size());
            assertEquals(n, v.memory().ranges().size());
            assertEquals(n, v.memory().presentPageCount());
        }
    }

    @Test
    void wordSizeComesFromTheMachineNotTheClass() throws IOException {
        // kexec-tools writes ELF64 headers for i386 with RAM above 4 GiB: registers are still 32-bit
        TestElf elf = TestElf.of(true, ByteOrder.LITTLE_ENDIAN).machine(3);
        ByteBuffer pr = ByteBuffer.allocate(144).order(ByteOrder.LITTLE_ENDIAN);
        pr.putInt(24, 77);
        pr.putInt(72 + 6 * 4, 0x1234); // eax
        byte[] notes = elf.note("CORE", 1, pr.array());
        elf.add(new Phdr(4, 0, 0x1000, 0, 0, notes.length, notes.length, 0));
        Path p = dir.resolve("i386-elf64");
        TestElf.write(p, elf.headers(), new long[] {0x1000}, new byte[][] {notes});
        try (Vmcore v = Vmcore.open(p)) {
            assertEquals(4, v.wordSize());
            assertEquals(77, v.cpus().getFirst().pid().getAsInt());
            assertEquals(0x1234, v.cpus().getFirst().register("eax").getAsLong());
        }
    }

    @Test
    void unknownFormatsAreRefusedUnlessOpenedAsRawImages() throws IOException {
        Path p = dir.resolve("raw");
        byte[] mem = new byte[3 * 4096];
        mem[4096 + 5] = 9;
        Files.write(p, mem);
        DumpFormatException e = assertThrows(DumpFormatException.class, () -> Vmcore.open(p));
        assertTrue(e.getMessage().contains("--oldmem"), e.getMessage());
        try (Vmcore v = Vmcore.open(p, VmcoreOptions.defaults().withRaw(List.of()))) {
            assertEquals(DumpFormat.RAW, v.format());
            assertEquals(3, v.memory().presentPageCount());
            assertEquals(9, v.memory().page(1).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 5));
        }
    }

    @Test
    void aKdumpSignatureWithAnInsaneHeaderIsATypedErrorNotARawImage() throws IOException {
        Path p = dir.resolve("kdump");
        byte[] b = new byte[4096];
        System.arraycopy("KDUMP   ".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
        Files.write(p, b);
        DumpFormatException e = assertThrows(DumpFormatException.class, () -> Vmcore.open(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("offset 0x"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
