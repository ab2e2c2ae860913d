package org.kdump4j.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boot-side texts captured from real QEMU guests ({@code testdata/boot/<case>/{first,first-loaded,capture}})
 * parse, and agree with each other the way the kernel makes them agree. These tests fail, never skip,
 * when the committed files are missing.
 */
class RealCaptureTest {
    /** The cases the testdata generator produced; each must stay committed. */
    static final List<String> REQUIRED = List.of("x86_64-6.1-kexec-c", "x86_64-6.1-kexec-s", "x86_64-6.1-qemu",
            "i386-6.1-kexec-c-elf32", "arm64-6.12-kexec-c");
    static final List<String> REQUIRED_WITH_CAPTURE = List.of("x86_64-6.1-kexec-c", "x86_64-6.1-kexec-s",
            "i386-6.1-kexec-c-elf32", "arm64-6.12-kexec-c");
    static final List<String> FIRST_FILES = List.of("cmdline", "iomem", "kexec_crash_size", "kexec_crash_loaded",
            "kexec_loaded", "vmcoreinfo", "uname", "cpu0.crash_notes", "cpu0.crash_notes_size");

    static Path bootData() {
        String env = System.getenv("KDUMP4J_TESTDATA");
        return (env != null ? Path.of(env) : Path.of("testdata")).resolve("boot");
    }

