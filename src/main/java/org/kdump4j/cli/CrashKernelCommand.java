package org.kdump4j.cli;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.kdump4j.boot.Arch;
import org.kdump4j.boot.BootParseException;
import org.kdump4j.boot.CrashKernel;
import org.kdump4j.boot.CrashKernelException;
import org.kdump4j.boot.CrashKernelPlan;
import org.kdump4j.boot.CrashKernelRules;
import org.kdump4j.boot.CrashKernelValue;
import org.kdump4j.boot.KernelVersion;
import org.kdump4j.boot.MemorySize;

/**
 * {@code kdump4j crashkernel}: tells, per RAM size, what the kernel would reserve for a
 * {@code crashkernel=} value or a whole command line, or why it would reserve nothing.
 */
final class CrashKernelCommand implements Command {
    private static final List<Long> DEFAULT_RAM = List.of(1L << 30, 2L << 30, 4L << 30, 8L << 30, 16L << 30, 64L << 30);

    @Override
    public String name() {
        return "crashkernel";
    }

    @Override
    public String synopsis() {
        return "crashkernel [--ram SIZE[,SIZE...]] [--json] [--kernel-version X.Y] [--arch ARCH] SPEC-OR-CMDLINE";
    }

    @Override
    public String summary() {
        return "Show what crashkernel= reserves per RAM size (exit 1 if any size is refused)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(args, Set.of("--json"), Set.of("--ram", "--kernel-version", "--arch"));
        String text = String.join(" ", a.operands(1, Integer.MAX_VALUE));
        List<Long> rams = rams(a.values("--ram"));
        KernelVersion version = KernelVersion.MAINLINE;
        if (a.has("--kernel-version")) {
            try {
                version = KernelVersion.parse(a.value("--kernel-version"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--kernel-version: " + e.getMessage());
            }
        }
        Arch arch = Arch.X86_64;
        if (a.has("--arch")) {
            try {
                arch = Arch.fromName(a.value("--arch"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--arch: " + e.getMessage());
            }
        }
        CrashKernelRules rules = new CrashKernelRules(arch, version);
        CrashKernel ck;
        try {
            ck = CrashKernel.of(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (quote a whole command line so it contains crashkernel=)");
        }
        boolean anyFailure = false;
        List<Object> json = new ArrayList<>();
        if (!a.has("--json")) {
            out.println(CrashKernel.PARAMETER.length() > 0 && text.contains(CrashKernel.PARAMETER)
                    ? "command line: " + text : CrashKernel.PARAMETER + text);
            out.println("rules: " + rules);
        }
        for (long ram : rams) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ram", unsigned(ram));
            String line;
            try {
                Optional<CrashKernelPlan> plan = ck.plan(ram, rules);
                if (plan.isEmpty()) {
                    anyFailure = true;
                    String msg = "no crashkernel= parameter: nothing is reserved";
                    row.put("error", msg);
                    line = msg;
                } else {
                    CrashKernelPlan p = plan.get();
                    CrashKernelValue v = p.request();
                    row.put("size", unsigned(p.size()));
                    row.put("base", unsigned(p.base()));
                    row.put("low", unsigned(v.lowSize()));
                    row.put("high", v.high());
                    row.put("cma", unsigned(v.cmaSize()));
                    row.put("placement", p.placement().name());
                    row.put("alignment", unsigned(p.alignment()));
                    p.failure().ifPresent(f -> row.put("failure", f));
                    anyFailure |= !p.succeeds();
                    line = p.describe();
                }
            } catch (CrashKernelException e) {
                anyFailure = true;
                row.put("error", e.getMessage());
                row.put("problem", e.problem().name());
                row.put("position", e.position() + 1);
                line = "nothing reserved: " + e.getMessage();
            }
            json.add(row);
            if (!a.has("--json")) {
                out.printf("  RAM %-10s %s%n", MemorySize.format(ram) + ":", line);
            }
        }
        if (a.has("--json")) {
            out.println(Json.write(json));
        }
        return anyFailure ? Main.EXIT_BAD_INPUT : Main.EXIT_OK;
    }

    private static List<Long> rams(List<String> values) throws UsageException {
        if (values.isEmpty()) {
            return DEFAULT_RAM;
        }
        List<Long> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                try {
                    long ram = MemorySize.parse(part);
                    if (ram < 0) {
                        throw new UsageException("--ram " + part + ": too large");
                    }
                    out.add(ram);
                } catch (BootParseException e) {
                    throw new UsageException("--ram: " + e.getMessage());
                }
                if (out.size() > 4096) {
                    throw new UsageException("--ram: too many sizes (at most 4096)");
                }
            }
        }
        return out;
    }

    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }
}
