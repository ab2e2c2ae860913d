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
    /** eu-readelf's names for our x86_64 register names where they differ. */
    private static final Map<String, String> EU_NAMES = Map.of("rflags", "eflags", "fs.base", "fs_base", "gs.base",
            "gs_base");
    /** eu-readelf prstatus fields that are not registers. */
    private static final Set<String> NOT_REGISTERS = Set.of("info.si_signo", "info.si_code", "info.si_errno", "cursig",
            "pid", "ppid", "pgrp", "sid", "fpvalid");
    private static final Map<String, String> READELF_MACHINES = Map.of("EM_X86_64", "Advanced Micro Devices X86-64",
            "EM_386", "Intel 80386", "EM_AARCH64", "AArch64", "EM_PPC64", "PowerPC64", "EM_S390", "IBM S/390");

    static List<String> dumps() {
        List<String> d = TestData.elfDumps();
        assertFalse(d.isEmpty(), "no committed ELF dumps in " + TestData.vmcores());
        return d;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> infoJson(String stem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("info", "--json", TestData.dump(stem).toString()),
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
        List<ToolNote> eu = ToolOutputs.euReadelfNotes(TestData.reference(stem, "eu-readelf-n.txt"));
        List<Object> jsonNotes = (List<Object>) json.get("notes");
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
                String ours = EU_NAMES.getOrDefault(e.getKey(), e.getKey());
                assertTrue(regs.containsKey(ours), "register " + ours + " of cpu " + i);
                long mask = Set.of("cs", "ss", "ds", "es", "fs", "gs").contains(ours) ? 0xffff : -1L;
                assertEquals(e.getValue() & mask, hex(regs.get(ours)) & mask, stem + " cpu " + i + " " + ours);
                compared++;
            }
            assertTrue(compared >= 20, "compared " + compared + " registers");
        }
        ToolNote info = eu.stream().filter(n -> n.owner().equals("VMCOREINFO")).findFirst().orElseThrow();
        assertEquals(info.text(), json.get("vmcoreinfo"));
    }
}
