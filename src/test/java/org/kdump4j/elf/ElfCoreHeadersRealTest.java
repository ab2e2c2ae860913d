package org.kdump4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.io.ByteSource;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.testing.TestData;
import org.kdump4j.vmcore.VmcoreInfo;

/**
 * Against reality: from what the testdata generator captured in the first kernel before {@code kexec -p}
 * ({@code /proc/iomem}, {@code cpuN/crash_notes}, {@code /sys/kernel/vmcoreinfo}, {@code /proc/kallsyms}),
 * {@link ElfCoreHeaders} builds exactly the {@code PT_LOAD}s (paddr, vaddr, memsz) of the real
 * {@code /proc/vmcore} the capture kernel made from kexec-tools' header ({@code kexec -c -p},
 * {@link ElfCoreHeaders.Layout#KEXEC_TOOLS}) and from the kernel's ({@code kexec -s -p},
 * {@link ElfCoreHeaders.Layout#KERNEL}). The capture kernel rewrites {@code p_offset}s and merges the
 * {@code PT_NOTE}s, so those are compared with what they became (and, for kexec-tools, with the
 * header kexec-tools itself printed with {@code kexec -d}, field for field).
 *
 * <p>Where the values come from, as the producers get them:
 * <ul>
 *   <li>{@code PAGE_OFFSET}: kexec-tools masks the lowest direct-map address of {@code /proc/kcore} to
 *       1 GiB (KASLR moves the direct map in 1 GiB steps); we mask a direct-map address the first
 *       kernel published, VMCOREINFO's {@code SYMBOL(mem_section)} (a memblock allocation, RAM is below
 *       1 GiB here), the same way. The VMCOREINFO text is the first kernel's, read from the dump's note.
 *   <li>kexec-tools text: {@code p_paddr} = start of {@code Kernel code}; {@code p_vaddr} = {@code _stext}
 *       from kallsyms aligned down to 1 MiB; size = {@code _end} minus that, page aligned (the kcore
 *       text segment ends at {@code _end}).
 *   <li>kernel text: {@code _text = __START_KERNEL + KERNELOFFSET} (VMCOREINFO),
 *       {@code __pa_symbol(_text) = _text - __START_KERNEL_map + phys_base} ({@code NUMBER(phys_base)}),
 *       size {@code _end - _text} from kallsyms (kexec-s has no kallsyms capture: the kexec-c one is of
 *       the same build, checked by VMCOREINFO {@code BUILD-ID}).
 *   <li>The backup copy's address is kexec-tools' own allocation: taken from its {@code kexec -d} output.
 * </ul>
 */
class ElfCoreHeadersRealTest {
    static final long START_KERNEL_MAP = 0xffffffff80000000L;
    static final long START_KERNEL = 0xffffffff81000000L;
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    record Load(long paddr, long vaddr, long memsz) {
    }

