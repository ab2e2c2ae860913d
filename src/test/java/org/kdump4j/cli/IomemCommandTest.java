package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kdump4j iomem}: tree, summary, hidden-address warning, JSON, exit codes. */
class IomemCommandTest {
    static final String IOMEM = """
            00001000-0009fbff : System RAM
            00100000-1ffd9fff : System RAM
              0f400000-10201d31 : Kernel code
              13000000-1effffff : Crash kernel
            """;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("prints the tree as the kernel does, then RAM and crash kernel summary")
    void treeAndSummary(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iomem"), IOMEM);
        assertEquals(0, run("iomem", f.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith(IOMEM), o);
        assertTrue(o.contains("System RAM:   2 ranges, "), o);
        assertTrue(o.contains("Crash kernel: 0x13000000-0x1effffff (192 MiB)"), o);
        assertTrue(o.contains("Kernel code:   0xf400000-0x10201d31"), o);
    }

    @Test
    @DisplayName("zeroed addresses (not root): a clear warning on stderr, names only, exit 0")
    void hiddenAddresses(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iomem"), "00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n");
        assertEquals(0, run("iomem", f.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("read without CAP_SYS_ADMIN (run as root"), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("  ????????-???????? : Crash kernel"), out.toString());
    }

    @Test
    @DisplayName("JSON: nested resources with hex addresses, RAM total and crash region")
    void json(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iomem"), IOMEM);
        assertEquals(0, run("iomem", "--json", f.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("\"addressesHidden\": false"), o);
        assertTrue(o.contains("\"start\": \"0x13000000\""), o);
        assertTrue(o.contains("\"systemRamBytes\": " + (0x9ec00L + 0x1feda000L)), o);
        assertTrue(o.contains("\"children\": ["), o);
    }

    @Test
    @DisplayName("a malformed file is bad input: exit 1 with line and position")
    void malformed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("iomem"), "00001000-0009fbff : System RAM\n   x\n");
        assertEquals(1, run("iomem", f.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("iomem line 2: odd indentation"), err.toString());
    }

    @Test
    @DisplayName("a missing file is bad input (exit 1); two operands are a usage error (exit 2)")
    void missingFileAndUsage(@TempDir Path dir) {
        assertEquals(1, run("iomem", dir.resolve("nope").toString()));
        assertEquals(2, run("iomem", "a", "b"));
    }
}
