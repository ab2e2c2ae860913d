package org.kdump4j.kexec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;

/**
 * A loader that makes no system call: it records the calls a real load would make and answers as the
 * kernel would for the checks it can simulate, for tests and for "what would happen" ({@code --dry-run}).
 *
 * <p>Simulated, in the kernel's order: open of each file ({@code ENOENT}); a kernel file that is a
 * directory or empty ({@code EINVAL}); on x86_64 an image without the bzImage {@code HdrS} header
 * ({@code ENOEXEC}); a command line too long for a 2048-byte boot protocol once {@code elfcorehdr=}
 * is appended ({@code EINVAL}); for a crash load the freeing of the loaded crash kernel, then no
 * reserved region or one too small ({@code EADDRNOTAVAIL}, see {@link CrashRegionCheck}); segment
 * checks as the native loader makes them. Signatures, permissions and memory are not simulated.
 *
 * <p>Not thread-safe; one instance simulates one kernel.
 */
public final class DryRunKexecLoader implements KexecLoader {
    /** This loader's {@link #name()}. */
    public static final String NAME = "dry-run";
    /** The command-line size of the simulated boot protocol ({@code COMMAND_LINE_SIZE}). */
    public static final int COMMAND_LINE_SIZE = 2048;
    /** What the kernel appends for a crash kernel: {@code " elfcorehdr=0x...K"} at most. */
    private static final int ELFCOREHDR_PARAM = 31;

    private final KexecAbi abi;
    private final Optional<List<IomemResource>> crashRegions;
    private final List<KexecCall> calls = new ArrayList<>();
    private boolean crashLoaded;
    private boolean loaded;

    /**
     * The provider instance: a simulated kernel of this JVM's ABI with nothing loaded and unknown crash
     * regions (region checks skipped); {@link #ofLiveSystem()} simulates this machine as it is.
     */
    public DryRunKexecLoader() {
        this(KexecAbi.current().orElse(KexecAbi.X86_64), Optional.empty(), false, false);
    }

    private DryRunKexecLoader(KexecAbi abi, Optional<List<IomemResource>> crashRegions, boolean crashLoaded, boolean loaded) {
        this.abi = Objects.requireNonNull(abi, "abi");
        this.crashRegions = crashRegions.map(List::copyOf);
        this.crashLoaded = crashLoaded;
        this.loaded = loaded;
    }

    /** A simulated kernel with these crash regions (empty list: booted without {@code crashkernel=}) and nothing loaded. */
    public static DryRunKexecLoader simulating(KexecAbi abi, List<IomemResource> crashRegions) {
        return new DryRunKexecLoader(abi, Optional.of(crashRegions), false, false);
    }

    /**
     * A simulation of this machine now: its ABI, the crash regions of {@code /proc/iomem} (unknown when
     * the addresses are hidden: then region checks are skipped) and the loaded state from sysfs.
     */
    public static DryRunKexecLoader ofLiveSystem() throws IOException {
        return ofSystem(Path.of("/"));
    }

