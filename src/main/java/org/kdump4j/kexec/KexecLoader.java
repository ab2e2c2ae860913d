package org.kdump4j.kexec;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Loads and unloads kexec kernels: the service-provider interface kdump4j finds through
 * {@link java.util.ServiceLoader}, so the native Linux loader, the dry-run loader for tests and "what
 * would happen", and third-party loaders plug in the same way.
 *
 * <p>Selection never yields null: {@link #best()} is the available native loader with the highest
 * {@link #priority()}, or an unavailable one whose operations throw
 * {@link KexecUnavailableException} saying why (not Linux, unknown architecture, or no native access
 * and the exact {@code --enable-native-access} flag to pass). {@link #named} selects explicitly.
 *
 * <p>Safety: a load fills the crash slot unless the request was made with
 * {@link KexecRequest#forReboot}; unloading has its own methods; nothing here ever executes a
 * loaded kernel or asks for a reboot. Note that the kernel frees a loaded crash kernel before it
 * validates a new crash load, so a failed reload leaves none loaded.
 */
public interface KexecLoader {

    /** A short, stable name used for explicit selection, e.g. {@code linux} or {@code dry-run}. */
    String name();

    /** Why this loader cannot work in this process, or empty when it can. */
    Optional<String> unavailableReason();

    /** Whether this loader can work in this process. */
    default boolean isAvailable() {
        return unavailableReason().isEmpty();
    }

    /** Whether this loader changes the running kernel's state (false for a dry-run loader). */
    boolean isNative();

    /** Among available native loaders, {@link #best()} picks the highest priority. */
    default int priority() {
        return 0;
    }

    /**
     * Loads a kernel with {@code kexec_file_load}: into the crash slot, or the reboot slot for a
     * {@link KexecRequest#forReboot} request. A loaded image of the same slot is replaced.
     *
     * @throws KexecException with the errno when the kernel refuses
     * @throws IOException when a file cannot be read
     */
    void load(KexecRequest request) throws IOException;

    /**
     * Loads explicit segments with {@code kexec_load} (for callers with their own purgatory). A crash
     * load is checked against the reserved region first.
     *
     * @throws KexecException with the errno when the kernel (or the pre-check) refuses
     */
    void load(SegmentLoad request) throws IOException;

    /**
     * Unloads the crash kernel (a crash is then no longer captured). Unloading when none is loaded
     * succeeds.
     *
     * @throws KexecException with the errno when the kernel refuses
     */
    void unloadCrash() throws IOException;

    /**
     * Unloads the kernel loaded for a kexec reboot.
     *
     * @throws KexecException with the errno when the kernel refuses
     */
    void unloadReboot() throws IOException;

    /** The kernel's kexec state as this loader sees it. */
    KexecStatus status() throws IOException;

    /**
     * Probes both system calls without side effects (see {@link KexecProbe}); empty when this loader
     * makes no system calls.
     */
    List<KexecProbe> probe();

    /** Every loader found by {@link java.util.ServiceLoader}, in priority order. */
    static List<KexecLoader> providers() {
        return Providers.all();
    }

    /** The available native loader with the highest priority, else one that says why none is available. */
    static KexecLoader best() {
        return Providers.best();
    }

    /**
     * The loader with this {@link #name()}, available or not.
     *
     * @throws IllegalArgumentException if no provider has that name (the message lists the names)
     */
    static KexecLoader named(String name) {
        return Providers.named(name);
    }

    /** A loader whose every operation fails with {@link KexecUnavailableException} carrying {@code reason}. */
    static KexecLoader unavailable(String reason) {
        return new UnavailableKexecLoader(reason);
    }
}