    static Stream<String> cases() throws IOException {
        Path boot = bootData();
        if (!Files.isDirectory(boot)) {
            throw new IOException("missing test data directory " + boot.toAbsolutePath());
        }
        try (Stream<Path> s = Files.list(boot)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                throw new IOException("no capture cases in " + boot.toAbsolutePath());
            }
            return names.stream();
        }
    }

    static String read(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), () -> "missing captured file " + p);
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
    }

    /** uname -a: "Linux (none) 6.1.0-56-amd64 #1 SMP ... x86_64 GNU/Linux". */
    static CrashKernelRules rules(Path dir) throws IOException {
        String[] f = read(dir.resolve("uname")).strip().split(" ");
        String machine = f[f.length - 1].equals("GNU/Linux") ? f[f.length - 2] : f[f.length - 1];
        return new CrashKernelRules(Arch.fromName(machine), KernelVersion.parse(f[2]));
    }

    @Test
    @DisplayName("the committed captures are all there (missing files fail, they do not skip)")
    void requiredCapturesArePresent() throws IOException {
        for (String c : REQUIRED) {
            for (String f : FIRST_FILES) {
                read(bootData().resolve(c).resolve("first").resolve(f));
            }
        }
        for (String c : REQUIRED_WITH_CAPTURE) {
            read(bootData().resolve(c).resolve("capture/cmdline"));
            read(bootData().resolve(c).resolve("capture/iomem"));
            read(bootData().resolve(c).resolve("first-loaded/kexec_crash_loaded"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("every captured text parses (cmdline, iomem, sysfs files, vmcoreinfo, crash_notes)")
    void everyCapturedTextParses(String name, @TempDir Path root) throws Exception {
        Path caseDir = bootData().resolve(name);
        int stages = 0;
        for (String stage : List.of("first", "first-loaded", "capture")) {
            Path dir = caseDir.resolve(stage);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            stages++;
            KernelCommandLine.parse(read(dir.resolve("cmdline")));
            Iomem io = Iomem.parse(read(dir.resolve("iomem")));
            assertFalse(io.addressesHidden(), "captured as root");
            assertFalse(io.systemRam().isEmpty());
            SysfsKexecState s = SysfsKexecState.read(sysfsTree(dir, root.resolve(stage)));
            assertTrue(s.kexecLoaded().isPresent() && s.kexecCrashLoaded().isPresent() && s.kexecCrashSize().isPresent());
            VmcoreInfoLocation info = s.vmcoreinfo().orElseThrow();
            assertTrue(inRam(io, info.address()), () -> "vmcoreinfo note outside System RAM: " + info);
            boolean x86 = rules(dir).arch() == Arch.X86_64;
            if (x86) {
                assertEquals(0x1024, info.size(), "VMCOREINFO note size on a 4 KiB-page kernel");
            }
            assertFalse(s.crashNotes().isEmpty());
            for (CpuCrashNotes n : s.crashNotes()) {
                assertTrue(inRam(io, n.address()), () -> "crash notes outside System RAM: " + n);
                if (x86) {
                    assertEquals(368, n.size().orElseThrow(), "sizeof(note_buf_t) on x86_64");
                }
            }
        }
        assertTrue(stages >= 1, "no stage directory in " + caseDir);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("the Crash kernel region in iomem is exactly what crashkernel= reserves for that machine's RAM, CRASH_ALIGN aligned")
    void crashRegionMatchesCrashkernelParameter(String name) throws Exception {
        Path first = bootData().resolve(name).resolve("first");
        CrashKernelRules rules = rules(first);
        Iomem io = Iomem.parse(read(first.resolve("iomem")));
        long ram = io.bootSystemRamBytes();
        long crashSize = SysfsKexecState.parseKexecCrashSize(read(first.resolve("kexec_crash_size")));
        List<IomemResource> regions = io.crashKernel();
        Optional<CrashKernelPlan> plan = CrashKernel.ofCommandLine(read(first.resolve("cmdline"))).plan(ram, rules);
        if (plan.isEmpty()) {
            assertTrue(regions.isEmpty(), "no crashkernel= but a Crash kernel region");
            assertEquals(0, crashSize);
            return;
        }
        CrashKernelPlan p = plan.get();
        assertTrue(p.succeeds(), p::describe);
        IomemResource main = regions.stream().filter(r -> r.size() == p.size()).findFirst()
                .orElseThrow(() -> new AssertionError("no Crash kernel region of " + p.describe() + " in " + regions));
        assertEquals(0, Long.remainderUnsigned(main.start(), p.alignment()), () -> main + " not aligned to " + p.alignment());
        if (p.placement() == Placement.FIXED) {
            assertEquals(p.base(), main.start());
        }
        boolean landedHigh = Long.compareUnsigned(main.start(), rules.arch().lowMax()) >= 0;
        if (p.placement() == Placement.LOW_FIRST && !landedHigh) {
            assertTrue(Long.compareUnsigned(main.end(), rules.arch().lowMax()) < 0, "low placement ends below the low limit");
        }
        long lowExpected = landedHigh && p.placement() != Placement.FIXED ? p.lowSize() : 0;
        List<IomemResource> others = regions.stream().filter(r -> r != main).toList();
        assertEquals(lowExpected == 0 ? 0 : 1, others.size(), () -> "extra Crash kernel regions " + others);
        others.forEach(r -> assertEquals(lowExpected, r.size(), "crashk_low_res size"));
        long expectedSysfs = rules.version().atLeast(6, 5) ? main.size() + lowExpected : main.size();
        assertEquals(expectedSysfs, crashSize, "kexec_crash_size");
        assertTrue(io.systemRam().stream().anyMatch(r -> r.contains(main.start()) && r.contains(main.end())),
                "Crash kernel is nested in System RAM");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("kexec -p sets kexec_crash_loaded; the capture kernel gets elfcorehdr= into the crash region (arm64: in the device tree instead)")
    void captureKernelCarriesElfcorehdr(String name) throws Exception {
        Path caseDir = bootData().resolve(name);
        Path capture = caseDir.resolve("capture");
        if (!Files.isDirectory(capture)) {
            assertFalse(CrashKernel.ofCommandLine(read(caseDir.resolve("first/cmdline"))).isPresent(),
                    "a case with crashkernel= must have a capture stage");
            return;
        }
        assertTrue(SysfsKexecState.parseLoadedFlag(read(caseDir.resolve("first-loaded/kexec_crash_loaded"))));
        assertFalse(SysfsKexecState.parseLoadedFlag(read(caseDir.resolve("first/kexec_crash_loaded"))));
        KernelCommandLine line = KernelCommandLine.parse(read(capture.resolve("cmdline")));
        List<IomemResource> regions = Iomem.parse(read(caseDir.resolve("first/iomem"))).crashKernel();
        if (rules(caseDir.resolve("first")).arch() == Arch.ARM64) {
            // arm64 hands the header address over in /chosen/linux,elfcorehdr of the device tree
            assertEquals(Optional.empty(), line.last(ElfCoreHdrParam.NAME), line.text());
        } else {
            KernelParameter p = line.last(ElfCoreHdrParam.NAME)
                    .orElseThrow(() -> new AssertionError("no elfcorehdr= in " + line.text()));
            ElfCoreHdrParam hdr = ElfCoreHdrParam.parse(p.value().orElseThrow());
            assertEquals(Optional.of(hdr), ElfCoreHdrParam.fromCommandLine(line));
            assertTrue(regions.stream().anyMatch(r -> r.contains(hdr.address())), () -> hdr + " outside the crash regions " + regions);
        }
        // the capture kernel sees only the crash region as RAM, plus the low 1 MiB kexec passes on
        for (IomemResource r : Iomem.parse(read(capture.resolve("iomem"))).systemRam()) {
            boolean low = Long.compareUnsigned(r.end(), 1L << 20) < 0;
            boolean inside = regions.stream().anyMatch(c -> c.contains(r.start()) && c.contains(r.end()));
            assertTrue(low || inside, () -> "capture RAM " + r + " outside " + regions);
        }
        assertEquals(0, SysfsKexecState.parseKexecCrashSize(read(capture.resolve("kexec_crash_size"))));
    }

    /** Lays the flat captured files out as sys/kernel/... and sys/devices/system/cpu/cpuN/... under {@code root}. */
    static Path sysfsTree(Path dir, Path root) throws IOException {
        Path kernel = Files.createDirectories(root.resolve("sys/kernel"));
        for (String f : List.of("kexec_loaded", "kexec_crash_loaded", "kexec_crash_size", "vmcoreinfo")) {
            Files.copy(dir.resolve(f), kernel.resolve(f));
        }
        List<Path> notes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("cpu[0-9]+\\.crash_notes(_size)?")).forEach(notes::add);
        }
        if (notes.isEmpty()) {
            fail("no cpuN.crash_notes in " + dir);
        }
        for (Path p : notes) {
            String[] parts = p.getFileName().toString().split("\\.");
            Path cpu = Files.createDirectories(root.resolve("sys/devices/system/cpu").resolve(parts[0]));
            Files.copy(p, cpu.resolve(parts[1]));
        }
        return root;
    }

    private static boolean inRam(Iomem io, long address) {
        return io.systemRam().stream().anyMatch(r -> r.contains(address));
    }
}
