package org.kdump4j.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kexec/kdump state the kernel publishes in sysfs, read in one go, so tools can check "is a crash
 * kernel loaded, how much memory is reserved, where are the notes" against a live system or against
 * files captured from one.
 *
 * <p>Files (relative to a root directory, normally {@code /}); an absent file gives an empty field:
 * <ul>
 *   <li>{@code sys/kernel/kexec_loaded}, {@code sys/kernel/kexec_crash_loaded}: {@code "0\n"} or {@code "1\n"}</li>
 *   <li>{@code sys/kernel/kexec_crash_size}: decimal bytes reserved (crash and, on 6.5+, low region)</li>
 *   <li>{@code sys/kernel/vmcoreinfo}: see {@link VmcoreInfoLocation#parse}</li>
 *   <li>{@code sys/devices/system/cpu/cpuN/crash_notes} (hex address, no {@code 0x}) and
 *       {@code crash_notes_size} (decimal); both are readable by root only</li>
 * </ul>
 *
 * @param kexecLoaded whether a normal kexec image is loaded
 * @param kexecCrashLoaded whether a crash (kdump) image is loaded
 * @param kexecCrashSize bytes of reserved crash memory
 * @param vmcoreinfo where the VMCOREINFO note is
 * @param crashNotes the per-CPU note buffers, by CPU number; CPUs without a {@code crash_notes} file are left out
 * @param crashNotesDenied whether some {@code crash_notes} could not be read for lack of permission (not root)
 */
public record SysfsKexecState(Optional<Boolean> kexecLoaded, Optional<Boolean> kexecCrashLoaded,
        OptionalLong kexecCrashSize, Optional<VmcoreInfoLocation> vmcoreinfo, List<CpuCrashNotes> crashNotes,
        boolean crashNotesDenied) {

    /** Files larger than this are not sysfs value files. */
    private static final int MAX_FILE = 64 * 1024;
    private static final int MAX_CPUS = 1 << 16;

    /** Checks for nulls and copies the list. */
    public SysfsKexecState {
        Objects.requireNonNull(kexecLoaded, "kexecLoaded");
        Objects.requireNonNull(kexecCrashLoaded, "kexecCrashLoaded");
        Objects.requireNonNull(kexecCrashSize, "kexecCrashSize");
        Objects.requireNonNull(vmcoreinfo, "vmcoreinfo");
        crashNotes = List.copyOf(crashNotes);
    }

    /** Reads the live system ({@code /}). */
    public static SysfsKexecState read() throws IOException, BootParseException {
        return read(Path.of("/"));
    }

    /**
     * Reads the files under {@code root} (a captured copy of {@code /} or a directory holding
     * {@code sys/...}).
     *
     * @throws IOException when a present file cannot be read (other than permission on {@code crash_notes})
     * @throws BootParseException when a file's text is not what the kernel prints
     */
    public static SysfsKexecState read(Path root) throws IOException, BootParseException {
        Objects.requireNonNull(root, "root");
        Path kernel = root.resolve("sys/kernel");
        Optional<Boolean> loaded = optional(kernel.resolve("kexec_loaded"));
        Optional<Boolean> crashLoaded = optional(kernel.resolve("kexec_crash_loaded"));
        Optional<String> sizeText = readIfPresent(kernel.resolve("kexec_crash_size"));
        OptionalLong size = sizeText.isPresent() ? OptionalLong.of(parseKexecCrashSize(sizeText.get())) : OptionalLong.empty();
        Optional<String> info = readIfPresent(kernel.resolve("vmcoreinfo"));
        Optional<VmcoreInfoLocation> vmcoreinfo = info.isPresent() ? Optional.of(VmcoreInfoLocation.parse(info.get()))
                : Optional.empty();
        List<CpuCrashNotes> notes = new ArrayList<>();
        boolean denied = false;
        for (int cpu : cpus(root.resolve("sys/devices/system/cpu"))) {
            Path dir = root.resolve("sys/devices/system/cpu/cpu" + cpu);
            Optional<String> address;
            Optional<String> noteSize;
            try {
                address = readIfPresent(dir.resolve("crash_notes"));
                noteSize = readIfPresent(dir.resolve("crash_notes_size"));
            } catch (AccessDeniedException e) {
                denied = true;
                continue;
            }
            if (address.isEmpty()) {
                continue;
            }
            notes.add(new CpuCrashNotes(cpu, parseCrashNotes(address.get()),
                    noteSize.isPresent() ? OptionalLong.of(parseCrashNotesSize(noteSize.get())) : OptionalLong.empty()));
        }
        return new SysfsKexecState(loaded, crashLoaded, size, vmcoreinfo, notes, denied);
    }

    /** Parses {@code kexec_loaded} or {@code kexec_crash_loaded}: {@code "0\n"} or {@code "1\n"}. */
    public static boolean parseLoadedFlag(String text) throws BootParseException {
        return SysfsText.flag("kexec_loaded", Objects.requireNonNull(text, "text"));
    }

    /** Parses {@code kexec_crash_size}: decimal bytes, {@code "%zd\n"}. */
    public static long parseKexecCrashSize(String text) throws BootParseException {
        return SysfsText.bytes("kexec_crash_size", Objects.requireNonNull(text, "text"));
    }

    /** Parses {@code cpuN/crash_notes}: the physical address in hex without {@code 0x}, {@code "%llx\n"}. */
    public static long parseCrashNotes(String text) throws BootParseException {
        return SysfsText.hexAddress("crash_notes", Objects.requireNonNull(text, "text"));
    }

    /** Parses {@code cpuN/crash_notes_size}: decimal bytes, {@code "%zu\n"}. */
    public static long parseCrashNotesSize(String text) throws BootParseException {
        return SysfsText.bytes("crash_notes_size", Objects.requireNonNull(text, "text"));
    }

    private static Optional<Boolean> optional(Path file) throws IOException, BootParseException {
        Optional<String> text = readIfPresent(file);
        return text.isPresent() ? Optional.of(SysfsText.flag(file.getFileName().toString(), text.get())) : Optional.empty();
    }

    /** Reads a small text file as ISO-8859-1 (one char per byte); empty if it does not exist. */
    static Optional<String> readIfPresent(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE + 1);
            if (bytes.length > MAX_FILE) {
                throw new IOException(file + ": larger than " + MAX_FILE + " bytes, not a sysfs value file");
            }
            return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static List<Integer> cpus(Path cpuDir) throws IOException {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(cpuDir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(cpuDir, "cpu[0-9]*")) {
            for (Path p : ds) {
                String digits = p.getFileName().toString().substring(3);
                if (digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9')
                        && (digits.length() == 1 || digits.charAt(0) != '0')) {
                    int n = Integer.parseInt(digits);
                    if (n < MAX_CPUS) {
                        out.add(n);
                    }
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }
}
