package org.kdump4j.diskdump;

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
import org.kdump4j.cli.Main;
import org.kdump4j.testing.TestData;

/** The CLI on kdump-compressed and flattened dumps: {@code info}, {@code digest}, {@code reassemble}. */
class KdumpCliTest {
    private static final String C = "x86_64-6.1-kexec-c";

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void infoShowsFormatVersionDumpLevelCodecsAndPageCounts() {
        Run r = run("info", TestData.dump(C + ".d31.kdump-lzo").toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("Format:        KDUMP_COMPRESSED"), r.out);
        assertTrue(r.out.contains("header version 6"), r.out);
        assertTrue(r.out.contains("Dump level:    31 (excludes zero pages, non-private page cache, private page cache,"
                + " user data, free pages)"), r.out);
        assertTrue(r.out.contains("requested [lzo]"), r.out);
        assertTrue(r.out.matches("(?s).*Pages:         \\{present=\\d+, excluded=\\d+, lost=0, outside=\\d+, corrupt=0}.*"),
                r.out);
        Run j = run("info", "--json", TestData.dump("x86_64-6.1-qemu.kdump-zlib.flat").toString());
        assertEquals(0, j.code, j.err);
        assertTrue(j.out.contains("\"format\": \"FLATTENED\""), j.out);
        assertTrue(j.out.contains("\"kdump\": {"), j.out);
        assertTrue(j.out.contains("\"container\": \"flattened\""), j.out);
        assertTrue(j.out.contains("\"dumpLevel\": 1"), j.out);
        assertTrue(j.out.contains("\"zlib\": "), j.out);
    }

    @Test
    void digestOfKdumpAndFlattenedFilesAgree() throws Exception {
        Run a = run("digest", TestData.dump(C + ".d31.kdump-zstd").toString());
        Run b = run("digest", Derived.flattened(C + ".d31.kdump-lzo").toString());
        assertEquals(0, a.code, a.err);
        assertEquals(a.out, b.out);
        assertTrue(a.out.startsWith("sha256 "), a.out);
    }

    @Test
    void digestIsTheSameOnAnyNumberOfDecodingThreadsAndBadCountsAreUsageErrors() {
        String zstd = TestData.dump(C + ".d31.kdump-zstd").toString();
        int walks = ParallelPageWalk.walksStarted();
        Run one = run("digest", "--threads", "1", zstd);
        assertEquals(0, one.code, one.err);
        assertEquals(walks, ParallelPageWalk.walksStarted(), "one thread: no parallel walk");
        assertTrue(one.out.matches("sha256 [0-9a-f]{64} pages \\d+\\R"), one.out);
        for (String n : new String[] {"2", "3", "16"}) {
            int before = ParallelPageWalk.walksStarted();
            Run many = run("digest", "--threads", n, zstd);
            assertEquals(0, many.code, many.err);
            assertEquals(one.out, many.out, n + " threads");
            assertEquals(before + 1, ParallelPageWalk.walksStarted(), n + " threads: the digest walked on them");
        }
        String elf = TestData.dump(C + ".d31.elf").toString();
        assertEquals(run("digest", elf).out, run("digest", "--threads", "4", elf).out, "ELF dumps take the option");
        for (String bad : new String[] {"0", "257", "-1", "two", ""}) {
            Run r = run("digest", "--threads", bad, zstd);
            assertEquals(Main.EXIT_USAGE, r.code, bad);
            assertTrue(r.err.contains("--threads: expected a number of threads from 1 to 256"), r.err);
        }
    }

    @Test
    void convertWritesTheSameFileOnAnyNumberOfDecodingThreads(@TempDir Path dir) throws Exception {
        String zstd = TestData.dump(C + ".d31.kdump-zstd").toString();
        Path one = dir.resolve("one.elf");
        Path three = dir.resolve("three.elf");
        int walks = ParallelPageWalk.walksStarted();
        Run a = run("convert", "--to", "elf", "--exclude-zero", "--threads", "1", zstd, one.toString());
        assertEquals(walks, ParallelPageWalk.walksStarted(), "one thread: no parallel read");
        Run b = run("convert", "--to", "elf", "--exclude-zero", "--threads", "3", zstd, three.toString());
        assertEquals(0, a.code, a.err);
        assertEquals(0, b.code, b.err);
        assertTrue(ParallelPageWalk.walksStarted() > walks + 1, "the zero scan and the copy read on three threads");
        assertTrue(Files.size(one) > 40 << 20, "the memory is in it: " + Files.size(one));
        assertEquals(-1, Files.mismatch(one, three), "byte-identical");
        Run bad = run("convert", "--to", "elf", "--threads", "0", zstd, dir.resolve("bad.elf").toString());
        assertEquals(Main.EXIT_USAGE, bad.code);
        assertTrue(bad.err.contains("--threads: expected a number of threads from 1 to 256"), bad.err);
        assertFalse(Files.exists(dir.resolve("bad.elf")));
    }

    @Test
    void rawReadsOfLargeSpansGiveTheSameBytesOnAnyNumberOfThreads() throws Exception {
        Path zstd = TestData.dump(C + ".d31.kdump-zstd");
        org.kdump4j.memory.MemoryRange big;
        byte[] expected = new byte[5 << 20];
        try (KdumpFile f = KdumpFile.open(zstd)) {
            big = f.memory().ranges().stream().filter(r -> r.size() >= expected.length + 8192).findFirst()
                    .orElseThrow();
            f.memory().read(big.start() + 4100, expected, 0, expected.length);
        }
        for (String n : new String[] {"1", "3"}) {
            int walks = ParallelPageWalk.walksStarted();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(List.of("read", "--raw", "--threads", n, "0x" + Long.toHexString(big.start() + 4100),
                    Integer.toString(expected.length), zstd.toString()), new PrintStream(out, true),
                    new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, code);
            assertArrayEquals(expected, out.toByteArray(), n + " threads");
            assertEquals(n.equals("1") ? walks : walks + 1, ParallelPageWalk.walksStarted(), n + " threads");
        }
    }

    @Test
    void reassembleWritesTheOrdinaryFileAndNeverAHalfWrittenOne(@TempDir Path dir) throws Exception {
        Path flat = TestData.dump("x86_64-6.1-qemu.kdump-zlib.flat");
        Path out = dir.resolve("qemu.kdump");
        Run r = run("reassemble", flat.toString(), out.toString());
        assertEquals(0, r.code, r.err);
        Run d1 = run("digest", out.toString());
        Run d2 = run("digest", flat.toString());
        assertEquals(d2.out, d1.out);
        try (KdumpFile f = KdumpFile.open(out)) {
            assertFalse(f.isFlattened());
        }
        // a truncated stream fails and leaves neither OUT nor a temporary file
        byte[] all = Files.readAllBytes(flat);
        Path cut = dir.resolve("cut.flat");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        Path out2 = dir.resolve("cut.kdump");
        Run bad = run("reassemble", cut.toString(), out2.toString());
        assertEquals(1, bad.code);
        assertTrue(bad.err.contains("end marker"), bad.err);
        assertFalse(Files.exists(out2));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("cut.flat", "qemu.kdump"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Run lenient = run("reassemble", "--allow-truncated", cut.toString(), out2.toString());
        assertEquals(0, lenient.code, lenient.err);
        assertTrue(lenient.out.contains("truncated"), lenient.out);
        assertArrayEquals(java.util.Arrays.copyOf(Files.readAllBytes(out), 4096),
                java.util.Arrays.copyOf(Files.readAllBytes(out2), 4096));
    }
}
