package org.kdump4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.cli.Main;
import org.kdump4j.elf.ElfCore;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.testing.MiniJson;
import org.kdump4j.testing.CliRun;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * The kernel view on every committed real ELF dump: {@code kdump4j dmesg} against the committed
 * vmcore-dmesg and makedumpfile outputs, page-table walks against VMCOREINFO and the {@code PT_LOAD}
 * fast path, and the kernel facts against the log.
 */
class RealDumpKernelTest {
    private static final Pattern PREFIX = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{6})\\] ");
    private static final Pattern CALLER = Pattern.compile("^(\\[\\s*\\d+\\.\\d{6}\\] )\\[ *([TC]\\d+)\\] ");

    static List<String> dumps() {
        List<String> d = TestData.elfDumps();
        assertFalse(d.isEmpty(), "no committed ELF dumps");
        return d;
    }

    private static CliRun.Result cli(String... args) {
        return CliRun.run(args);
    }

    private static boolean toolFailed(String reference) {
        return reference.contains("[exit status ");
    }

    private static Optional<String> optionalReference(String stem, String suffix) {
        if (!Files.isRegularFile(TestData.vmcores().resolve(stem + "." + suffix))) {
            return Optional.empty();
        }
        return Optional.of(TestData.reference(stem, suffix));
    }

    /**
     * The marker line the generator wrote to /dev/kmsg before this dump: the one in the committed
     * vmcore-dmesg output, else the one MANIFEST.versions.md lists for the dump's mode.
     */
    private static String marker(String stem) throws IOException {
        String reference = TestData.reference(stem, "vmcore-dmesg.txt");
        Matcher inReference = Pattern.compile("(?m)^\\[[ \\d.]+\\] (KDUMP4J-MARKER .*)$").matcher(reference);
        if (inReference.find()) {
            return inReference.group(1);
        }
        String mode = stem.replaceFirst("^[^-]+-[^-]+-", "").replaceFirst("\\..*$", "");
        String manifest = Files.readString(TestData.vmcores().resolve("MANIFEST.versions.md"));
        Matcher m = Pattern.compile("`(KDUMP4J-MARKER " + Pattern.quote(mode) + "[^`]*)`").matcher(manifest);
        assertTrue(m.find(), "no marker for " + mode + " in MANIFEST.versions.md");
        return m.group(1);
    }

    /** Whether kdump4j walks this machine's page tables. */
    private static boolean walks(Vmcore v) {
        return v.machine().equals(org.kdump4j.elf.Machine.X86_64) || v.machine().equals(org.kdump4j.elf.Machine.AARCH64);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void dmesgIsByteIdenticalToVmcoreDmesg(String stem) throws IOException {
        String reference = TestData.reference(stem, "vmcore-dmesg.txt");
        CliRun.Result run = cli("dmesg", TestData.dump(stem).toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().lines().anyMatch(l -> PREFIX.matcher(l).find() && l.endsWith("] " + markerUnchecked(stem))),
                "marker line missing");
        if (toolFailed(reference)) {
            // vmcore-dmesg needs PT_LOAD virtual addresses; QEMU dumps have none. We walk the page tables.
            assertTrue(reference.contains("No program header covering vaddr"), reference);
            assertTrue(run.out().lines().count() > 100, "log too short");
            assertTrue(run.out().lines().allMatch(l -> PREFIX.matcher(l).find() || !l.startsWith("[")), run.out());
            return;
        }
        assertEquals(reference, run.out());
    }

    private static String markerUnchecked(String stem) {
        try {
            return marker(stem);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void makedumpfileStyleIsByteIdenticalAndCallerIdsAreTheOnlyAddition(String stem) throws IOException {
        Optional<String> reference = optionalReference(stem, "makedumpfile-dmesg.txt");
        if (reference.isEmpty()) {
            return; // makedumpfile could not read this dump (a .FAILED.txt is committed instead)
        }
        String path = TestData.dump(stem).toString();
        CliRun.Result plain = cli("dmesg", "--makedumpfile", path);
        assertEquals(0, plain.code(), plain.err());
        assertEquals(reference.get(), plain.out());

        // makedumpfile 1.7.2 prints no caller ids; later versions insert "[%8s] " after the time stamp and
        // indent continuation lines by the longer prefix. Removing exactly that gives the 1.7.2 output back.
        CliRun.Result callers = cli("dmesg", "--makedumpfile", "--caller-id", path);
        assertEquals(0, callers.code(), callers.err());
        StringBuilder stripped = new StringBuilder();
        int withCaller = 0;
        for (String l : callers.out().split("\n", -1)) {
            Matcher m = CALLER.matcher(l);
            if (m.find()) {
                withCaller++;
                stripped.append(m.group(1)).append(l.substring(m.end()));
            } else if (l.startsWith(" ".repeat(26))) {
                stripped.append(l.substring(11));
            } else {
                stripped.append(l);
            }
            stripped.append('\n');
        }
        stripped.setLength(stripped.length() - 1);
        assertEquals(reference.get(), stripped.toString());
        assertEquals(reference.get().lines().filter(l -> PREFIX.matcher(l).find()).count(), withCaller);
    }

    /** Reads through the page tables only, page by page. */
    private static byte[] readByWalk(AddressSpace as, long va, int length) throws IOException {
        byte[] b = new byte[length];
        int done = 0;
        while (done < length) {
            AddressSpace.Translation t = as.walk(va + done);
            int n = (int) Math.min(length - done, t.contiguousBytes());
            as.memory().read(t.physicalAddress(), b, done, n);
            done += n;
        }
        return b;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void pageWalkReadsTheReleaseAndAgreesWithTheFastPaths(String stem) throws IOException {
        try (Vmcore v = Vmcore.open(TestData.dump(stem))) {
            VmcoreInfo info = v.vmcoreInfo().orElseThrow();
            AddressSpace as = AddressSpace.of(v);
            if (!walks(v)) {
                assertFalse(as.hasPageTables()); // i386: PT_LOAD virtual addresses only
                return;
            }
            assertTrue(as.hasPageTables(), as.diagnostics().toString());
            long release = info.symbol("init_uts_ns").orElseThrow() + info.offset("uts_namespace.name").orElseThrow()
                    + 2 * 65;
            assertEquals(info.osRelease().orElseThrow(), cString(readByWalk(as, release, 65)));
            assertEquals(info.osRelease().orElseThrow(), cString(as.readVirtual(release, 65)));
            assertTrue(as.fastPath(release).isPresent());

            Random random = new Random(stem.hashCode());
            int compared = 0;
            int sampled = 0;
            for (ProgramHeader ph : v.elf().map(ElfCore::programHeaders).orElseThrow()) {
                if (!ph.isLoad() || ph.virtualAddress() == 0 || ph.fileSize() == 0) {
                    continue;
                }
                for (int i = 0; i < 200; i++) {
                    long off = i == 0 ? 0 : (long) (random.nextDouble() * ph.fileSize()) & ~7L;
                    long va = ph.virtualAddress() + off;
                    Optional<AddressSpace.Translation> fast = as.fastPath(va);
                    if (fast.isEmpty()) {
                        continue; // this PT_LOAD's virtual addresses were rejected (QEMU writes p_vaddr = p_paddr)
                    }
                    sampled++;
                    AddressSpace.Translation walked;
                    try {
                        walked = as.walk(va);
                    } catch (TranslationException e) {
                        continue;
                    }
                    compared++;
                    assertEquals(fast.get().physicalAddress(), walked.physicalAddress(),
                            stem + " 0x" + Long.toHexString(va) + " via " + fast.get().method());
                    assertEquals(ph.physicalAddress() + off, walked.physicalAddress());
                }
            }
            assertTrue(compared >= sampled * 9 / 10, compared + " of " + sampled + " samples walked");
            if (!stem.contains("qemu")) {
                assertTrue(compared >= 400, "compared " + compared);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void pageTablesAloneFindTheDirectMapAndTheSameLog(String stem) throws IOException {
        try (Vmcore v = Vmcore.open(TestData.dump(stem))) {
            VmcoreInfo info = v.vmcoreInfo().orElseThrow();
            if (!walks(v)) {
                return;
            }
            AddressSpace withLoads = AddressSpace.of(v);
            AddressSpace tablesOnly = AddressSpace.of(v.memory(), v.vmcoreInfo(), v.machine(), v.byteOrder(),
                    List.of());
            assertTrue(tablesOnly.directMapBase().isPresent(), tablesOnly.diagnostics().toString());
            int ramLoads = 0;
            for (ProgramHeader ph : v.elf().map(ElfCore::programHeaders).orElseThrow()) {
                Optional<AddressSpace.Translation> t = ph.isLoad() && ph.virtualAddress() != 0
                        ? tablesOnly.fastPath(ph.virtualAddress()) : Optional.empty();
                if (t.isPresent() && t.get().method() == AddressSpace.Method.DIRECT_MAP
                        && withLoads.fastPath(ph.virtualAddress()).isPresent()) {
                    assertEquals(ph.physicalAddress(), t.get().physicalAddress(), "PT_LOAD[" + ph.index() + "]");
                    ramLoads++;
                }
            }
            if (!stem.contains("qemu")) {
                assertTrue(ramLoads > 0, "no RAM PT_LOAD checked against the derived direct map");
            }
            if (withLoads.diagnostics().stream().anyMatch(d -> d.startsWith("direct map base from PT_LOAD"))) {
                assertEquals(withLoads.directMapBase(), tablesOnly.directMapBase());
            }
            assertEquals(KernelLog.read(withLoads, info).formatVmcoreDmesg(),
                    KernelLog.read(tablesOnly, info).formatVmcoreDmesg());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void kernelFactsAgreeWithVmcoreInfoTheNotesAndTheLog(String stem) throws IOException {
        String text = cli("dmesg", TestData.dump(stem).toString()).out();
        try (Vmcore v = Vmcore.open(TestData.dump(stem))) {
            VmcoreInfo info = v.vmcoreInfo().orElseThrow();
            KernelFacts f = KernelFacts.of(v);
            assertEquals(info.osRelease(), f.release());
            assertEquals(info.buildId(), f.buildId());
            // a live QEMU dump (no panic) has no CRASHTIME
            assertEquals(info.crashTime().isPresent(), f.crashTime().isPresent());
            if (info.crashTime().isPresent()) {
                assertEquals(info.crashTime().getAsLong(), f.crashTime().orElseThrow().getEpochSecond());
            }
            KernelFacts.Utsname uts = f.utsname().orElseThrow();
            assertEquals("Linux", uts.sysname());
            assertEquals(info.osRelease().orElseThrow(), uts.release());
            assertTrue(uts.machine().matches(v.machine().equals(org.kdump4j.elf.Machine.I386) ? "i[3-6]86"
                    : Pattern.quote(v.machine().architecture())), uts.machine());
            assertTrue(text.contains(uts.version()), uts.version());

            List<String> stamped = text.lines().filter(l -> PREFIX.matcher(l).find()).toList();
            Matcher last = PREFIX.matcher(stamped.getLast());
            assertTrue(last.find());
            long micros = Long.parseLong(last.group(1)) * 1_000_000 + Long.parseLong(last.group(2));
            assertEquals(micros, f.uptime().orElseThrow().toNanos() / 1000);

            Matcher panic = Pattern.compile("(?m)^\\[[ \\d.]+\\] Kernel panic - not syncing: (.*)\\n"
                    + "\\[[ \\d.]+\\] CPU: (\\d+) (?:UID: \\d+ )?PID: (\\d+) Comm: (\\S+)").matcher(text);
            if (!panic.find()) {
                assertFalse(text.contains("Kernel panic - not syncing"), "panic line not followed by CPU line");
                assertTrue(f.panic().isEmpty()); // e.g. a live QEMU dump
                return;
            }
            KernelFacts.Panic p = f.panic().orElseThrow();
            assertEquals(panic.group(1), p.message());
            assertEquals(Integer.parseInt(panic.group(2)), p.cpu().getAsInt());
            assertEquals(Integer.parseInt(panic.group(3)), p.pid().getAsInt());
            assertEquals(panic.group(4), p.command().orElseThrow());
            if (p.noteIndex().isPresent()) {
                assertEquals(p.pid().getAsInt(), v.cpus().get(p.noteIndex().getAsInt()).pid().getAsInt());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    @SuppressWarnings("unchecked")
    void levelAndFacilityComeFromTheRecordLayout(String stem) throws IOException {
        CliRun.Result run = cli("dmesg", "--json", "--caller-id", TestData.dump(stem).toString());
        assertEquals(0, run.code(), run.err());
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(run.out());
        assertEquals("LOCKLESS_RINGBUFFER", json.get("format"));
        List<Map<String, Object>> records = (List<Map<String, Object>>) json.get("records");
        String marker = marker(stem);
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> r : records) {
            String t = (String) r.get("text");
            if (t.equals(marker)) {
                // written to /dev/kmsg without a <N> prefix: LOG_USER at the default message level (4)
                assertEquals(1, ((Number) r.get("facility")).intValue());
                assertEquals(4, ((Number) r.get("level")).intValue());
                assertTrue(((String) r.get("caller")).startsWith("T"));
                found.add(r);
            } else if (t.startsWith("Kernel panic - not syncing: ")) {
                assertEquals(0, ((Number) r.get("level")).intValue()); // pr_emerg
                assertEquals(0, ((Number) r.get("facility")).intValue());
                found.add(r);
            } else if (t.startsWith("Linux version ")) {
                assertEquals(5, ((Number) r.get("level")).intValue()); // pr_notice
                found.add(r);
            }
        }
        boolean panicked = records.stream().anyMatch(r -> ((String) r.get("text")).startsWith("Kernel panic"));
        assertEquals(panicked ? 3 : 2, found.size(), "marker, panic and banner records");
    }

    /** The committed heads (first MiB) of dumps, whose memory is cut off but whose headers are whole. */
    static List<String> heads() throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.list(TestData.vmcores())) {
            List<String> h = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".vmcore.head.gz"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
            assertFalse(h.isEmpty(), "no committed dump heads");
            return h;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void vmcoreInfoAloneGivesTheLinearMappingsTheKernelWroteIntoThePtLoads(String stem) throws IOException {
        // kexec puts p_vaddr = the kernel's own __va()/_text for each segment: the linear mappings derived
        // from VMCOREINFO alone (x86_64 phys_base; aarch64 PHYS_OFFSET, "negative" for a 52-bit kernel on
        // 48-bit hardware, and kimage_voffset) must reproduce them
        try (Vmcore v = Vmcore.open(TestData.dump(stem),
                org.kdump4j.vmcore.VmcoreOptions.defaults().withLenient(true))) {
            if (!walks(v)) {
                return;
            }
            VmcoreInfo info = v.vmcoreInfo().orElseThrow();
            AddressSpace bare = AddressSpace.of(v.memory(), v.vmcoreInfo(), v.machine(), v.byteOrder(), List.of());
            int checked = 0;
            for (ProgramHeader ph : v.elf().map(ElfCore::programHeaders).orElseThrow()) {
                if (!ph.isLoad() || ph.virtualAddress() == 0) {
                    continue;
                }
                Optional<AddressSpace.Translation> t = bare.fastPath(ph.virtualAddress());
                if (t.isPresent()) {
                    assertEquals(ph.physicalAddress(), t.get().physicalAddress(), "PT_LOAD[" + ph.index() + "] via "
                            + t.get().method());
                    checked++;
                } else if (v.machine().equals(org.kdump4j.elf.Machine.AARCH64)) {
                    assertEquals(ph.physicalAddress(), ph.virtualAddress() - info.number("kimage_voffset").orElseThrow(),
                            "kernel image PT_LOAD[" + ph.index() + "]");
                    checked++;
                }
            }
            // x86_64: the text segment (the direct map needs page tables, which a head does not hold);
            // aarch64: every segment
            long loads = v.elf().orElseThrow().loads().stream().filter(p -> p.virtualAddress() != 0).count();
            assertEquals(v.machine().equals(org.kdump4j.elf.Machine.AARCH64) ? loads : 1, checked);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void readVirtualUsesThePageTables(String stem) throws IOException {
        VmcoreInfo info;
        try (Vmcore v = Vmcore.open(TestData.dump(stem))) {
            info = v.vmcoreInfo().orElseThrow();
        }
        long release = info.symbol("init_uts_ns").orElseThrow() + info.offset("uts_namespace.name").orElseThrow()
                + 2 * 65;
        CliRun.Result run = cli("read", "--virtual", "--raw", "0x" + Long.toHexString(release), "65",
                TestData.dump(stem).toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(info.osRelease().orElseThrow(), cString(run.out().getBytes(StandardCharsets.ISO_8859_1)));
    }
}
