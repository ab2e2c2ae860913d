package org.kdump4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.boot.MemorySize;
import org.kdump4j.kexec.CaptureCommandLine;
import org.kdump4j.kexec.CrashRegionCheck;
import org.kdump4j.kexec.DryRunKexecLoader;
import org.kdump4j.kexec.KexecAbi;
import org.kdump4j.kexec.KexecCall;
import org.kdump4j.kexec.KexecLoader;
import org.kdump4j.kexec.KexecProbe;
import org.kdump4j.kexec.KexecRequest;
import org.kdump4j.kexec.KexecStatus;

/**
 * {@code kdump4j kexec load|unload|status}: loads the dump-capture kernel with {@code kexec_file_load}
 * (the {@code kexec -s -p} of kexec-tools), unloads it, or shows whether a crash would be captured.
 *
 * <p>Only the crash slot is reachable from here: {@code load} and {@code unload} need {@code --crash};
 * a kernel for a kexec reboot is loaded through the API ({@link KexecRequest#forReboot}). Nothing here
 * executes a kernel.
 */
final class KexecCommand implements Command {
    private final Supplier<KexecLoader> nativeLoader;
    private final DryRunFactory dryRun;
    private final Path root;

    /** Loads a dry-run simulation of a system. */
    @FunctionalInterface
    interface DryRunFactory {
        KexecLoader create(Path root) throws IOException;
    }

    /** The command on the live system, with the best native loader. */
    KexecCommand() {
        this(KexecLoader::best, DryRunKexecLoader::ofSystem, Path.of("/"));
    }

    /**
     * For tests: the loader to use without {@code --dry-run}, the one with it, and the directory whose
     * {@code proc/} and {@code sys/} files stand for the system's.
     */
    KexecCommand(Supplier<KexecLoader> nativeLoader, DryRunFactory dryRun, Path root) {
        this.nativeLoader = nativeLoader;
        this.dryRun = dryRun;
        this.root = root;
    }

    @Override
    public String name() {
        return "kexec";
    }

    @Override
    public String synopsis() {
        return "kexec load --crash KERNEL [--initrd FILE] [--append ARGS | --reuse-cmdline] [--dry-run] | unload --crash | status";
    }

