package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kdump4j.diskdump.KdumpMemory;
import org.kdump4j.diskdump.KdumpSummary;
import org.kdump4j.elf.ElfCore;
import org.kdump4j.kernel.KernelFacts;
import org.kdump4j.elf.ElfHeader;
import org.kdump4j.elf.Note;
import org.kdump4j.elf.ProgramHeader;
import org.kdump4j.io.AccessMode;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.CpuState;
import org.kdump4j.vmcore.Vmcore;

/** {@code kdump4j info}: everything the dump's headers say, as text or stable JSON. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String synopsis() {
        return "info [--json] " + DumpOpener.SYNOPSIS + " DUMP [PART...]";
    }

    @Override
    public String summary() {
        return "format, headers, notes, CPUs, VMCOREINFO and physical ranges of a dump";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags("--json"), DumpOpener.valued());
        List<String> paths = args.operands(1, 256);
        try (Vmcore v = DumpOpener.open(args, paths, AccessMode.POSITIONAL)) {
            KernelFacts facts = facts(v);
            if (args.has("--json")) {
                Map<String, Object> model = model(v);
                model.put("kernel", kernelModel(facts));
                out.println(Json.write(model));
            } else {
                text(v, out);
                kernelText(facts, out);
            }
        }
        return Main.EXIT_OK;
    }

    static Map<String, Object> model(Vmcore v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", v.name());
        m.put("format", v.format().name());
        v.elf().ifPresent(e -> {
            ElfHeader h = e.header();
            m.put("class", h.elfClass().name());
            m.put("byteOrder", h.byteOrder().toString());
            m.put("type", h.typeName());
            m.put("machine", h.machine().toString());
            m.put("machineValue", h.machine().value());
            m.put("programHeaderCount", h.programHeaderCount());
            m.put("extendedNumbering", h.usesExtendedNumbering());
        });
        m.put("architecture", v.machine().architecture());
        m.put("wordSize", v.wordSize());
        m.put("pageSize", v.pageSize());
        List<Object> segs = new ArrayList<>();
        for (ProgramHeader ph : v.elf().map(ElfCore::programHeaders).orElse(List.of())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("type", ph.type().knownName().orElse(ph.type().toString()));
            s.put("offset", Json.hex(ph.offset()));
            s.put("vaddr", Json.hex(ph.virtualAddress()));
            s.put("paddr", Json.hex(ph.physicalAddress()));
            s.put("filesz", Json.hex(ph.fileSize()));
            s.put("memsz", Json.hex(ph.memorySize()));
            s.put("flags", ph.flagString().strip());
            s.put("align", Json.hex(ph.align()));
            segs.add(s);
        }
        m.put("segments", segs);
        List<Object> notes = new ArrayList<>();
        for (Note n : v.notes()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", n.name());
            o.put("type", n.type().toString());
            o.put("typeValue", Json.hex(Integer.toUnsignedLong(n.type().value())));
            o.put("size", n.descriptorSize());
            notes.add(o);
        }
        m.put("notes", notes);
        List<Object> cpus = new ArrayList<>();
        for (CpuState c : v.cpus()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", c.index());
            o.put("source", c.source());
            o.put("architecture", c.architecture());
            c.pid().ifPresent(p -> o.put("pid", p));
            Map<String, Object> regs = new LinkedHashMap<>();
            c.registers().forEach((k, val) -> regs.put(k, Json.hex(val)));
            o.put("registers", regs);
            cpus.add(o);
        }
        m.put("cpus", cpus);
        m.put("vmcoreinfo", v.vmcoreInfo().map(i -> (Object) new LinkedHashMap<>(i.entries())).orElse(Map.of()));
        PhysicalMemory mem = v.memory();
        List<Object> ranges = new ArrayList<>();
        for (MemoryRange r : mem.ranges()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("start", Json.hex(r.start()));
            o.put("end", Json.hex(r.end()));
            o.put("size", Json.hex(r.size()));
            ranges.add(o);
        }
        m.put("physicalRanges", ranges);
        m.put("presentPages", mem.presentPageCount());
        m.put("warnings", List.copyOf(v.warnings()));
        // --- kdump-compressed / flattened / split details (org.kdump4j.diskdump) ---
        if (mem instanceof KdumpMemory km) {
            m.put("kdump", kdumpSummary(km).map());
        }
        return m;
    }

    private static void text(Vmcore v, PrintStream out) {
        out.printf("File:          %s%n", v.name());
        out.printf("Format:        %s%n", v.format());
        v.elf().ifPresent(e -> {
            ElfHeader h = e.header();
            out.printf("ELF:           %s, %s, %s, %s (%d)%s%n", h.elfClass(), h.byteOrder(), h.typeName(), h.machine(),
                    h.machine().value(), h.usesExtendedNumbering() ? ", PN_XNUM" : "");
        });
        out.printf("Architecture:  %s (word size %d, page size %d)%n", v.machine().architecture(), v.wordSize(),
                v.pageSize());
        v.vmcoreInfo().ifPresent(i -> {
            out.printf("Kernel:        %s%n", i.osRelease().orElse("?"));
            i.crashTime().ifPresent(t -> out.printf("Crash time:    %s (%d)%n", java.time.Instant.ofEpochSecond(t), t));
            i.buildId().ifPresent(b -> out.printf("Build ID:      %s%n", b));
        });
        List<ProgramHeader> phdrs = v.elf().map(ElfCore::programHeaders).orElse(List.of());
        if (!phdrs.isEmpty()) {
            out.printf("%nProgram headers (%d):%n", phdrs.size());
            out.printf("  %-5s %-8s %-18s %-18s %-18s %-18s %-18s %-3s %s%n", "#", "Type", "Offset", "VirtAddr",
                    "PhysAddr", "FileSiz", "MemSiz", "Flg", "Align");
            for (ProgramHeader ph : phdrs) {
                out.printf("  %-5d %-8s 0x%016x 0x%016x 0x%016x 0x%016x 0x%016x %-3s 0x%x%n", ph.index(),
                        ph.type().knownName().orElse(ph.type().toString()), ph.offset(), ph.virtualAddress(),
                        ph.physicalAddress(), ph.fileSize(), ph.memorySize(), ph.flagString(), ph.align());
            }
        }
        if (!v.notes().isEmpty()) {
            out.printf("%nNotes (%d):%n", v.notes().size());
            for (Note n : v.notes()) {
                out.printf("  %-12s %-22s %6d bytes at 0x%x%n", n.name(), n.type(), n.descriptorSize(), n.offset());
            }
        }
        if (!v.cpus().isEmpty()) {
            out.printf("%nCPUs (%d):%n", v.cpus().size());
            for (CpuState c : v.cpus()) {
                out.printf("  [%d] %s%s%n", c.index(), c.source(),
                        c.pid().isPresent() ? " pid " + c.pid().getAsInt() : "");
                StringBuilder line = new StringBuilder("      ");
                int col = 0;
                for (Map.Entry<String, Long> r : c.registers().entrySet()) {
                    line.append(String.format("%-8s %016x  ", r.getKey(), r.getValue()));
                    if (++col % 4 == 0) {
                        out.println(line.toString().stripTrailing());
                        line = new StringBuilder("      ");
                    }
                }
                if (col % 4 != 0) {
                    out.println(line.toString().stripTrailing());
                }
            }
        }
        v.vmcoreInfo().ifPresent(i -> {
            out.printf("%nVMCOREINFO (%d entries):%n", i.entries().size());
            for (String k : List.of("OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "CRASHTIME")) {
                i.get(k).ifPresent(val -> out.printf("  %s=%s%n", k, val));
            }
        });
        // --- kdump-compressed / flattened / split details (org.kdump4j.diskdump) ---
        if (v.memory() instanceof KdumpMemory km) {
            kdumpSummary(km).lines().forEach(out::println);
        }
        if (!v.warnings().isEmpty()) {
            out.printf("%nWarnings (--lenient):%n");
            v.warnings().forEach(w -> out.println("  " + w));
        }
        PhysicalMemory mem = v.memory();
        out.printf("%nPhysical memory: %d ranges, %d pages present (%d MiB)%n", mem.ranges().size(),
                mem.presentPageCount(), mem.presentPageCount() * mem.pageSize() >> 20);
        for (MemoryRange r : mem.ranges()) {
            out.printf("  0x%016x-0x%016x  %10d KiB%n", r.start(), r.end(), r.size() >> 10);
        }
    }

    /** What the crashed kernel tells about itself (log, utsname); problems are listed, never fatal. */
    private static KernelFacts facts(Vmcore v) {
        try {
            return KernelFacts.of(v);
        } catch (java.io.IOException | RuntimeException e) {
            return new KernelFacts(java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    v.pageSize(), v.machine().architecture(), java.util.OptionalLong.empty(), java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                    List.of("kernel facts unavailable: " + e.getMessage()));
        }
    }

    private static Map<String, Object> kernelModel(KernelFacts f) {
        Map<String, Object> k = new LinkedHashMap<>();
        f.release().ifPresent(r -> k.put("release", r));
        f.utsname().ifPresent(u -> {
            k.put("nodename", u.nodename());
            k.put("version", u.version());
            k.put("machine", u.machine());
        });
        f.crashTime().ifPresent(t -> k.put("crashTime", t.toString()));
        f.uptime().ifPresent(u -> k.put("uptimeSeconds", u.toMillis() / 1000.0));
        f.logKind().ifPresent(l -> k.put("log", l.toString()));
        f.panic().ifPresent(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("message", p.message());
            p.cpu().ifPresent(c -> pm.put("cpu", c));
            p.pid().ifPresent(c -> pm.put("pid", c));
            p.command().ifPresent(c -> pm.put("command", c));
            p.noteIndex().ifPresent(c -> pm.put("noteIndex", c));
            k.put("panic", pm);
        });
        k.put("problems", f.problems());
        return k;
    }

    private static void kernelText(KernelFacts f, PrintStream out) {
        out.printf("%nKernel facts:%n");
        f.utsname().ifPresent(u -> out.printf("  %s %s %s %s %s%n", u.sysname(), u.nodename(), u.release(), u.version(),
                u.machine()));
        f.uptime().ifPresent(u -> out.printf("  uptime at crash: %d.%06d s%n", u.toSeconds(), u.toNanosPart() / 1000));
        f.panic().ifPresent(p -> out.printf("  panic: %s%s%s%n", p.message(),
                p.cpu().isPresent() ? " (CPU " + p.cpu().getAsInt() : " (CPU ?",
                (p.pid().isPresent() ? ", PID " + p.pid().getAsInt() : "") + p.command().map(c -> " " + c).orElse("")
                        + ")"));
        f.problems().forEach(pr -> out.println("  (" + pr + ")"));
    }

    private static KdumpSummary kdumpSummary(KdumpMemory km) {
        try {
            return KdumpSummary.of(km.file());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
