package org.kdump4j.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.kdump4j.boot.Iomem;
import org.kdump4j.kexec.CrashRegionCheck;
import org.kdump4j.kexec.Errno;
import org.kdump4j.kexec.KexecAbi;
import org.kdump4j.kexec.KexecException;
import org.kdump4j.kexec.KexecLoader;
import org.kdump4j.kexec.KexecProbe;
import org.kdump4j.kexec.KexecRequest;
import org.kdump4j.kexec.KexecSegment;
import org.kdump4j.kexec.KexecStatus;
import org.kdump4j.kexec.KexecTarget;
import org.kdump4j.kexec.KexecUnavailableException;
import org.kdump4j.kexec.SegmentLoad;

/**
 * The native {@link KexecLoader}: {@code kexec_file_load} and {@code kexec_load} through the Foreign
 * Function &amp; Memory API, with no native code of kdump4j's own.
 *
 * <p>Available on Linux on x86_64, aarch64, riscv64, ppc64(le) and s390x when native access is
 * enabled for kdump4j ({@code --enable-native-access=org.kdump4j} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path, or {@code java -jar}); otherwise
 * {@link #unavailableReason()} says which of these is missing and binds nothing.
 */
public final class LinuxKexecLoader implements KexecLoader {
    /** This loader's {@link #name()}. */
    public static final String NAME = "linux";
    /** {@code struct kexec_segment} on LP64: buf, bufsz, mem, memsz. */
    private static final long SEGMENT_BYTES = 32;
    /** A flag bit no kernel defines, for the side-effect-free probes. */
    static final long FILE_PROBE_FLAGS = 0x80000000L;
    /** Bit 15: outside {@code KEXEC_FLAGS} and outside the architecture mask. */
    static final long LOAD_PROBE_FLAGS = 0x8000L;
    /** More than {@code KEXEC_SEGMENT_MAX}: a second reason for EINVAL before any copy or lock. */
    static final long LOAD_PROBE_SEGMENTS = 17;

    private final Optional<KexecAbi> abi;
    private final Optional<String> unavailable;

    /** The provider constructor: finds out whether this process can use the calls, binding nothing else. */
    public LinuxKexecLoader() {
        this.abi = KexecAbi.current();
        this.unavailable = check(abi);
    }