    /** Like {@link #ofLiveSystem()} for a copy of a system's {@code proc} and {@code sys} files under {@code root}. */
    public static DryRunKexecLoader ofSystem(Path root) throws IOException {
        KexecStatus s = KexecStatus.read(root);
        return new DryRunKexecLoader(KexecAbi.current().orElse(KexecAbi.X86_64), s.crashRegions(),
                s.crashLoaded().orElse(false), s.loaded().orElse(false));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public int priority() {
        return -100;
    }

    /** The simulated ABI. */
    public KexecAbi abi() {
        return abi;
    }

    /** Every call made so far, in order, failed ones included. */
    public List<KexecCall> calls() {
        return List.copyOf(calls);
    }

    /** The last call made. */
    public Optional<KexecCall> lastCall() {
        return calls.isEmpty() ? Optional.empty() : Optional.of(calls.getLast());
    }

    @Override
    public void load(KexecRequest request) throws IOException {
        Objects.requireNonNull(request, "request");
        String kernelArg = "open(\"" + request.kernel() + "\")";
        String initrdArg = request.initrd().map(p -> "open(\"" + p + "\")").orElse("-1");
        long flags = request.fileLoadFlags();
        String args = "kernel_fd=" + kernelArg + ", initrd_fd=" + initrdArg + ", cmdline_len=" + request.commandLineLength()
                + ", cmdline=" + (request.commandLine().isEmpty() ? "NULL" : "\"" + request.commandLine() + "\"")
                + ", flags=" + KexecCall.fileLoadFlagNames(flags);
        requireFile(request.kernel());
        if (request.initrd().isPresent()) {
            requireFile(request.initrd().get());
        }
        Errno result = simulateFileLoad(request);
        calls.add(new KexecCall("kexec_file_load", abi.kexecFileLoadNumber(), flags, args, result));
        if (result.value() != 0) {
            throw new KexecException("kexec_file_load", result, "simulated: " + request.kernel());
        }
        if (request.target() == KexecTarget.CRASH) {
            crashLoaded = true;
        } else {
            loaded = true;
        }
    }

    private static void requireFile(Path file) throws KexecException {
        if (!Files.exists(file)) {
            throw new KexecException("open", Errno.ENOENT, file.toString());
        }
    }

    private Errno simulateFileLoad(KexecRequest request) throws IOException {
        if (request.target() == KexecTarget.CRASH) {
            crashLoaded = false; // the kernel frees the loaded crash image before it loads the new one
        }
        if (!Files.isRegularFile(request.kernel()) || Files.size(request.kernel()) == 0) {
            return Errno.EINVAL;
        }
        if (request.initrd().isPresent()
                && (!Files.isRegularFile(request.initrd().get()) || Files.size(request.initrd().get()) == 0)) {
            return Errno.EINVAL;
        }
        if (abi == KexecAbi.X86_64 && !isBzImage(request.kernel())) {
            return Errno.ENOEXEC;
        }
        long extra = request.target() == KexecTarget.CRASH ? ELFCOREHDR_PARAM : 0;
        if (request.commandLineLength() + extra > COMMAND_LINE_SIZE) {
            return Errno.EINVAL;
        }
        if (request.target() == KexecTarget.CRASH && crashRegions.isPresent()) {
            CrashRegionCheck check = CrashRegionCheck.check(new Iomem(crashRegionsAsIomem()),
                    CrashRegionCheck.kernelMemorySize(request.kernel()),
                    request.initrd().isPresent() ? Files.size(request.initrd().get()) : 0);
            if (!check.loadable()) {
                return Errno.EADDRNOTAVAIL;
            }
        }
        return Errno.NONE;
    }

    private List<IomemResource> crashRegionsAsIomem() {
        return crashRegions.orElse(List.of());
    }

    private static boolean isBzImage(Path kernel) throws IOException {
        try (InputStream in = Files.newInputStream(kernel)) {
            byte[] head = in.readNBytes(0x206);
            return head.length == 0x206 && head[0x202] == 'H' && head[0x203] == 'd' && head[0x204] == 'r' && head[0x205] == 'S';
        }
    }

    @Override
    public void load(SegmentLoad request) throws KexecException {
        Objects.requireNonNull(request, "request");
        long flags = request.flags(abi);
        StringBuilder args = new StringBuilder("entry=0x").append(Long.toHexString(request.entry()))
                .append(", nr_segments=").append(request.segments().size()).append(", segments=[");
        for (KexecSegment s : request.segments()) {
            args.append(args.charAt(args.length() - 1) == '[' ? "" : ", ").append("{bufsz=").append(s.bufferSize())
                    .append(", mem=0x").append(Long.toHexString(s.memory())).append(", memsz=0x")
                    .append(Long.toHexString(s.memorySize())).append('}');
        }
        args.append("], flags=").append(KexecCall.loadFlagNames(flags, abi));
        if (crashRegions.isPresent()) {
            try {
                CrashRegionCheck.checkSegments(new Iomem(crashRegionsAsIomem()), request);
            } catch (KexecException e) {
                calls.add(new KexecCall("kexec_load (not made)", abi.kexecLoadNumber(), flags, args.toString(), e.errno()));
                throw e;
            }
        }
        calls.add(new KexecCall("kexec_load", abi.kexecLoadNumber(), flags, args.toString(), Errno.NONE));
        if (request.target() == KexecTarget.CRASH) {
            crashLoaded = true;
        } else {
            loaded = true;
        }
    }

    @Override
    public void unloadCrash() {
        long flags = KexecAbi.KEXEC_FILE_UNLOAD | KexecAbi.KEXEC_FILE_ON_CRASH;
        calls.add(new KexecCall("kexec_file_load", abi.kexecFileLoadNumber(), flags,
                "kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=" + KexecCall.fileLoadFlagNames(flags), Errno.NONE));
        crashLoaded = false;
    }

    @Override
    public void unloadReboot() {
        long flags = KexecAbi.KEXEC_FILE_UNLOAD;
        calls.add(new KexecCall("kexec_file_load", abi.kexecFileLoadNumber(), flags,
                "kernel_fd=-1, initrd_fd=-1, cmdline_len=0, cmdline=NULL, flags=" + KexecCall.fileLoadFlagNames(flags), Errno.NONE));
        loaded = false;
    }

    @Override
    public KexecStatus status() {
        OptionalLong size = crashRegions.isPresent()
                ? OptionalLong.of(crashRegions.get().stream().mapToLong(IomemResource::size).sum())
                : OptionalLong.empty();
        return new KexecStatus(Optional.of(crashLoaded), Optional.of(loaded), size, crashRegions);
    }

    /** Both probes answer {@code EINVAL}, as on a kernel that permits kexec. */
    @Override
    public List<KexecProbe> probe() {
        return List.of(new KexecProbe("kexec_file_load", Errno.EINVAL), new KexecProbe("kexec_load", Errno.EINVAL));
    }

    @Override
    public String toString() {
        return "dry-run kexec loader (" + abi + ", crash regions " + crashRegions.map(Object::toString).orElse("unknown") + ")";
    }
}
