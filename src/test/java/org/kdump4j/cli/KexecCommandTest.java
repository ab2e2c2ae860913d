package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kdump4j.kexec.DryRunKexecLoader;

/**
 * {@code kdump4j kexec}: every sub-command against a fake system directory, with a dry-run loader
 * injected in place of the native one (no test can reach a real load).
 */
class KexecCommandTest {
    @TempDir
    Path root;
    Path kernel;
    Path initrd;
    /** Stands for the native loader: a simulation of the fake system. */
    DryRunKexecLoader system;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        KexecCommand cmd = new KexecCommand(() -> system, DryRunKexecLoader::ofSystem, root);
        List<String> all = new ArrayList<>(List.of(args));
        int code;
        // the same mapping Main applies to a command's exceptions
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        try {
            code = cmd.run(all, o, e);
        } catch (UsageException x) {
            e.println(x.getMessage());
            code = Main.EXIT_USAGE;
        } catch (Exception x) {
            e.println(x.getMessage());
            code = Main.EXIT_BAD_INPUT;
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void fakeSystem(long crashBytes, String crashLoaded) throws Exception {
        Path k = Files.createDirectories(root.resolve("sys/kernel"));
        Files.writeString(k.resolve("kexec_crash_loaded"), crashLoaded + "\n");
        Files.writeString(k.resolve("kexec_loaded"), "0\n");
        Files.writeString(k.resolve("kexec_crash_size"), crashBytes + "\n");
        Files.createDirectories(root.resolve("proc"));
        StringBuilder iomem = new StringBuilder("00100000-7ffdffff : System RAM\n");
        if (crashBytes > 0) {
            iomem.append("  20000000-").append(Long.toHexString(0x2000_0000L + crashBytes - 1)).append(" : Crash kernel\n");
        }
        Files.writeString(root.resolve("proc/iomem"), iomem);
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/vda1 crashkernel=256M console=ttyS0\n");
        system = DryRunKexecLoader.ofSystem(root);
    }

    @BeforeEach
    void setUp() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x202, 0x53726448).putShort(0x206, (short) 0x020f).putInt(0x260, 20 << 20);
        kernel = Files.write(root.resolve("vmlinuz"), b.array());
        initrd = Files.write(root.resolve("initrd.img"), new byte[50_000]);
        fakeSystem(256L << 20, "0");
    }

    @Test
    void loadReusingTheCommandLine() {
        Result r = run("load", "--crash", kernel.toString(), "--initrd", initrd.toString(), "--reuse-cmdline");
        assertEquals(0, r.code(), r.err());
        String expected = "root=/dev/vda1 console=ttyS0 1 irqpoll maxcpus=1 reset_devices";
        assertTrue(r.out().contains("command line: " + expected), r.out());
        assertTrue(r.out().contains("kexec_file_load(kernel_fd=open(\"" + kernel + "\")"), r.out());
        assertTrue(r.out().contains("flags=KEXEC_FILE_ON_CRASH) = 0"), r.out());
        assertTrue(r.out().contains("crash kernel loaded: yes"), r.out());
        assertTrue(system.status().armed());
    }

    @Test
    void dryRunSimulatesTheSystemAndLeavesItAlone() {
        Result r = run("load", "--crash", kernel.toString(), "--append", "console=ttyS0", "--root", "/dev/vdb", "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("would load crash kernel"), r.out());
        assertTrue(r.out().contains("command line: console=ttyS0 1 irqpoll maxcpus=1 reset_devices root=/dev/vdb"), r.out());
        assertTrue(r.out().contains("(simulated)"), r.out());
        assertTrue(system.calls().isEmpty(), "the injected 'native' loader was not used");
    }

    @Test
    void loadRefusesWithoutAReservationUnlessAskedToSkipTheCheck() throws Exception {
        fakeSystem(0, "0");
        Result r = run("load", "--crash", kernel.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no crash kernel memory is reserved"), r.err());
        assertTrue(system.calls().isEmpty());
        Result forced = run("load", "--crash", kernel.toString(), "--skip-region-check");
        assertEquals(1, forced.code());
        assertTrue(forced.err().contains("EADDRNOTAVAIL (99)"), forced.err());
        assertEquals(1, system.calls().size());
    }

    @Test
    void badImageIsEnoexec() throws Exception {
        Path garbage = Files.write(root.resolve("garbage"), new byte[10_000]);
        Result r = run("load", "--crash", garbage.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("kexec_file_load failed: ENOEXEC (8)"), r.err());
    }

    @Test
    void unloadAndStatus() throws Exception {
        fakeSystem(256L << 20, "1");
        Result s = run("status");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("crash kernel loaded: yes"), s.out());
        assertTrue(s.out().contains("crash kernel region: 0x20000000-0x2fffffff (256 MiB)"), s.out());
        assertTrue(s.out().contains("probe:               kexec_file_load: usable"), s.out());
        Result u = run("unload", "--crash");
        assertEquals(0, u.code(), u.err());
        assertTrue(u.out().contains("flags=KEXEC_FILE_UNLOAD|KEXEC_FILE_ON_CRASH) = 0"), u.out());
        assertTrue(u.out().contains("unloaded the crash kernel"), u.out());
        assertFalse(system.status().armed());
        Result json = run("status", "--json");
        assertTrue(json.out().contains("\"crashLoaded\": true"), json.out());
        assertTrue(json.out().contains("\"outcome\": \"USABLE\""), json.out());
    }

    @Test
    void usageMistakes() {
        assertEquals(2, run().code());
        assertEquals(2, run("explode").code());
        Result noCrash = run("load", kernel.toString());
        assertEquals(2, noCrash.code());
        assertTrue(noCrash.err().contains("KexecRequest.forReboot"), noCrash.err());
        assertEquals(2, run("load", "--crash", kernel.toString(), "--append", "x", "--reuse-cmdline").code());
        assertEquals(2, run("unload").code());
        assertEquals(2, run("load", "--crash").code());
        assertEquals(1, run("load", "--crash", root.resolve("missing").toString()).code());
    }
}
