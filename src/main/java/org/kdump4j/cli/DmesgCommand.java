package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kdump4j.internal.text.Columns;
import org.kdump4j.io.AccessMode;
import org.kdump4j.kernel.DmesgFormat;
import org.kdump4j.kernel.KernelLog;
import org.kdump4j.kernel.LogRecord;
import org.kdump4j.vmcore.Vmcore;

/**
 * {@code kdump4j dmesg}: the crashed kernel's log, byte for byte as {@code vmcore-dmesg} prints it, or
 * as makedumpfile does, with caller ids, or as JSON records.
 */
final class DmesgCommand implements Command {

    @Override
    public String name() {
        return "dmesg";
    }

    @Override
    public String synopsis() {
        return "dmesg [--json] [--caller-id] [--makedumpfile] " + DumpOpener.SYNOPSIS + " DUMP [PART...]";
    }

    @Override
    public String summary() {
        return "the crashed kernel's log (vmcore-dmesg output; makedumpfile style, caller ids or JSON on request)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags("--json", "--caller-id", "--makedumpfile"), DumpOpener.valued());
        List<String> paths = args.operands(1, 256);
        if (args.has("--json") && args.has("--makedumpfile")) {
            throw new UsageException("--json and --makedumpfile exclude each other");
        }
        try (Vmcore v = DumpOpener.open(args, paths, AccessMode.POSITIONAL)) {
            KernelLog log = KernelLog.read(v);
            if (args.has("--json")) {
                out.println(Json.write(model(v, log)));
            } else {
                DmesgFormat format = (args.has("--makedumpfile") ? DmesgFormat.MAKEDUMPFILE : DmesgFormat.VMCORE_DMESG)
                        .withCallerIds(args.has("--caller-id"));
                log.write(out, format);
            }
            for (String p : log.problems()) {
                err.println("kdump4j dmesg: warning: " + p);
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private static Map<String, Object> model(Vmcore v, KernelLog log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", v.name());
        m.put("format", log.kind().name());
        List<Object> records = new ArrayList<>();
        for (LogRecord r : log.records()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sequence", r.sequence());
            o.put("timestampNanos", r.timestampNanos());
            StringBuilder time = new StringBuilder();
            long sec = Long.divideUnsigned(r.timestampNanos(), 1_000_000_000L);
            long usec = Long.remainderUnsigned(r.timestampNanos(), 1_000_000_000L) / 1000;
            Columns.zeroPaddedDecimal(time.append(Long.toUnsignedString(sec)).append('.'), usec, 6);
            o.put("time", time.toString());
            r.level().ifPresent(l -> o.put("level", l));
            r.facility().ifPresent(f -> o.put("facility", f));
            r.caller().ifPresent(c -> o.put("caller", c));
            r.subsystem().ifPresent(s -> o.put("subsystem", s));
            r.device().ifPresent(d -> o.put("device", d));
            if (r.dataLess()) {
                o.put("dataLess", true);
            }
            o.put("text", r.textString());
            records.add(o);
        }
        m.put("records", records);
        m.put("problems", List.copyOf(log.problems()));
        return m;
    }
}
