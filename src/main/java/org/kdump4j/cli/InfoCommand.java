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
import org.kdump4j.internal.text.Columns;
import org.kdump4j.internal.text.UtcTime;
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
        out.println("File:          " + v.name());
        out.println("Format:        " + v.format());
        v.elf().ifPresent(e -> {
            ElfHeader h = e.header();
            out.println(new StringBuilder("ELF:           ").append(h.elfClass()).append(", ").append(h.byteOrder())
                    .append(", ").append(h.typeName()).append(", ").append(h.machine()).append(" (")
                    .append(h.machine().value()).append(')').append(h.usesExtendedNumbering() ? ", PN_XNUM" : ""));
        });
        out.println(new StringBuilder("Architecture:  ").append(v.machine().architecture()).append(" (word size ")
                .append(v.wordSize()).append(", page size ").append(v.pageSize()).append(')'));
        v.vmcoreInfo().ifPresent(i -> {
            out.println("Kernel:        " + i.osRelease().orElse("?"));
            i.crashTime().ifPresent(t -> out.println(new StringBuilder("Crash time:    ")
                    .append(UtcTime.ofEpochSecond(t)).append(" (").append(t).append(')')));
            i.buildId().ifPresent(b -> out.println("Build ID:      " + b));
        });
        List<ProgramHeader> phdrs = v.elf().map(ElfCore::programHeaders).orElse(List.of());
        if (!phdrs.isEmpty()) {
            out.println();
            out.println("Program headers (" + phdrs.size() + "):");
            StringBuilder head = new StringBuilder("  ");
            Columns.leftJustified(head, "#", 5).append(' ');
            Columns.leftJustified(head, "Type", 8).append(' ');
            for (String column : List.of("Offset", "VirtAddr", "PhysAddr", "FileSiz", "MemSiz")) {
                Columns.leftJustified(head, column, 18).append(' ');
            }
            Columns.leftJustified(head, "Flg", 3).append(" Align");
            out.println(head);
            for (ProgramHeader ph : phdrs) {
                StringBuilder row = new StringBuilder(150).append("  ");
                Columns.leftJustified(row, Integer.toString(ph.index()), 5).append(' ');
                Columns.leftJustified(row, ph.type().knownName().orElse(ph.type().toString()), 8).append(' ');
                for (long value : new long[] {ph.offset(), ph.virtualAddress(), ph.physicalAddress(), ph.fileSize(),
                        ph.memorySize()}) {
                    Columns.zeroPaddedHex(row.append("0x"), value, 16).append(' ');
                }
                Columns.leftJustified(row, ph.flagString(), 3).append(" 0x").append(Long.toHexString(ph.align()));
                out.println(row);
            }
        }
        if (!v.notes().isEmpty()) {
            out.println();
            out.println("Notes (" + v.notes().size() + "):");
            for (Note n : v.notes()) {
                StringBuilder row = new StringBuilder(80).append("  ");
                Columns.leftJustified(row, n.name(), 12).append(' ');
                Columns.leftJustified(row, n.type().toString(), 22).append(' ');
                Columns.rightJustified(row, n.descriptorSize(), 6).append(" bytes at 0x")
                        .append(Long.toHexString(n.offset()));
                out.println(row);
            }
        }
        if (!v.cpus().isEmpty()) {
            out.println();
            out.println("CPUs (" + v.cpus().size() + "):");
            for (CpuState c : v.cpus()) {
                out.println(new StringBuilder("  [").append(c.index()).append("] ").append(c.source())
                        .append(c.pid().isPresent() ? " pid " + c.pid().getAsInt() : ""));
                StringBuilder line = new StringBuilder("      ");
                int col = 0;
                for (Map.Entry<String, Long> r : c.registers().entrySet()) {
                    Columns.leftJustified(line, r.getKey(), 8).append(' ');
                    Columns.zeroPaddedHex(line, r.getValue(), 16).append("  ");
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
            out.println();
            out.println("VMCOREINFO (" + i.entries().size() + " entries):");
            for (String k : List.of("OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "CRASHTIME")) {
                i.get(k).ifPresent(val -> out.println("  " + k + "=" + val));
            }
        });
        // --- kdump-compressed / flattened / split details (org.kdump4j.diskdump) ---
        if (v.memory() instanceof KdumpMemory km) {
            kdumpSummary(km).lines().forEach(out::println);
        }
        if (!v.warnings().isEmpty()) {
            out.println();
            out.println("Warnings (--lenient):");
            v.warnings().forEach(w -> out.println("  " + w));
        }
        PhysicalMemory mem = v.memory();
        out.println();
        out.println(new StringBuilder("Physical memory: ").append(mem.ranges().size()).append(" ranges, ")
                .append(mem.presentPageCount()).append(" pages present (")
                .append(mem.presentPageCount() * mem.pageSize() >> 20).append(" MiB)"));
        for (MemoryRange r : mem.ranges()) {
            StringBuilder row = new StringBuilder(56).append("  0x");
            Columns.zeroPaddedHex(row, r.start(), 16).append("-0x");
            Columns.zeroPaddedHex(row, r.end(), 16).append("  ");
            Columns.rightJustified(row, r.size() >> 10, 10).append(" KiB");
            out.println(row);
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
        f.crashTime().ifPresent(t -> k.put("crashTime", UtcTime.of(t)));
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
        out.println();
        out.println("Kernel facts:");
        f.utsname().ifPresent(u -> out.println(new StringBuilder("  ").append(u.sysname()).append(' ')
                .append(u.nodename()).append(' ').append(u.release()).append(' ').append(u.version()).append(' ')
                .append(u.machine())));
        f.uptime().ifPresent(u -> {
            StringBuilder line = new StringBuilder("  uptime at crash: ").append(u.toSeconds()).append('.');
            Columns.zeroPaddedDecimal(line, u.toNanosPart() / 1000, 6).append(" s");
            out.println(line);
        });
        f.panic().ifPresent(p -> out.println(new StringBuilder("  panic: ").append(p.message())
                .append(p.cpu().isPresent() ? " (CPU " + p.cpu().getAsInt() : " (CPU ?")
                .append((p.pid().isPresent() ? ", PID " + p.pid().getAsInt() : "")
                        + p.command().map(c -> " " + c).orElse("") + ")")));
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
