package org.kdump4j.kexec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import org.kdump4j.boot.BootParseException;
import org.kdump4j.boot.Iomem;
import org.kdump4j.boot.IomemResource;
import org.kdump4j.boot.SysfsKexecState;

/**
 * What the kernel says about kexec right now: whether a crash or reboot image is loaded, how much
 * crash memory is reserved and where, so a tool can tell whether a crash would be captured.
 *
 * <p>Sources: {@code /sys/kernel/kexec_crash_loaded}, {@code kexec_loaded}, {@code kexec_crash_size}
 * (through {@link SysfsKexecState}) and the {@code Crash kernel} lines of {@code /proc/iomem}. A
 * missing file (a kernel without kexec) gives an empty field; so does {@code /proc/iomem} read
 * without root, whose addresses are hidden.
 *
 * @param crashLoaded whether a crash kernel is loaded
 * @param loaded whether a kernel for kexec reboot is loaded
 * @param crashSize bytes of reserved crash memory
 * @param crashRegions the reserved regions, when {@code /proc/iomem} could be read with addresses
 */
public record KexecStatus(Optional<Boolean> crashLoaded, Optional<Boolean> loaded, OptionalLong crashSize,
        Optional<List<IomemResource>> crashRegions) {

    /** Checks for nulls and copies the list. */
    public KexecStatus {
        Objects.requireNonNull(crashLoaded, "crashLoaded");
        Objects.requireNonNull(loaded, "loaded");
        Objects.requireNonNull(crashSize, "crashSize");
        crashRegions = crashRegions.map(List::copyOf);
    }

    /** Reads the live system. */
    public static KexecStatus read() throws IOException {
        return read(Path.of("/"));
    }

    /**
     * Reads {@code sys/kernel/...} and {@code proc/iomem} under {@code root} (a live {@code /} or a copy).
     *
     * @throws IOException when a present file cannot be read or does not hold what the kernel prints
     */
    public static KexecStatus read(Path root) throws IOException {
        SysfsKexecState sysfs;
        try {
            sysfs = SysfsKexecState.read(root);
        } catch (BootParseException e) {
            throw new IOException(root + ": " + e.getMessage(), e);
        }
        return new KexecStatus(sysfs.kexecCrashLoaded(), sysfs.kexecLoaded(), sysfs.kexecCrashSize(),
                crashRegions(root.resolve("proc/iomem")));
    }

    /** The {@code Crash kernel} lines of an iomem file; empty if it is absent, unreadable or hides addresses. */
    static Optional<List<IomemResource>> crashRegions(Path iomemFile) throws IOException {
        return readIomem(iomemFile).map(Iomem::crashKernel);
    }

    /**
     * Parses an iomem file (normally {@code /proc/iomem}); empty if it is absent, unreadable or hides
     * its addresses (read without root).
     *
     * @throws IOException if it cannot be read for another reason or is not what the kernel prints
     */
    public static Optional<Iomem> readIomem(Path iomemFile) throws IOException {
        String text;
        try {
            text = new String(Files.readAllBytes(iomemFile), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException | AccessDeniedException e) {
            return Optional.empty();
        }
        Iomem iomem;
        try {
            iomem = Iomem.parse(text);
        } catch (BootParseException e) {
            throw new IOException(iomemFile + ": " + e.getMessage(), e);
        }
        return iomem.addressesHidden() ? Optional.empty() : Optional.of(iomem);
    }

    /** Whether a crash would be captured: a crash kernel is loaded. */
    public boolean armed() {
        return crashLoaded.orElse(false);
    }
}
