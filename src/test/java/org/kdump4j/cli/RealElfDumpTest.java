package org.kdump4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kdump4j.testing.MiniJson;
import org.kdump4j.testing.TestData;
import org.kdump4j.testing.ToolOutputs;
import org.kdump4j.testing.ToolOutputs.ReadelfSegment;
import org.kdump4j.testing.ToolOutputs.ToolNote;

/** {@code kdump4j info --json} on every committed real ELF dump, field for field against readelf and eu-readelf. */
class RealElfDumpTest {
    /** eu-readelf's register names where ours differ (x86_64 and i386 spellings). */
    private static final Map<String, String> EU_NAMES = Map.of("rflags", "eflags", "fs.base", "fs_base", "gs.base",
            "gs_base");
    private static final Map<String, String> EU_NAMES_I386 = Map.of("ds", "xds", "es", "xes", "fs", "xfs", "gs", "xgs",
            "cs", "xcs", "ss", "xss");
    /** eu-readelf prstatus fields that are not registers. */
    private static final Set<String> NOT_REGISTERS = Set.of("info.si_signo", "info.si_code", "info.si_errno", "cursig",
            "pid", "ppid", "pgrp", "sid", "fpvalid");
    private static final Map<String, String> READELF_MACHINES = Map.of("EM_X86_64", "Advanced Micro Devices X86-64",
            "EM_386", "Intel 80386", "EM_AARCH64", "AArch64", "EM_PPC64", "PowerPC64", "EM_S390", "IBM S/390");

