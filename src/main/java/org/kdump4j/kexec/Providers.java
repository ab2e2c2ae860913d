package org.kdump4j.kexec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds {@link KexecLoader} providers once, with kdump4j's own class loader. */
final class Providers {
    private Providers() {
    }

    private static final class Holder {
        static final List<KexecLoader> ALL = load();
    }

    private static List<KexecLoader> load() {
        List<KexecLoader> out = new ArrayList<>();
        ServiceLoader<KexecLoader> sl = ServiceLoader.load(KexecLoader.class, KexecLoader.class.getClassLoader());
        var it = sl.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                System.getLogger(KexecLoader.class.getName()).log(System.Logger.Level.WARNING,
                        "skipping a kexec loader provider that failed to load: " + e.getMessage());
            }
        }
        if (out.stream().noneMatch(l -> l.name().equals(DryRunKexecLoader.NAME))) {
            out.add(new DryRunKexecLoader()); // the class path without META-INF/services still has it
        }
        out.sort(Comparator.comparingInt(KexecLoader::priority).reversed());
        return List.copyOf(out);
    }

    static List<KexecLoader> all() {
        return Holder.ALL;
    }

    static KexecLoader best() {
        List<String> reasons = new ArrayList<>();
        for (KexecLoader l : Holder.ALL) {
            if (!l.isNative()) {
                continue;
            }
            if (l.isAvailable()) {
                return l;
            }
            reasons.add(l.name() + ": " + l.unavailableReason().orElse("unavailable"));
        }
        return new UnavailableKexecLoader(reasons.isEmpty() ? "no native kexec loader is installed" : String.join("; ", reasons));
    }

    static KexecLoader named(String name) {
        Objects.requireNonNull(name, "name");
        return Holder.ALL.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no kexec loader named '" + name + "' (known: "
                        + Holder.ALL.stream().map(KexecLoader::name).collect(Collectors.joining(", ")) + ")"));
    }
}