    @Override
    public String summary() {
        return "Load or unload the dump-capture kernel (kexec_file_load), or show the kexec state";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("missing sub-command: load, unload or status");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "load" -> load(rest, out, err);
            case "unload" -> unload(rest, out, err);
            case "status" -> status(rest, out);
            default -> throw new UsageException("unknown sub-command '" + args.getFirst() + "' (load, unload or status)");
        };
    }

    private KexecLoader loader(boolean dry) throws IOException {
        return dry ? dryRun.create(root) : nativeLoader.get();
    }

    private static KexecAbi abi() {
        return KexecAbi.current().orElse(KexecAbi.X86_64);
    }

    private int load(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(args, Set.of("--crash", "--dry-run", "--reuse-cmdline", "--skip-region-check",
                "--no-capture-options", "--debug"), Set.of("--initrd", "--append", "--root"));
        List<String> ops = a.operands(1, 1);
        if (!a.has("--crash")) {
            throw new UsageException("load needs --crash: the command line loads only the dump-capture kernel "
                    + "(a kernel for kexec reboot is loaded through the API, KexecRequest.forReboot)");
        }
        if (a.has("--append") && a.has("--reuse-cmdline")) {
            throw new UsageException("--append and --reuse-cmdline exclude each other");
        }
        CaptureCommandLine cmd = CaptureCommandLine.forAbi(abi()).captureOptions(!a.has("--no-capture-options"));
        if (a.has("--append")) {
            cmd.base(a.value("--append"));
        } else if (a.has("--reuse-cmdline")) {
            cmd.reuse(Files.readString(root.resolve("proc/cmdline"), StandardCharsets.ISO_8859_1));
        }
        if (a.has("--root")) {
            cmd.root(a.value("--root"));
        }
        KexecRequest request = KexecRequest.crash(Path.of(ops.getFirst())).withCommandLine(cmd.build())
                .withDebug(a.has("--debug"));
        if (a.has("--initrd")) {
            request = request.withInitrd(Path.of(a.value("--initrd")));
        }
        for (Path f : request.initrd().isPresent() ? List.of(request.kernel(), request.initrd().get()) : List.of(request.kernel())) {
            if (!Files.isRegularFile(f)) {
                throw new IOException(f + ": no such file (or not a regular file)");
            }
        }
        if (!a.has("--skip-region-check")) {
            Optional<Iomem> iomem = KexecStatus.readIomem(root.resolve("proc/iomem"));
            if (iomem.isEmpty()) {
                err.println("kdump4j kexec: warning: cannot check the crash kernel region: " + root.resolve("proc/iomem")
                        + " is unreadable or hides its addresses (run as root)");
            } else {
                CrashRegionCheck check = CrashRegionCheck.forRequest(iomem.get(), request);
                if (!check.loadable()) {
                    err.println("kdump4j kexec: " + check.describe());
                    err.println("kdump4j kexec: not loading (--skip-region-check asks the kernel anyway)");
                    return Main.EXIT_BAD_INPUT;
                }
                if (check.verdict() == CrashRegionCheck.Verdict.TIGHT) {
                    err.println("kdump4j kexec: warning: " + check.describe());
                }
            }
        }
        boolean dry = a.has("--dry-run");
        KexecLoader loader = loader(dry);
        out.println((dry ? "would load" : "loading") + " crash kernel " + request.kernel()
                + request.initrd().map(p -> " with initrd " + p).orElse("") + " (" + loader.name() + " loader)");
        out.println("command line: " + request.commandLine());
        try {
            loader.load(request);
        } finally {
            printCalls(loader, out);
        }
        KexecStatus after = loader.status();
        out.println("crash kernel loaded: " + yesNo(after.crashLoaded()) + (dry ? " (simulated)" : ""));
        return Main.EXIT_OK;
    }

    private int unload(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Args a = Args.parse(args, Set.of("--crash", "--dry-run"), Set.of());
        a.operands(0, 0);
        if (!a.has("--crash")) {
            throw new UsageException("unload needs --crash (the command line unloads only the dump-capture kernel)");
        }
        boolean dry = a.has("--dry-run");
        KexecLoader loader = loader(dry);
        try {
            loader.unloadCrash();
        } finally {
            printCalls(loader, out);
        }
        out.println((dry ? "would unload" : "unloaded") + " the crash kernel (" + loader.name() + " loader); crash kernel loaded: "
                + yesNo(loader.status().crashLoaded()) + (dry ? " (simulated)" : ""));
        return Main.EXIT_OK;
    }

    private static void printCalls(KexecLoader loader, PrintStream out) {
        if (loader instanceof DryRunKexecLoader d) {
            for (KexecCall c : d.calls()) {
                out.println("  " + c);
            }
        }
    }

    private int status(List<String> args, PrintStream out) throws Exception {
        Args a = Args.parse(args, Set.of("--json", "--dry-run"), Set.of());
        a.operands(0, 0);
        KexecLoader loader = loader(a.has("--dry-run"));
        KexecStatus s = a.has("--dry-run") ? loader.status() : KexecStatus.read(root);
        List<KexecProbe> probes = loader.probe();
        if (a.has("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loader", loader.name());
            m.put("available", loader.isAvailable());
            loader.unavailableReason().ifPresent(r -> m.put("unavailableReason", r));
            m.put("crashLoaded", s.crashLoaded().orElse(null));
            m.put("loaded", s.loaded().orElse(null));
            m.put("crashSize", s.crashSize().isPresent() ? s.crashSize().getAsLong() : null);
            m.put("crashRegions", s.crashRegions().map(rs -> rs.stream().map(r -> (Object) Map.of(
                    "start", "0x" + Long.toHexString(r.start()), "end", "0x" + Long.toHexString(r.end()),
                    "size", r.size())).toList()).orElse(null));
            Map<String, Object> p = new LinkedHashMap<>();
            for (KexecProbe probe : probes) {
                p.put(probe.syscall(), Map.of("errno", probe.errno().name(), "outcome", probe.outcome().name()));
            }
            m.put("probes", p);
            out.println(Json.write(m));
            return Main.EXIT_OK;
        }
        out.println("loader:              " + loader.name() + (loader.isAvailable() ? "" : " (" + loader.unavailableReason().orElse("") + ")"));
        out.println("crash kernel loaded: " + yesNo(s.crashLoaded()));
        out.println("kexec kernel loaded: " + yesNo(s.loaded()));
        out.println("crash kernel size:   " + (s.crashSize().isEmpty() ? "unknown (no kexec in this kernel)"
                : s.crashSize().getAsLong() + " bytes (" + (s.crashSize().getAsLong() == 0 ? "none reserved"
                        : MemorySize.human(s.crashSize().getAsLong())) + ")"));
        if (s.crashRegions().isEmpty()) {
            out.println("crash kernel region: unknown (/proc/iomem unreadable or addresses hidden: run as root)");
        } else if (s.crashRegions().get().isEmpty()) {
            out.println("crash kernel region: none reserved (boot with crashkernel=SIZE)");
        } else {
            for (IomemResource r : s.crashRegions().get()) {
                out.println("crash kernel region: 0x" + Long.toHexString(r.start()) + "-0x" + Long.toHexString(r.end())
                        + " (" + MemorySize.human(r.size()) + ")");
            }
        }
        for (KexecProbe probe : probes) {
            out.println("probe:               " + probe.describe());
        }
        return Main.EXIT_OK;
    }

    private static String yesNo(Optional<Boolean> v) {
        return v.map(b -> b ? "yes" : "no").orElse("unknown");
    }
}
