package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.testing.CliRun;
import org.kdump4j.testing.TestData;

/** The CLI's contract: exit codes, messages naming file and offset, and the digest line. */
class CliTest {
    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void usageMistakesExitWithTwo() {
        assertEquals(2, run().code());
        assertEquals(2, run("no-such-command").code());
        CliRun.Result r = run("info", "--bogus", "x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown option"), r.err());
        assertEquals(2, run("read", "0x10", "dump").code(), "missing operand");
        assertEquals(2, run("read", "zz", "16", "dump").code(), "bad address");
        assertEquals(0, run("--help").code());
    }

    @Test
    void badInputExitsWithOneAndNamesTheFileAndOffset() throws Exception {
        Path bad = dir.resolve("bad.vmcore");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(TestData.dump("x86_64-6.1-kexec-c.d31.elf")), 200);
        Files.write(bad, head); // ELF header fine, program header table cut off
        CliRun.Result r = run("info", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("offset 0x"), r.err());
        assertEquals(1, run("info", dir.resolve("missing").toString()).code());
    }

    @Test
    void readingAMissingPageIsAnErrorNamingIt() {
        String dump = TestData.dump("x86_64-6.1-kexec-c.vmcore").toString();
        CliRun.Result r = run("read", "0x13000000", "16", dump); // the crash kernel's own region is not in the dump
        assertEquals(1, r.code());
        assertTrue(r.err().contains("0x13000000"), r.err());
        CliRun.Result ok = run("read", "0x100000", "32", dump);
        assertEquals(0, ok.code(), ok.err());
        assertEquals(2, ok.out().lines().count());
        assertTrue(ok.out().startsWith("0000000000100000  "), ok.out());
    }

    @Test
    void rawReadsWriteTheBytesThemselves() throws Exception {
        String dump = TestData.dump("x86_64-6.1-kexec-c.vmcore").toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("read", "--raw", "0x100000", "4096", dump), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        byte[] expected = new byte[4096];
        try (var v = org.kdump4j.vmcore.Vmcore.open(Path.of(dump))) {
            v.memory().read(0x100000, expected, 0, 4096);
        }
        assertEquals(java.util.HexFormat.of().formatHex(expected), java.util.HexFormat.of().formatHex(out.toByteArray()));
    }

    @Test
    void digestLinesOfTheOldmemImageAndItsElfAreIdentical() {
        String stem = "x86_64-6.1-kexec-c";
        CliRun.Result elf = run("digest", TestData.dump(stem + ".d31.elf").toString());
        CliRun.Result raw = run("digest", "--oldmem", "--iomem", TestData.file(stem + ".oldmem.iomem").toString(),
                TestData.dump(stem + ".oldmem").toString());
        assertEquals(0, elf.code(), elf.err());
        assertEquals(0, raw.code(), raw.err());
        assertTrue(elf.out().matches("sha256 [0-9a-f]{64} pages [0-9]+\n"), elf.out());
        assertEquals(elf.out(), raw.out());
        CliRun.Result whole = run("digest", "--oldmem", TestData.dump(stem + ".oldmem").toString());
        assertEquals(elf.out().split(" ")[1], whole.out().split(" ")[1],
                "without ranges, the zero bytes between RAM ranges do not change the digest");
    }
}
