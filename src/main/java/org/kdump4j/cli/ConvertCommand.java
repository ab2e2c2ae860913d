package org.kdump4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kdump4j.io.AccessMode;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.memory.MemoryRange;
import org.kdump4j.vmcore.VmcoreOptions;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;

/**
 * {@code kdump4j convert}: writes any readable dump as an ELF vmcore, optionally without its zero pages,
 * through a temporary file that is fsynced and renamed into place.
 */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String synopsis() {
        return "convert --to elf [--exclude-zero] [--force] " + DumpOpener.SYNOPSIS + " IN OUT";
    }

    @Override
    public String summary() {
        return "write a dump (ELF, oldmem image + --iomem) as an ELF vmcore; --exclude-zero leaves zero pages out";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags("--exclude-zero", "--force"), DumpOpener.valued("--to"));
        List<String> ops = args.operands(2, 2);
        String to = args.value("--to");
        if (to == null) {
            throw new UsageException("missing --to elf");
        }
        if (!to.equals("elf")) {
            throw new UsageException("--to: only 'elf' is supported, not '" + to + "'");
        }
        Path in = Path.of(ops.get(0));
        Path target = Path.of(ops.get(1));
        if (!Files.exists(in)) {
            throw new java.nio.file.NoSuchFileException(ops.get(0));
        }
        ProgressBar bar = ProgressBar.forTerminal(err);
        DumpWriteOptions options = DumpWriteOptions.defaults().withOverwrite(args.has("--force"))
                .withExcludeZeroPages(args.has("--exclude-zero")).withProgress(bar);
        DumpWriter.Result r;
        try {
            r = DumpWriter.write(in, openOptions(args), target, options);
        } finally {
            bar.finish();
        }
        out.printf("%s: ELF vmcore, %d program headers, %d bytes (%d bytes of memory data", target, r.segments(),
                r.size(), r.dataBytes());
        if (args.has("--exclude-zero")) {
            out.printf(", %d bytes of zero pages left out", r.zeroBytesLeftOut());
        }
        out.println(")");
        return Main.EXIT_OK;
    }

    /** The shared dump-opening options ({@link DumpOpener}'s), as {@link VmcoreOptions}. */
    static VmcoreOptions openOptions(Args args) throws UsageException, java.io.IOException {
        VmcoreOptions options = VmcoreOptions.defaults();
        if (args.has("--positional")) {
            options = options.withSource(SourceOptions.defaults().withMode(AccessMode.POSITIONAL));
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
}
