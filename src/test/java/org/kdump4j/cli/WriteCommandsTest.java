package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.elf.ElfCoreHeaders;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;

/** {@code kdump4j elfcorehdr}, {@code convert} and {@code save}: output files, messages, exit codes. */
class WriteCommandsTest {
    static final String IOMEM = """
            00000000-00000fff : Reserved
            00001000-0009fbff : System RAM
            000f0000-000fffff : Reserved
            00100000-1ffd9fff : System RAM
              0f400000-10201d31 : Kernel code
              13000000-1effffff : Crash kernel
            """;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void elfcorehdrWritesWhatTheLibraryBuilds() throws Exception {
        Path iomem = Files.writeString(dir.resolve("iomem"), IOMEM);
        Path hdr = dir.resolve("hdr");
        assertEquals(0, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "--page-offset",
                "0xffff8b02c0000000", "--kernel-text", "f400000:3430000:ffffffffa9000000", "--crash-notes",
                "1f03a400:170", "--crash-notes", "0x1f13a400:0x170", "--vmcoreinfo", "1370000:1024", "--backup",
                "1ef61000", "-o", hdr.toString()), err());
        assertTrue(out().contains("ELF64 x86_64 kexec-tools layout, 7 program headers (3 PT_NOTE, 4 PT_LOAD), 1024 bytes,"
                + " segment size 16384"), out());
        byte[] expected = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.X86_64, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(List.of(MemoryRange.ofInclusive(0x1000, 0x9fbff), MemoryRange.ofInclusive(0x100000, 0x1ffd9fff)))
                .exclude(List.of(MemoryRange.ofInclusive(0x13000000, 0x1effffff))).cpuNote(0x1f03a400, 0x170)
                .cpuNote(0x1f13a400, 0x170).vmcoreInfo(0x1370000, 0x1024).pageOffset(0xffff8b02c0000000L)
                .kernelText(0xf400000, 0x3430000, 0xffffffffa9000000L).backupCopy(0x1ef61000).build().bytes();
        assertArrayEquals(expected, Files.readAllBytes(hdr));
        // the blob's segments point into the crashed kernel's memory: info reads the headers with --lenient
        assertEquals(0, run("info", "--lenient", hdr.toString()), err());
        assertTrue(out().contains("Program headers (7)"), out());
        assertTrue(out().contains("0x000000001ef61000 0xffff8b02c0001000 0x0000000000001000"), out());

