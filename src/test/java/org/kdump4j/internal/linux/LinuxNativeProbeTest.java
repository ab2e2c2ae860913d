package org.kdump4j.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kdump4j.kexec.Errno;
import org.kdump4j.kexec.KexecAbi;
import org.kdump4j.kexec.KexecProbe;

/**
 * Native downcalls on the host, with calls that fail before any side effect only: the kexec probes
 * (an undefined flag bit), and ordinary syscalls of the same argument shapes whose errno depends on
 * each argument. This class never loads or unloads a kernel, and {@link #noHostTestCanReachARealLoad}
 * keeps every other test from doing so.
 */
class LinuxNativeProbeTest {
    private static final Set<Integer> PROBE_ERRNOS = Set.of(Errno.EINVAL.value(), Errno.EPERM.value(),
            Errno.EACCES.value(), Errno.ENOSYS.value());

    private static boolean x86_64Linux() {
        return System.getProperty("os.name").startsWith("Linux") && KexecAbi.current().orElse(null) == KexecAbi.X86_64;
    }

    @Test
    void theNativeLoaderIsAvailableOnTheClassPathWithNativeAccess() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && KexecAbi.current().isPresent());
        LinuxKexecLoader l = new LinuxKexecLoader();
        assertTrue(l.isAvailable(), l.toString());
        assertTrue(l.isNative());
        assertEquals(100, l.priority());
    }

    @Test
    void probesFailBeforeAnySideEffectWithAMappedErrno() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && KexecAbi.current().isPresent());
        List<KexecProbe> probes = new LinuxKexecLoader().probe();
        assertEquals(List.of("kexec_file_load", "kexec_load"), probes.stream().map(KexecProbe::syscall).toList());
        for (KexecProbe p : probes) {
            assertTrue(PROBE_ERRNOS.contains(p.errno().value()), p.describe());
            assertTrue(p.outcome() != KexecProbe.Outcome.UNEXPECTED, p.describe());
        }
        boolean hasKexec = Files.exists(Path.of("/sys/kernel/kexec_crash_loaded"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!hasKexec) {
            assertEquals(Errno.ENOSYS, probes.getFirst().errno(), "a kernel without kexec has no syscall");
        } else if (root && probes.getFirst().outcome() != KexecProbe.Outcome.NOT_PERMITTED) {
            assertEquals(Errno.EINVAL, probes.getFirst().errno(), "as root the unknown flag bit is EINVAL");
        }
    }

    @Test
    void errnoIsCapturedForOpenAndClose() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Syscalls.Result missing = Syscalls.open("/nonexistent/kdump4j-" + System.nanoTime(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        assertTrue(missing.failed());
        assertEquals(Errno.ENOENT.value(), missing.errno());
        Syscalls.Result ok = Syscalls.open("/proc/self/stat", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        assertFalse(ok.failed());
        assertEquals(0, Syscalls.close((int) ok.value()).value());
        Syscalls.Result twice = Syscalls.close((int) ok.value());
        assertEquals(Errno.EBADF.value(), twice.errno());
    }

    /**
     * The kexec_file_load handle's shape (long, long, long, pointer, long) carries every argument:
     * {@code setsockopt(fd, level, optname, optval, optlen)} fails differently when any one is wrong.
     */
    @Test
    void fileLoadShapedCallPassesEveryArgument() {
        assumeTrue(x86_64Linux());
        long socket = 41, setsockopt = 54, afUnix = 1, sockStream = 1, solSocket = 1, soRcvbuf = 8;
        Syscalls.Result s = Syscalls.syscall(socket, afUnix, sockStream, 0, MemorySegment.NULL, 0);
        assertFalse(s.failed(), "socket errno " + s.errno());
        int fd = (int) s.value();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment val = arena.allocate(JAVA_INT);
            val.set(JAVA_INT, 0, 65536);
            assertEquals(0, Syscalls.syscall(setsockopt, fd, solSocket, soRcvbuf, val, 4).value());
            assertEquals(Errno.EBADF.value(), Syscalls.syscall(setsockopt, 999_999, solSocket, soRcvbuf, val, 4).errno(), "arg 1");
            assertEquals(92 /* ENOPROTOOPT */, Syscalls.syscall(setsockopt, fd, solSocket, 9999, val, 4).errno(), "arg 3");
            assertEquals(Errno.EFAULT.value(), Syscalls.syscall(setsockopt, fd, solSocket, soRcvbuf, MemorySegment.NULL, 4).errno(), "arg 4");
            assertEquals(Errno.EINVAL.value(), Syscalls.syscall(setsockopt, fd, solSocket, soRcvbuf, val, 2).errno(), "arg 5");
            assertTrue(Syscalls.syscall(setsockopt, fd, 0xdead, soRcvbuf, val, 4).failed(), "arg 2");
        } finally {
            Syscalls.close(fd);
        }
    }

    /** The kexec_load handle's shape (long, long, pointer, long): {@code sched_getaffinity(pid, len, mask)}. */
    @Test
    void loadShapedCallPassesEveryArgument() {
        assumeTrue(x86_64Linux());
        long schedGetaffinity = 204;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(128);
            Syscalls.Result r = Syscalls.syscall(schedGetaffinity, 0, 128, mask, 0);
            assertTrue(r.value() > 0 && r.value() <= 128, "bytes copied " + r.value() + " errno " + r.errno());
            long bits = 0;
            for (int i = 0; i < r.value(); i++) {
                bits += Integer.bitCount(mask.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 0xff);
            }
            assertTrue(bits >= 1, "at least one CPU in the mask");
            assertEquals(Errno.EINVAL.value(), Syscalls.syscall(schedGetaffinity, 0, 1, mask, 0).errno(), "arg 2 too small");
            assertEquals(Errno.EFAULT.value(), Syscalls.syscall(schedGetaffinity, 0, 128, MemorySegment.NULL, 0).errno(), "arg 3");
            assertEquals(3 /* ESRCH */, Syscalls.syscall(schedGetaffinity, Integer.MAX_VALUE, 128, mask, 0).errno(), "arg 1");
        }
    }

    @Test
    void nativeAccessHintNamesTheExactFlag() {
        assertTrue(LinuxKexecLoader.nativeAccessHint(Object.class.getModule())
                .endsWith("--enable-native-access=java.base"));
        assertTrue(LinuxKexecLoader.nativeAccessHint(getClass().getClassLoader().getUnnamedModule())
                .contains("--enable-native-access=ALL-UNNAMED"));
    }

    /**
     * Host tests make only the probe calls: no other test source may name the native loader, select a
     * native loader and load or unload with it, or run {@code kexec load}/{@code unload} through
     * {@code Main} (whose command uses the native loader). CLI tests inject a dry-run loader. The real
     * load path runs only in the QEMU guest ({@code src/it/qemu/kdump-e2e.sh}).
     */
    @Test
    void noHostTestCanReachARealLoad() throws IOException {
        Path tests = Path.of(System.getProperty("user.dir"), "src/test/java");
        assumeTrue(Files.isDirectory(tests));
        List<String> forbidden = List.of("LinuxKexecLoader", "best().load", "best().unload", "named(\"linux\")",
                "\"kexec\", \"load\"", "\"kexec\", \"unload\"", "new KexecCommand()");
        try (Stream<Path> files = Files.walk(tests)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.getFileName().toString().equals("LinuxNativeProbeTest.java")) {
                    continue;
                }
                String text = Files.readString(f);
                for (String bad : forbidden) {
                    assertFalse(text.contains(bad), f + " contains '" + bad + "'");
                }
            }
        }
    }
}
