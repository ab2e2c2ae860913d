package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code kdump4j crashkernel}: per-RAM answers, JSON shape, exit codes. */
class CrashKernelCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("range syntax per RAM size, with the 5.17 rounding (2047M -> 128M)")
    void rangesPerRamSize() {
        assertEquals(0, run("crashkernel", "--ram", "1536M,2047M,2G", "512M-2G:64M,2G-:128M"));
        String o = out();
        assertTrue(o.contains("RAM 1536M:"), o);
        assertTrue(o.lines().anyMatch(l -> l.contains("1536M") && l.contains("64 MiB")), o);
        assertTrue(o.lines().anyMatch(l -> l.contains("2047M") && l.contains("128 MiB")), o);
    }

    @Test
    @DisplayName("--kernel-version 5.16: no rounding, 2047M -> 64M")
    void olderKernelRules() {
        assertEquals(0, run("crashkernel", "--kernel-version", "5.16", "--ram", "2047M", "512M-2G:64M,2G-:128M"));
        assertTrue(out().lines().anyMatch(l -> l.contains("2047M") && l.contains("64 MiB")), out());
    }

    @Test
    @DisplayName("an error is printed with its position and exit code 1")
    void errorWithPosition() {
        assertEquals(1, run("crashkernel", "--ram", "8G", "crashkernel=256MB"));
        assertTrue(out().contains("crashkernel=256MB: unrecognized character 'B' at position 17"), out());
    }

    @Test
    @DisplayName("JSON: one object per RAM size, numbers for a reservation, error and position otherwise")
    void json() {
        assertEquals(1, run("crashkernel", "--json", "--ram", "384M", "--ram", "16G", "crashkernel=512M-2G:64M,2G-:128M"));
        String o = out();
        assertTrue(o.startsWith("["), o);
        assertTrue(o.contains("\"ram\": 402653184"), o);
        assertTrue(o.contains("\"error\": \"crashkernel=512M-2G:64M,2G-:128M: no range contains the RAM size 384M at position 13\""), o);
        assertTrue(o.contains("\"problem\": \"NO_RANGE_MATCHES\""), o);
        assertTrue(o.contains("\"ram\": 17179869184,\n    \"size\": 134217728,\n    \"base\": 0,\n    \"low\": 0,\n    \"high\": false,\n    \"cma\": 0"), o);
    }

    @Test
    @DisplayName("JSON: ,high with the default low size on x86_64")
    void jsonHigh() {
        assertEquals(0, run("crashkernel", "--json", "--ram", "16G", "crashkernel=512M,high"));
        assertTrue(out().contains("\"low\": 268435456,\n    \"high\": true"), out());
    }

    @Test
    @DisplayName("--arch ppc64: the ,high form is not read")
    void archSwitch() {
        assertEquals(1, run("crashkernel", "--arch", "ppc64le", "--ram", "16G", "512M,high"));
        assertTrue(out().contains("not read on ppc64"), out());
    }

    @Test
    @DisplayName("a misaligned fixed base parses but the reservation fails: exit 1 and the reason")
    void failingReservation() {
        assertEquals(1, run("crashkernel", "--ram", "8G", "256M@100M"));
        assertTrue(out().contains("FAILS: base 100M is not a multiple of the 16M alignment"), out());
    }

    @Test
    @DisplayName("default RAM sizes 1G..64G; several operands form one command line")
    void defaultsAndJoinedOperands() {
        assertEquals(0, run("crashkernel", "quiet", "crashkernel=256M"));
        long rows = out().lines().filter(l -> l.startsWith("  RAM ")).count();
        assertEquals(6, rows, out());
    }

    @Test
    @DisplayName("usage errors exit 2: bad --ram, bad --kernel-version, unknown --arch, no operand")
    void usageErrors() {
        assertEquals(2, run("crashkernel", "--ram", "8GB", "256M"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unrecognized character 'B' at position 3"));
        assertEquals(2, run("crashkernel", "--kernel-version", "six", "256M"));
        assertEquals(2, run("crashkernel", "--arch", "vax", "256M"));
        assertEquals(2, run("crashkernel"));
    }
}
