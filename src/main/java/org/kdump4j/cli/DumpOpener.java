package org.kdump4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.kdump4j.io.AccessMode;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.vmcore.Vmcore;
import org.kdump4j.vmcore.VmcoreOptions;

/**
 * The options every dump-reading command shares, and how they become {@link VmcoreOptions}:
 * {@code --oldmem} (raw physical image), {@code --iomem FILE} (its System RAM ranges),
 * {@code --positional} (no memory mapping) or {@code --mapped}, {@code --lenient} (read what is readable
 * from a truncated dump), {@code --page-size N}.
 *
 * <p>A command that reads a few scattered bytes of a dump (its headers, notes, the kernel log) prefers
 * positional reads: mapping a file costs more at JVM start than the handful of reads it saves. Raw
 * images still default to mapping, since finding their VMCOREINFO reads every page.
 */
final class DumpOpener {
    static final Set<String> FLAGS = Set.of("--oldmem", "--positional", "--mapped", "--lenient");
    static final Set<String> VALUED = Set.of("--iomem", "--page-size");
    static final String SYNOPSIS = "[--oldmem [--iomem FILE]] [--positional|--mapped] [--lenient] [--page-size N]";

    private DumpOpener() {
    }

    // plain loops, not streams: these run on every start of a dump command, before anything is compiled
    static Set<String> flags(String... more) {
        return union(FLAGS, more);
    }

    static Set<String> valued(String... more) {
        return union(VALUED, more);
    }

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> all = new java.util.HashSet<>(base);
        java.util.Collections.addAll(all, more);
        return all;
    }

    /** The shared dump-opening options as {@link VmcoreOptions}, for a command that reads much of a dump. */
    static VmcoreOptions options(Args args) throws IOException, UsageException {
        return options(args, AccessMode.AUTO);
    }

    /**
     * The shared dump-opening options as {@link VmcoreOptions}.
     *
     * @param preferred the access the command prefers when no flag chooses one (raw images: always automatic)
     */
    static VmcoreOptions options(Args args, AccessMode preferred) throws IOException, UsageException {
        VmcoreOptions options = VmcoreOptions.defaults();
        if (args.has("--positional") && args.has("--mapped")) {
            throw new UsageException("--positional and --mapped exclude each other");
        }
        AccessMode mode = args.has("--positional") ? AccessMode.POSITIONAL
                : args.has("--mapped") ? AccessMode.MAPPED
                : args.has("--oldmem") ? AccessMode.AUTO : preferred;
        if (mode != AccessMode.AUTO) {
            options = options.withSource(SourceOptions.defaults().withMode(mode));
        }
        if (args.has("--page-size")) {
            try {
                options = options.withPageSize(Integer.parseInt(args.value("--page-size")));
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad --page-size: " + e.getMessage());
            }
        }
        if (args.has("--lenient")) {
            options = options.withLenient(true);
        }
        if (args.has("--iomem") && !args.has("--oldmem")) {
            throw new UsageException("--iomem only applies to --oldmem images");
        }
        if (args.has("--oldmem")) {
            List<MemoryRange> ranges = args.has("--iomem") ? IomemRanges.systemRam(Path.of(args.value("--iomem")))
                    : List.of();
            options = options.withRaw(ranges);
        }
        return options;
    }

    static Vmcore open(Args args, String path) throws IOException, UsageException {
        return open(args, List.of(path));
    }

    /** Opens one dump, or the parts of a split kdump-compressed dump as one, for a command that reads much of it. */
    static Vmcore open(Args args, List<String> paths) throws IOException, UsageException {
        return open(args, paths, AccessMode.AUTO);
    }

    /**
     * Opens one dump, or the parts of a split kdump-compressed dump as one.
     *
     * @param preferred the access the command prefers when no flag chooses one
     */
    static Vmcore open(Args args, List<String> paths, AccessMode preferred) throws IOException, UsageException {
        VmcoreOptions options = options(args, preferred);
        List<Path> files = new java.util.ArrayList<>();
        for (String path : paths) {
            Path p = Path.of(path);
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(path);
            }
            files.add(p);
        }
        if (files.size() > 1 && args.has("--oldmem")) {
            throw new UsageException("--oldmem takes one image, not split parts");
        }
        return Vmcore.open(files, options);
    }
}