    static Path first(String mode) {
        Path p = TestData.root().resolve("boot").resolve("x86_64-6.1-" + mode).resolve("first");
        assertTrue(Files.isDirectory(p), "missing captured first-kernel state: " + p);
        return p;
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1).strip();
    }

    /** The real /proc/vmcore's headers and notes (its committed first MiB holds them all). */
    static ElfCore realVmcore(String mode) throws IOException {
        Path head = TestData.dump("x86_64-6.1-" + mode + ".vmcore.head");
        try (ByteSource s = ByteSource.open(head)) {
            return ElfCore.read(s);
        }
    }

    static VmcoreInfo vmcoreInfo(ElfCore core) {
        return core.notes().stream().filter(n -> n.name().equals("VMCOREINFO")).findFirst()
                .map(n -> VmcoreInfo.parse(n.descriptor())).orElseThrow();
    }

    static Map<String, Long> kallsyms(Path gz, String... names) throws IOException {
        Map<String, Long> out = new HashMap<>();
        List<String> wanted = List.of(names);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
                String[] t = line.split("\\s+");
                if (t.length >= 3 && wanted.contains(t[2]) && !out.containsKey(t[2])) {
                    out.put(t[2], Long.parseUnsignedLong(t[0], 16));
                }
            }
        }
        assertEquals(wanted.size(), out.size(), () -> "kallsyms lacks some of " + wanted + ": " + out);
        return out;
    }

    /** The inputs every producer reads from sysfs and /proc/iomem. */
    static ElfCoreHeaders.Builder sysfsInputs(String mode, ElfCoreHeaders.Layout layout, Iomem iomem) throws IOException {
        Path dir = first(mode);
        ElfCoreHeaders.Builder b = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.X86_64, layout)
                .ram(ranges(iomem.systemRam())).exclude(ranges(iomem.crashKernel()));
        int cpus = 0;
        for (int i = 0; Files.exists(dir.resolve("cpu" + i + ".crash_notes")); i++, cpus++) {
            long addr = Long.parseUnsignedLong(read(dir.resolve("cpu" + i + ".crash_notes")), 16); // "%llx"
            long size = Long.parseLong(read(dir.resolve("cpu" + i + ".crash_notes_size"))); // "%zu"
            b.cpuNote(addr, size);
        }
        assertTrue(cpus >= 1);
        String[] vi = read(dir.resolve("vmcoreinfo")).split("\\s+"); // "%pa %x"
        b.vmcoreInfo(Long.parseUnsignedLong(vi[0].replaceFirst("^0x", ""), 16), Long.parseUnsignedLong(vi[1], 16));
        return b;
    }

    static List<MemoryRange> ranges(List<IomemResource> rs) {
        return rs.stream().map(r -> MemoryRange.ofInclusive(r.start(), r.end())).toList();
    }

    static long pageOffset(VmcoreInfo info) {
        long memSection = info.symbol("mem_section").orElseThrow();
        return memSection & -GIB;
    }

    static List<Load> loads(List<ProgramHeader> phdrs) {
        return phdrs.stream().filter(ProgramHeader::isLoad)
                .map(p -> new Load(p.physicalAddress(), p.virtualAddress(), p.memorySize())).toList();
    }

    static void checkNotesAgainstReal(ElfCoreHeaders h, ElfCore real, int cpus) {
        // the capture kernel merged our PT_NOTEs into one; it holds one NT_PRSTATUS per CPU note and VMCOREINFO
        List<ProgramHeader> ours = h.programHeaders().stream().filter(ProgramHeader::isNote).toList();
        assertEquals(cpus + 1, ours.size());
        assertEquals(1, real.programHeaders().stream().filter(ProgramHeader::isNote).count());
        assertEquals(cpus, real.notes().stream().filter(n -> n.type().isPrStatus()).count());
        Note vmcoreinfo = real.notes().stream().filter(n -> n.name().equals("VMCOREINFO")).findFirst().orElseThrow();
        long vmcoreinfoBuffer = ours.getLast().memorySize();
        assertTrue(12 + 12 + vmcoreinfo.descriptorSize() <= vmcoreinfoBuffer, "VMCOREINFO fits its buffer");
        for (int i = 0; i < cpus; i++) {
            int prstatus = real.notes().stream().filter(x -> x.type().isPrStatus()).findFirst().orElseThrow().descriptorSize();
            assertTrue(12 + 8 + prstatus + 12 <= ours.get(i).memorySize(), "NT_PRSTATUS and terminator fit the CPU's buffer");
        }
        assertEquals(real.header().machine(), h.model().machine());
        assertEquals(real.header().elfClass(), h.model().elfClass());
        assertEquals(real.header().byteOrder(), h.model().byteOrder());
        assertEquals(real.header().programHeaderCount() + cpus, h.programHeaders().size(),
                "same program headers once the notes are merged");
    }

    @Test
    void kexecToolsLayoutMatchesTheRealKexecCVmcore() throws Exception {
        String mode = "kexec-c";
        Path dir = first(mode);
        assertEquals("kexec-c", read(dir.resolve("mode")));
        Iomem iomem = Iomem.parse(Files.readString(dir.resolve("iomem")));
        ElfCore real = realVmcore(mode);
        VmcoreInfo info = vmcoreInfo(real);
        Map<String, Long> sym = kallsyms(dir.resolve("kallsyms.gz"), "_stext", "_end");
        long textVaddr = sym.get("_stext") & -MIB;
        long textSize = (sym.get("_end") - textVaddr + 4095) & -4096L;
        long textPaddr = iomem.kernelCode().orElseThrow().start();
        String kexecOut = read(dir.resolve("kexec.out"));
        long backup = hexAfter(kexecOut, "Created backup segment at ");
        ElfCoreHeaders h = sysfsInputs(mode, ElfCoreHeaders.Layout.KEXEC_TOOLS, iomem)
                .pageOffset(pageOffset(info)).kernelText(textPaddr, textSize, textVaddr).backupCopy(backup).build();

        assertEquals(loads(real.programHeaders()), loads(h.programHeaders()));
        checkNotesAgainstReal(h, real, (int) h.programHeaders().stream().filter(ProgramHeader::isNote).count() - 1);

        checkAgainstKexecDebugOutput(h, kexecOut);
    }

    @Test
    void kexecToolsElf32LayoutMatchesTheRealI386Vmcore() throws Exception {
        String mode = "kexec-c-elf32";
        Path dir = TestData.root().resolve("boot").resolve("i386-6.1-" + mode).resolve("first");
        assertTrue(Files.readString(dir.resolve("kexec.cmd")).contains("--elf32-core-headers"));
        Iomem iomem = Iomem.parse(Files.readString(dir.resolve("iomem")));
        ElfCore real;
        try (ByteSource s = ByteSource.open(TestData.dump("i386-6.1-" + mode + ".vmcore.head"))) {
            real = ElfCore.read(s);
        }
        String kexecOut = read(dir.resolve("kexec.out"));
        ElfCoreHeaders.Builder b = ElfCoreHeaders.builder(ElfCoreHeaders.Arch.X86, ElfCoreHeaders.Layout.KEXEC_TOOLS)
                .ram(ranges(iomem.systemRam())).exclude(ranges(iomem.crashKernel()))
                .backupCopy(hexAfter(kexecOut, "Created backup segment at "));
        int cpus = 0;
        for (int i = 0; Files.exists(dir.resolve("cpu" + i + ".crash_notes")); i++, cpus++) {
            b.cpuNote(Long.parseUnsignedLong(read(dir.resolve("cpu" + i + ".crash_notes")), 16),
                    Long.parseLong(read(dir.resolve("cpu" + i + ".crash_notes_size"))));
        }
        String[] vi = read(dir.resolve("vmcoreinfo")).split("\\s+");
        b.vmcoreInfo(Long.parseUnsignedLong(vi[0].replaceFirst("^0x", ""), 16), Long.parseUnsignedLong(vi[1], 16));
        ElfCoreHeaders h = b.build(); // RAM below 4 GiB: ELF32 without being asked, as --elf32-core-headers forces
        assertEquals(ElfClass.ELF32, h.model().elfClass());
        assertEquals(Machine.I386, h.model().machine());
        assertEquals(loads(real.programHeaders()), loads(h.programHeaders()));
        checkNotesAgainstReal(h, real, cpus);
        checkAgainstKexecDebugOutput(h, kexecOut);
        assertEquals(h.programHeaders(), b.elfClass(ElfClass.ELF32).build().programHeaders());
    }

    @Test
    void kernelLayoutMatchesTheRealKexecSVmcore() throws Exception {
        String mode = "kexec-s";
        Path dir = first(mode);
        assertEquals("kexec-s", read(dir.resolve("mode")));
        Iomem iomem = Iomem.parse(Files.readString(dir.resolve("iomem")));
        ElfCore real = realVmcore(mode);
        VmcoreInfo info = vmcoreInfo(real);
        long text = START_KERNEL + info.kernelOffset().orElseThrow();
        assertEquals(info.symbol("_stext").orElseThrow(), text, "_text == _stext on x86_64");
        long physBase = info.number("phys_base").orElseThrow();
        long textPaddr = text - START_KERNEL_MAP + physBase;
        assertEquals(iomem.kernelCode().orElseThrow().start(), textPaddr, "__pa_symbol(_text) is where Kernel code starts");
        Path cDir = first("kexec-c");
        assertEquals(vmcoreInfo(realVmcore("kexec-c")).buildId(), info.buildId(), "the kexec-c kallsyms is of this build");
        Map<String, Long> sym = kallsyms(cDir.resolve("kallsyms.gz"), "_text", "_end");
        long textSize = sym.get("_end") - sym.get("_text");
        ElfCoreHeaders h = sysfsInputs(mode, ElfCoreHeaders.Layout.KERNEL, iomem)
                .pageOffset(pageOffset(info)).kernelText(textPaddr, textSize, text).build();

        assertEquals(loads(real.programHeaders()), loads(h.programHeaders()));
        checkNotesAgainstReal(h, real, (int) h.programHeaders().stream().filter(ProgramHeader::isNote).count() - 1);
        assertFalse(loads(h.programHeaders()).stream().anyMatch(l -> l.paddr < MIB), "no segment in the low 1 MiB");
        assertEquals(4096, h.bufferSize());
    }

    /** The two layouts differ on the same machine state exactly where the producers differ. */
    @Test
    void theLayoutsDifferOnlyInLowMemory() throws Exception {
        Iomem iomem = Iomem.parse(Files.readString(first("kexec-c").resolve("iomem")));
        List<Load> kt = loads(sysfsInputs("kexec-c", ElfCoreHeaders.Layout.KEXEC_TOOLS, iomem).build().programHeaders());
        List<Load> k = loads(sysfsInputs("kexec-c", ElfCoreHeaders.Layout.KERNEL, iomem).build().programHeaders());
        assertEquals(kt.subList(1, kt.size()), k);
        assertTrue(kt.getFirst().paddr < MIB && kt.getFirst().paddr + kt.getFirst().memsz <= 0xa0000);
    }

    /** Exactly what kexec-tools built, offsets included: its {@code kexec -d} output prints every program header. */
    static void checkAgainstKexecDebugOutput(ElfCoreHeaders h, String kexecOut) {
        List<String> printed = new ArrayList<>();
        Matcher m = Pattern.compile("p_type = (\\d+), p_offset = (0x\\p{XDigit}+) p_paddr = (0x\\p{XDigit}+) "
                + "p_vaddr = (0x\\p{XDigit}+) p_filesz = (0x\\p{XDigit}+) p_memsz = (0x\\p{XDigit}+)").matcher(kexecOut);
        while (m.find()) {
            printed.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5) + " "
                    + m.group(6));
        }
        List<String> ours = h.programHeaders().stream().map(p -> p.type().value() + " 0x" + Long.toHexString(p.offset())
                + " 0x" + Long.toHexString(p.physicalAddress()) + " 0x" + Long.toHexString(p.virtualAddress()) + " 0x"
                + Long.toHexString(p.fileSize()) + " 0x" + Long.toHexString(p.memorySize())).toList();
        assertEquals(printed, ours);

        // kexec-tools' buffer and segment sizes (the segment whose mem is the elf header's address)
        long hdrAt = hexAfter(kexecOut, "Created elf header segment at ");
        Matcher seg = Pattern.compile("segment\\[(\\d+)\\]\\.mem   = 0x0*" + Long.toHexString(hdrAt) + "\\b").matcher(kexecOut);
        assertTrue(seg.find(), "elf header segment in kexec.out");
        String n = seg.group(1);
        assertEquals(hexAfter(kexecOut, "segment[" + n + "].bufsz = "), h.bufferSize());
        assertEquals(hexAfter(kexecOut, "segment[" + n + "].memsz = "), h.segmentSize());
        assertEquals(h.bufferSize(), h.bytes().length);
    }


    static long hexAfter(String text, String prefix) {
        int i = text.indexOf(prefix);
        assertTrue(i >= 0, () -> "'" + prefix + "' not found");
        Matcher m = Pattern.compile("(?:0x)?(\\p{XDigit}+)").matcher(text);
        assertTrue(m.find(i + prefix.length()));
        return Long.parseUnsignedLong(m.group(1), 16);
    }
}