    /** Every committed ELF dump, and the unmodified first MiB ({@code .head}) of the real vmcores. */
    static List<String> dumps() {
        List<String> d = new ArrayList<>(TestData.elfDumps());
        assertFalse(d.isEmpty(), "no committed ELF dumps in " + TestData.vmcores());
        d.addAll(TestData.headDumps());
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> infoJson(String stem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("info", "--json"));
        if (stem.endsWith(".head")) {
            args.add("--lenient"); // the head is the real file cut after 1 MiB: its PT_LOAD data is missing
        }
        args.add(TestData.dump(stem).toString());
        int code = Main.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return (Map<String, Object>) MiniJson.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static long hex(Object o) {
        String s = (String) o;
        assertTrue(s.startsWith("0x"), s);
        return Long.parseUnsignedLong(s.substring(2), 16);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    @SuppressWarnings("unchecked")
    void infoJsonAgreesFieldForFieldWithReadelf(String stem) {
        Map<String, Object> json = infoJson(stem);
        String readelf = TestData.reference(stem, "readelf.txt");
        Map<String, String> h = ToolOutputs.readelfHeader(readelf);
        assertEquals(h.get("Class"), json.get("class"));
        assertEquals(h.get("Data").contains("little endian") ? "LITTLE_ENDIAN" : "BIG_ENDIAN", json.get("byteOrder"));
        assertTrue(h.get("Type").startsWith(json.get("type") + " "), h.get("Type"));
        assertEquals(h.get("Machine"), READELF_MACHINES.get((String) json.get("machine")));
        String phnum = h.get("Number of program headers");
        long expectedPhnum = phnum.contains("(") ? Long.parseLong(phnum.replaceAll(".*\\((\\d+)\\).*", "$1"))
                : Long.parseLong(phnum.strip());
        assertEquals(expectedPhnum, ((Number) json.get("programHeaderCount")).longValue());

        List<ReadelfSegment> expected = ToolOutputs.readelfSegments(readelf);
        List<Object> segments = (List<Object>) json.get("segments");
        assertEquals(expected.size(), segments.size());
        assertEquals(expectedPhnum, segments.size());
        for (int i = 0; i < expected.size(); i++) {
            ReadelfSegment r = expected.get(i);
            Map<String, Object> s = (Map<String, Object>) segments.get(i);
            String at = stem + " segment " + i;
            assertEquals(r.type(), s.get("type"), at);
            assertEquals(r.offset(), hex(s.get("offset")), at);
            assertEquals(r.vaddr(), hex(s.get("vaddr")), at);
            assertEquals(r.paddr(), hex(s.get("paddr")), at);
            assertEquals(r.filesz(), hex(s.get("filesz")), at);
            assertEquals(r.memsz(), hex(s.get("memsz")), at);
            assertEquals(r.flags(), ((String) s.get("flags")).replace(" ", ""), at);
            assertEquals(r.align(), hex(s.get("align")), at);
        }

        List<ToolNote> notes = ToolOutputs.readelfNotes(readelf);
        List<Object> jsonNotes = (List<Object>) json.get("notes");
        assertEquals(notes.size(), jsonNotes.size(), "note count");
        for (int i = 0; i < notes.size(); i++) {
            Map<String, Object> n = (Map<String, Object>) jsonNotes.get(i);
            assertEquals(notes.get(i).owner(), n.get("name"));
            assertEquals(notes.get(i).size(), ((Number) n.get("size")).longValue());
            if (notes.get(i).type().startsWith("NT_")) {
                assertTrue(notes.get(i).type().startsWith((String) n.get("type")), notes.get(i).type());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    @SuppressWarnings("unchecked")
    void cpusAndVmcoreinfoAgreeWithEuReadelf(String stem) {
        Map<String, Object> json = infoJson(stem);
        String euText = TestData.reference(stem, "eu-readelf-n.txt");
        List<Object> jsonNotes = (List<Object>) json.get("notes");
        if (euText.isBlank()) {
            // eu-readelf prints nothing for QEMU's ELF (section headers before the program headers):
            // compare every note's bytes with readelf's hex dump instead
            notesAgreeWithReadelfHexDumps(stem, json);
            return;
        }
        List<ToolNote> eu = ToolOutputs.euReadelfNotes(euText);
        assertEquals(eu.size(), jsonNotes.size());
        List<ToolNote> prstatus = new ArrayList<>();
        for (int i = 0; i < eu.size(); i++) {
            Map<String, Object> n = (Map<String, Object>) jsonNotes.get(i);
            assertEquals(eu.get(i).owner(), n.get("name"));
            assertEquals(eu.get(i).size(), ((Number) n.get("size")).longValue());
            if (eu.get(i).type().equals("PRSTATUS")) {
                prstatus.add(eu.get(i));
            }
        }
        List<Object> cpus = ((List<Object>) json.get("cpus")).stream()
                .filter(c -> "NT_PRSTATUS".equals(((Map<String, Object>) c).get("source"))).toList();
        assertEquals(prstatus.size(), cpus.size(), "one CPU per NT_PRSTATUS");
        assertFalse(cpus.isEmpty(), "a real vmcore has CPU notes");
        for (int i = 0; i < cpus.size(); i++) {
            Map<String, Object> cpu = (Map<String, Object>) cpus.get(i);
            Map<String, Long> expected = prstatus.get(i).registers();
            assertEquals(expected.get("pid"), ((Number) cpu.get("pid")).longValue(), "pid of cpu " + i);
            Map<String, Object> regs = (Map<String, Object>) cpu.get("registers");
            int compared = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                if (NOT_REGISTERS.contains(e.getKey())) {
                    continue;
                }
                String ours = ("i386".equals(cpu.get("architecture")) ? EU_NAMES_I386 : EU_NAMES)
                        .getOrDefault(e.getKey(), e.getKey());
                assertTrue(regs.containsKey(ours), "register " + ours + " of cpu " + i);
                long wordMask = ((Number) json.get("wordSize")).intValue() == 4 ? 0xffffffffL : -1L;
                long mask = Set.of("cs", "ss", "ds", "es", "fs", "gs").contains(ours) ? 0xffff : wordMask;
                assertEquals(e.getValue() & mask, hex(regs.get(ours)) & mask, stem + " cpu " + i + " " + ours);
                compared++;
            }
            assertTrue(compared >= 16, "compared " + compared + " registers");
        }
        ToolNote info = eu.stream().filter(n -> n.owner().equals("VMCOREINFO")).findFirst().orElseThrow();
        assertEquals(info.text(), json.get("vmcoreinfo"));
    }

    /** For notes readelf dumps as hex (QEMU, VMCOREINFO): the bytes must be the descriptor we decoded. */
    @SuppressWarnings("unchecked")
    private static void notesAgreeWithReadelfHexDumps(String stem, Map<String, Object> json) {
        List<ToolNote> notes = ToolOutputs.readelfNotes(TestData.reference(stem, "readelf.txt"));
        assertFalse(notes.isEmpty(), stem + ": readelf lists notes");
        Map<String, String> info = (Map<String, String>) json.get("vmcoreinfo");
        int checked = 0;
        for (ToolNote n : notes) {
            byte[] desc = n.descriptor();
            if (desc == null) {
                continue;
            }
            assertEquals(n.size(), desc.length);
            if (n.owner().equals("VMCOREINFO")) {
                assertEquals(org.kdump4j.vmcore.VmcoreInfo.parse(desc).entries(), info);
                checked++;
            }
        }
        List<Object> cpus = (List<Object>) json.get("cpus");
        long qemuNotes = notes.stream().filter(n -> n.owner().equals("QEMU")).count();
        assertEquals(qemuNotes, cpus.stream().filter(c -> "QEMU".equals(((Map<String, Object>) c).get("source")))
                .count(), "one CPU state per QEMU note");
        int q = 0;
        for (ToolNote n : notes) {
            if (!n.owner().equals("QEMU")) {
                continue;
            }
            // QEMUCPUState: u32 version, u32 size, then rax, rbx, ... as u64 (little endian on x86)
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(n.descriptor()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            Map<String, Object> cpu = (Map<String, Object>) cpus.stream()
                    .filter(c -> "QEMU".equals(((Map<String, Object>) c).get("source"))).toList().get(q++);
            Map<String, Object> regs = (Map<String, Object>) cpu.get("registers");
            assertEquals(b.getLong(8), hex(regs.get("rax")));
            assertEquals(b.getLong(8 + 16 * 8), hex(regs.get("rip")));
            assertEquals(b.getLong(416), hex(regs.get("cr3")));
            checked++;
        }
        assertTrue(checked >= 2, "checked " + checked);
    }
}
