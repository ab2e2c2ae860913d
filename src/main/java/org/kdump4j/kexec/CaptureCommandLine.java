package org.kdump4j.kexec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.kdump4j.boot.KernelCommandLine;
import org.kdump4j.boot.KernelParameter;

/**
 * Builds the dump-capture kernel's command line: a base (given, or the running kernel's own), the
 * architecture's capture options, {@code root=} and custom parameters, because the capture kernel
 * must boot on one CPU, with devices reset, in the little memory reserved for it.
 *
 * <p>Capture options (kdump's customary ones): {@code 1 irqpoll maxcpus=1 reset_devices}; on ppc64
 * {@code 1 maxcpus=1 noirqdistrib reset_devices}. Rules:
 * <ul>
 *   <li>{@link #reuse} takes a running kernel's line ({@code /proc/cmdline}) and drops
 *       {@code BOOT_IMAGE=} and {@code crashkernel=} (a capture kernel reserves nothing), and any
 *       parameter the capture options set, which they replace.</li>
 *   <li>{@link #base} takes a line as given: a parameter already there is not added again.</li>
 *   <li>{@link #root} replaces every {@code root=}; {@link #add} appends as given.</li>
 *   <li>Arguments for {@code init} (after {@code --}) stay at the end.</li>
 * </ul>
 * The kernel appends {@code elfcorehdr=} itself for {@code kexec_file_load}.
 */
public final class CaptureCommandLine {
    private static final List<String> GENERIC = List.of("1", "irqpoll", "maxcpus=1", "reset_devices");
    private static final List<String> PPC64 = List.of("1", "maxcpus=1", "noirqdistrib", "reset_devices");
    private static final Set<String> DROPPED_ON_REUSE = Set.of("BOOT_IMAGE", "crashkernel");

    private final List<String> defaults;
    private final List<String> params = new ArrayList<>();
    private final List<String> initArgs = new ArrayList<>();
    private final List<String> added = new ArrayList<>();
    private Optional<String> root = Optional.empty();
    private boolean withDefaults = true;

    private CaptureCommandLine(List<String> defaults) {
        this.defaults = defaults;
    }

    /** A builder with the capture options of {@code abi}. */
    public static CaptureCommandLine forAbi(KexecAbi abi) {
        return new CaptureCommandLine(captureOptions(abi));
    }

    /** The capture options of {@code abi}. */
    public static List<String> captureOptions(KexecAbi abi) {
        return Objects.requireNonNull(abi, "abi") == KexecAbi.PPC64 ? PPC64 : GENERIC;
    }

    /** Starts from a command line as given (replacing any earlier base). */
    public CaptureCommandLine base(String commandLine) {
        return setBase(commandLine, false);
    }

    /** Starts from a running kernel's command line, cleaned for a capture kernel (replacing any earlier base). */
    public CaptureCommandLine reuse(String runningCommandLine) {
        return setBase(runningCommandLine, true);
    }

    private CaptureCommandLine setBase(String text, boolean reuse) {
        KernelCommandLine line = KernelCommandLine.parse(Objects.requireNonNull(text, "commandLine").strip());
        String raw = line.text();
        params.clear();
        initArgs.clear();
        Set<String> replaced = reuse ? names(defaults) : Set.of();
        for (KernelParameter p : line.parameters()) {
            if (reuse && (DROPPED_ON_REUSE.contains(p.name()) || replaced.contains(p.name()))) {
                continue;
            }
            params.add(raw.substring(p.start(), p.end()));
        }
        for (KernelParameter p : line.initArguments()) {
            initArgs.add(raw.substring(p.start(), p.end()));
        }
        return this;
    }

    /** Sets {@code root=} (replacing any in the base). */
    public CaptureCommandLine root(String device) {
        Objects.requireNonNull(device, "device");
        if (device.isEmpty() || device.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("root device must be one word: '" + device + "'");
        }
        root = Optional.of(device);
        return this;
    }

    /** Appends parameters as given (one or more, separated by spaces). */
    public CaptureCommandLine add(String parameters) {
        for (KernelParameter p : KernelCommandLine.parse(Objects.requireNonNull(parameters, "parameters")).parameters()) {
            added.add(parameters.substring(p.start(), p.end()));
        }
        return this;
    }

    /** Whether to add the capture options (default true). */
    public CaptureCommandLine captureOptions(boolean on) {
        withDefaults = on;
        return this;
    }

    /** The command line. */
    public String build() {
        List<String> out = new ArrayList<>();
        for (String p : params) {
            if (root.isEmpty() || !name(p).equals("root")) {
                out.add(p);
            }
        }
        if (withDefaults) {
            Set<String> present = names(out);
            for (String d : defaults) {
                if (!present.contains(name(d))) {
                    out.add(d);
                }
            }
        }
        root.ifPresent(r -> out.add("root=" + r));
        out.addAll(added);
        if (!initArgs.isEmpty()) {
            out.add("--");
            out.addAll(initArgs);
        }
        return String.join(" ", out);
    }

    private static Set<String> names(List<String> tokens) {
        Set<String> out = new HashSet<>();
        for (String t : tokens) {
            out.add(name(t));
        }
        return out;
    }

    private static String name(String token) {
        List<KernelParameter> p = KernelCommandLine.parse(token).parameters();
        return p.isEmpty() ? token : p.getFirst().name();
    }

    @Override
    public String toString() {
        return build();
    }
}