        Path k = dir.resolve("k");
        assertEquals(0, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "--layout", "kernel",
                "--kernel-text", "f400000:3430000", "--crash-notes", "1f03a400:170,1f13a400:170", "-o", k.toString()),
                err());
        assertTrue(out().contains("kernel layout, 5 program headers (2 PT_NOTE, 3 PT_LOAD), 4096 bytes"), out());

        assertEquals(1, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "-o", hdr.toString()));
        assertTrue(err().contains("exists"), err());
        assertEquals(0, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86", "--elf32", "--force", "-o",
                hdr.toString()), err());
        assertTrue(out().contains("ELF32 x86"), out());
    }

    @Test
    void elfcorehdrUsageMistakes() throws Exception {
        Path iomem = Files.writeString(dir.resolve("iomem"), IOMEM);
        String o = dir.resolve("o").toString();
        assertEquals(2, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64"));
        assertTrue(err().contains("missing -o OUT"), err());
        assertEquals(2, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "vax", "-o", o));
        assertTrue(err().contains("unknown architecture 'vax'"), err());
        assertEquals(2, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "--crash-notes", "zz:1",
                "-o", o));
        assertTrue(err().contains("not a hexadecimal number: 'zz'"), err());
        assertEquals(2, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "--layout", "dracut",
                "-o", o));
        assertEquals(1, run("elfcorehdr", "--iomem", iomem.toString(), "--arch", "x86_64", "--layout", "kernel",
                "--elf32", "-o", o));
        assertTrue(err().contains("always ELF64"), err());
        Path hidden = Files.writeString(dir.resolve("hidden"), "00000000-00000000 : System RAM\n");
        assertEquals(1, run("elfcorehdr", "--iomem", hidden.toString(), "--arch", "x86_64", "-o", o));
        assertTrue(err().contains("CAP_SYS_ADMIN"), err());
        assertFalse(Files.exists(Path.of(o)));
    }

    @Test
    void convertWritesAnElfVmcoreAndRefusesToOverwrite() throws Exception {
        Path in = TestData.dump("x86_64-6.1-kexec-c.d31.elf");
        Path o = dir.resolve("out.vmcore");
        assertEquals(0, run("convert", "--to", "elf", "--exclude-zero", in.toString(), o.toString()), err());
        assertEquals("", err(), "no progress bar without a terminal");
        assertTrue(out().contains("bytes of zero pages left out"), out());
        try (Vmcore a = Vmcore.open(in); Vmcore b = Vmcore.open(o)) {
            assertEquals(MemoryDigest.of(a.memory()), MemoryDigest.of(b.memory()));
        }
        long before = Files.size(o);
        assertEquals(1, run("convert", "--to", "elf", in.toString(), o.toString()));
        assertTrue(err().contains("exists") && err().contains("--force"), err());
        assertEquals(before, Files.size(o));
        assertEquals(0, run("convert", "--to", "elf", "--force", in.toString(), o.toString()), err());
        assertEquals(2, run("convert", in.toString(), o.toString()));
        assertEquals(2, run("convert", "--to", "kdump", in.toString(), o.toString()));
    }

    @Test
    void convertGivesAKdumpFileProcVmcoresVirtualAddressesUnlessNoVaddr() throws Exception {
        Path in = TestData.dump("x86_64-6.1-kexec-c.d31.kdump-lzo");
        Path o = dir.resolve("kdump.vmcore");
        assertEquals(0, run("convert", "--to", "elf", in.toString(), o.toString()), err());
        assertEquals("", err());
        assertTrue(out().contains("virtual addresses: RAM at direct map 0xffff8deb00000000 + physical; kernel image "
                + "0xffffffffa3800000-0xffffffffa6e00000 -> physical 0x6200000 in "), out());
        try (Vmcore v = Vmcore.open(o)) {
            var first = v.elf().orElseThrow().loads().getFirst();
            assertEquals(0xffffffffa3800000L, first.virtualAddress());
            assertEquals(0x6200000L, first.physicalAddress());
        }
        assertEquals(0, run("convert", "--to", "elf", "--no-vaddr", "--force", in.toString(), o.toString()), err());
        assertFalse(out().contains("virtual addresses"), out());
        try (Vmcore v = Vmcore.open(o)) {
            assertTrue(v.elf().orElseThrow().loads().stream().allMatch(p -> p.virtualAddress() == 0));
        }
        assertEquals(0, run("help"), err());
        assertTrue(out().contains("--no-vaddr"), out());
    }

    @Test
    void convertReadsAnOldmemImageWithItsIomem() throws Exception {
        Path in = TestData.dump("x86_64-6.1-kexec-c.oldmem");
        Path iomem = TestData.file("x86_64-6.1-kexec-c.oldmem.iomem");
        Path o = dir.resolve("oldmem.vmcore");
        assertEquals(0, run("convert", "--to", "elf", "--exclude-zero", "--oldmem", "--iomem", iomem.toString(),
                in.toString(), o.toString()), err());
        assertEquals(0, run("digest", "--oldmem", "--iomem", iomem.toString(), in.toString()), err());
        String expected = out();
        assertEquals(0, run("digest", o.toString()), err());
        assertEquals(expected, out());
    }

    @Test
    void saveCopiesByteForByte() throws Exception {
        Path in = TestData.dump("x86_64-6.1-kexec-c.d31.elf");
        Path o = dir.resolve("saved");
        assertEquals(0, run("save", in.toString(), o.toString()), err());
        assertEquals(-1, Files.mismatch(in, o));
        assertEquals(1, run("save", in.toString(), o.toString()));
        assertEquals(0, run("save", "--force", in.toString(), o.toString()), err());
        assertEquals(1, run("save", dir.resolve("missing").toString(), dir.resolve("x").toString()));
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
