package org.kdump4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.kdump4j.boot.BootParseException;
import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.boot.MemorySize;

/**
 * {@code kdump4j iomem}: prints the {@code /proc/iomem} tree with a summary of RAM, the crash kernel
 * region and the kernel image, and says clearly when the addresses are hidden (not root).
 */
final class IomemCommand implements Command {
    private static final int MAX_BYTES = 64 << 20;

    @Override
    public String name() {
        return "iomem";
    }

    @Override
    public String synopsis() {
        return "iomem [--json] [FILE]";
    }

    @Override
    public String summary() {
        return "Print the /proc/iomem tree with RAM and crash kernel summary (default /proc/iomem)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Args a = Args.parse(args, Set.of("--json"), Set.of());
        List<String> ops = a.operands(0, 1);
        Path file = Path.of(ops.isEmpty() ? "/proc/iomem" : ops.getFirst());
        String text = read(file);
        Iomem iomem;
        try {
            iomem = Iomem.parse(text);
        } catch (BootParseException e) {
            err.println("kdump4j iomem: " + file + ": " + e.getMessage());
            return Main.EXIT_BAD_INPUT;
        }
        boolean hidden = iomem.addressesHidden();
        if (hidden) {
            err.println("kdump4j iomem: warning: every address in " + file + " is zero: it was read without "
                    + "CAP_SYS_ADMIN (run as root to see addresses); only the names are shown");
        }
        if (a.has("--json")) {
            out.println(Json.write(json(file, iomem, hidden)));
            return Main.EXIT_OK;
        }
        if (hidden) {
            printNames(out, iomem.resources(), 0);
            return Main.EXIT_OK;
        }
        out.print(iomem.format());
        out.println();
        List<IomemResource> ram = iomem.systemRam();
        long total = 0;
        for (IomemResource r : ram) {
            total += r.size();
        }
        out.println("System RAM:   " + ram.size() + (ram.size() == 1 ? " range, " : " ranges, ") + MemorySize.human(total));
        List<IomemResource> crash = iomem.crashKernel();
        if (crash.isEmpty()) {
            out.println("Crash kernel: none reserved");
        }
        for (IomemResource r : crash) {
            out.println("Crash kernel: " + range(r));
        }
        line(out, "Kernel code:  ", iomem.kernelCode());
        line(out, "Kernel rodata:", iomem.kernelRodata());
        line(out, "Kernel data:  ", iomem.kernelData());
        line(out, "Kernel bss:   ", iomem.kernelBss());
        return Main.EXIT_OK;
    }

    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new IOException(file + ": larger than " + (MAX_BYTES >> 20) + " MiB, not an iomem listing");
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    private static void line(PrintStream out, String label, Optional<IomemResource> r) {
        r.ifPresent(x -> out.println(label + " " + range(x)));
    }

    private static String range(IomemResource r) {
        return "0x" + Long.toHexString(r.start()) + "-0x" + Long.toHexString(r.end()) + " (" + MemorySize.human(r.size()) + ")";
    }

    private static void printNames(PrintStream out, List<IomemResource> rs, int depth) {
        for (IomemResource r : rs) { // depth is bounded by Iomem.MAX_DEPTH
            out.println("  ".repeat(depth) + "????????-???????? : " + r.name());
            printNames(out, r.children(), depth + 1);
        }
    }

    private static Map<String, Object> json(Path file, Iomem iomem, boolean hidden) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("addressesHidden", hidden);
        m.put("resources", tree(iomem.resources()));
        if (!hidden) {
            List<Object> ram = new ArrayList<>();
            long total = 0;
            for (IomemResource r : iomem.systemRam()) {
                ram.add(flat(r));
                total += r.size();
            }
            m.put("systemRam", ram);
            m.put("systemRamBytes", unsigned(total));
            m.put("crashKernel", iomem.crashKernel().stream().map(IomemCommand::flat).toList());
            iomem.kernelCode().ifPresent(r -> m.put("kernelCode", flat(r)));
            iomem.kernelRodata().ifPresent(r -> m.put("kernelRodata", flat(r)));
            iomem.kernelData().ifPresent(r -> m.put("kernelData", flat(r)));
            iomem.kernelBss().ifPresent(r -> m.put("kernelBss", flat(r)));
        }
        return m;
    }

    private static List<Object> tree(List<IomemResource> rs) {
        List<Object> out = new ArrayList<>();
        for (IomemResource r : rs) {
            Map<String, Object> m = flat(r);
            if (!r.children().isEmpty()) {
                m.put("children", tree(r.children()));
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> flat(IomemResource r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start", Json.hex(r.start()));
        m.put("end", Json.hex(r.end()));
        m.put("size", unsigned(r.size()));
        m.put("name", r.name());
        return m;
    }

    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }
}
