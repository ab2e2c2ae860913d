package org.kdump4j.vmcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.io.DumpFormatException;
import org.kdump4j.testing.TestData;

class GzipDumpTest {
    @TempDir
    Path dir;

    private static long tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("kdump4j-")).count();
        }
    }

    @Test
    void gzipWrappedDumpsReadLikeTheirContentAndLeaveNoTemporaryFile() throws IOException {
        String stem = "x86_64-6.1-kexec-c.d31.elf";
        long before = tempFiles();
        MemoryDigest wrapped;
        try (Vmcore v = Vmcore.open(TestData.file(stem + ".gz"))) {
            assertTrue(v.name().endsWith(".gz (unpacked)"), v.name());
            wrapped = MemoryDigest.of(v.memory());
        }
        assertEquals(before, tempFiles(), "temporary file removed on close");
        try (Vmcore v = Vmcore.open(TestData.dump(stem))) {
            assertEquals(MemoryDigest.of(v.memory()), wrapped);
        }
    }

    @Test
    void truncatedGzipIsATypedErrorAndLeavesNoTemporaryFile() throws IOException {
        byte[] gz = Files.readAllBytes(TestData.file("x86_64-6.1-kexec-c.vmcore.head.gz"));
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, java.util.Arrays.copyOf(gz, gz.length / 2));
        long before = tempFiles();
        DumpFormatException e = assertThrows(DumpFormatException.class, () -> Vmcore.open(cut));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
        assertEquals(before, tempFiles());
    }
}