    private static Optional<String> check(Optional<KexecAbi> abi) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("not Linux (os.name is '" + os + "'): kexec is a Linux system call");
        }
        if (abi.isEmpty()) {
            return Optional.of("architecture '" + System.getProperty("os.arch") + "' is not supported (kdump4j knows the "
                    + "kexec system calls of x86_64, aarch64, riscv64, ppc64 and s390x)");
        }
        Module module = LinuxKexecLoader.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            return Optional.of(nativeAccessHint(module));
        }
        try {
            Syscalls.bindAll();
        } catch (IllegalCallerException e) {
            return Optional.of(nativeAccessHint(module) + " (" + e.getMessage() + ")");
        } catch (LinkageError | UnsupportedOperationException e) {
            return Optional.of("cannot bind libc's open/close/syscall through the FFM linker: " + e);
        }
        return Optional.empty();
    }

    /** The exact flag to pass, for a named module or the class path. */
    static String nativeAccessHint(Module module) {
        return module.isNamed()
                ? "native access is not enabled for module " + module.getName() + ": run java with --enable-native-access="
                        + module.getName()
                : "native access is not enabled for the class path: run java with --enable-native-access=ALL-UNNAMED "
                        + "(or with -jar, whose manifest grants it)";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public int priority() {
        return 100;
    }

    /** The ABI whose system-call numbers this loader uses. */
    public Optional<KexecAbi> abi() {
        return abi;
    }

    private KexecAbi require(String syscall) throws KexecUnavailableException {
        if (unavailable.isPresent()) {
            throw new KexecUnavailableException(syscall, unavailable.get());
        }
        return abi.orElseThrow();
    }

    @Override
    public void load(KexecRequest request) throws IOException {
        KexecAbi a = require("kexec_file_load");
        long flags = request.fileLoadFlags();
        try (Syscalls.Fd kernel = open(request.kernel());
                Syscalls.Fd initrd = request.initrd().isPresent() ? open(request.initrd().get()) : Syscalls.Fd.NONE;
                Arena arena = Arena.ofConfined()) {
            MemorySegment cmdline = request.commandLine().isEmpty() ? MemorySegment.NULL
                    : arena.allocateFrom(request.commandLine());
            long length = request.commandLine().isEmpty() ? 0 : cmdline.byteSize(); // counts the NUL
            Syscalls.Result r = Syscalls.syscall(a.kexecFileLoadNumber(), kernel.value(), initrd.value(), length, cmdline,
                    flags);
            if (r.failed()) {
                throw new KexecException("kexec_file_load", Errno.of(r.errno()), request.target().name().toLowerCase(Locale.ROOT)
                        + " kernel " + request.kernel() + request.initrd().map(p -> ", initrd " + p).orElse("")
                        + ", flags 0x" + Long.toHexString(flags));
            }
        }
    }

    private static Syscalls.Fd open(Path file) throws KexecException {
        Syscalls.Result r = Syscalls.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        if (r.failed()) {
            throw new KexecException("open", Errno.of(r.errno()), file.toString());
        }
        return new Syscalls.Fd((int) r.value());
    }

    @Override
    public void load(SegmentLoad request) throws IOException {
        KexecAbi a = require("kexec_load");
        if (request.target() == KexecTarget.CRASH) {
            Optional<Iomem> iomem = KexecStatus.readIomem(Path.of("/proc/iomem"));
            if (iomem.isPresent()) {
                CrashRegionCheck.checkSegments(iomem.get(), request);
            }
        }
        List<KexecSegment> segments = request.segments();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(SEGMENT_BYTES * segments.size(), 8);
            for (int i = 0; i < segments.size(); i++) {
                KexecSegment s = segments.get(i);
                MemorySegment buf = arena.allocate(Math.max(1, s.bufferSize()), 8);
                buf.asByteBuffer().put(s.buffer().duplicate());
                long base = i * SEGMENT_BYTES;
                array.set(ADDRESS, base, buf);
                array.set(JAVA_LONG, base + 8, s.bufferSize());
                array.set(JAVA_LONG, base + 16, s.memory());
                array.set(JAVA_LONG, base + 24, s.memorySize());
            }
            long flags = request.flags(a);
            Syscalls.Result r = Syscalls.syscall(a.kexecLoadNumber(), request.entry(), segments.size(), array, flags);
            if (r.failed()) {
                throw new KexecException("kexec_load", Errno.of(r.errno()), segments.size() + " segments, entry 0x"
                        + Long.toHexString(request.entry()) + ", flags 0x" + Long.toHexString(flags));
            }
        }
    }

    @Override
    public void unloadCrash() throws IOException {
        unload(KexecAbi.KEXEC_FILE_ON_CRASH, KexecAbi.KEXEC_ON_CRASH);
    }

    @Override
    public void unloadReboot() throws IOException {
        unload(0, 0);
    }

    /** {@code kexec_file_load(-1, -1, 0, NULL, UNLOAD|slot)}; where that call is absent, {@code kexec_load(0, 0, NULL, slot|arch)}. */
    private void unload(long fileSlot, long loadSlot) throws KexecException {
        KexecAbi a = require("kexec_file_load");
        long fileFlags = KexecAbi.KEXEC_FILE_UNLOAD | fileSlot;
        Syscalls.Result r = Syscalls.syscall(a.kexecFileLoadNumber(), -1, -1, 0, MemorySegment.NULL, fileFlags);
        if (!r.failed()) {
            return;
        }
        if (r.errno() != Errno.ENOSYS.value()) {
            throw new KexecException("kexec_file_load", Errno.of(r.errno()), "unload, flags 0x" + Long.toHexString(fileFlags));
        }
        long loadFlags = loadSlot | a.archFlag();
        Syscalls.Result l = Syscalls.syscall(a.kexecLoadNumber(), 0, 0, MemorySegment.NULL, loadFlags);
        if (l.failed()) {
            throw new KexecException("kexec_load", Errno.of(l.errno()), "unload, flags 0x" + Long.toHexString(loadFlags));
        }
    }

    @Override
    public KexecStatus status() throws IOException {
        return KexecStatus.read();
    }

    /**
     * Probes {@code kexec_file_load(-1, -1, 0, NULL, 0x80000000)} and {@code kexec_load(0, 17, NULL, 0x8000)}:
     * both are rejected by the kernel's first argument checks, before the kexec lock, any copy or any
     * image is touched. Empty when the loader is unavailable.
     */
    @Override
    public List<KexecProbe> probe() {
        if (unavailable.isPresent()) {
            return List.of();
        }
        KexecAbi a = abi.orElseThrow();
        Syscalls.Result file = Syscalls.syscall(a.kexecFileLoadNumber(), -1, -1, 0, MemorySegment.NULL, FILE_PROBE_FLAGS);
        Syscalls.Result load = Syscalls.syscall(a.kexecLoadNumber(), 0, LOAD_PROBE_SEGMENTS, MemorySegment.NULL, LOAD_PROBE_FLAGS);
        return List.of(new KexecProbe("kexec_file_load", Errno.of(file.failed() ? file.errno() : 0)),
                new KexecProbe("kexec_load", Errno.of(load.failed() ? load.errno() : 0)));
    }

    @Override
    public String toString() {
        return "linux kexec loader (" + abi.map(KexecAbi::toString).orElse("unsupported architecture")
                + unavailable.map(u -> ", unavailable: " + u).orElse("") + ")";
    }
}
