package org.kdump4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;

/**
 * {@code kdump4j convert}: writes any readable dump as an ELF vmcore, optionally without its zero pages,
 * through a temporary file that is fsynced and renamed into place. A dump without program headers
 * (kdump-compressed, flattened, raw) gets {@code /proc/vmcore}'s virtual addresses (direct-map RAM
 * segments, kernel-image segments) unless {@code --no-vaddr}; what cannot be derived is a warning on
 * stderr.
 */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String synopsis() {
        return "convert --to elf [--exclude-zero] [--no-vaddr] [--force] " + DecodeThreads.SYNOPSIS + " "
                + DumpOpener.SYNOPSIS + " IN OUT";
    }

    @Override
    public String summary() {
        return "write a dump (ELF, kdump-compressed, oldmem image + --iomem) as an ELF vmcore; --exclude-zero leaves "
                + "zero pages out; --no-vaddr writes p_vaddr 0 instead of /proc/vmcore's kernel virtual addresses; "
                + "--threads N decodes compressed pages on N threads";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags("--exclude-zero", "--no-vaddr", "--force"), DumpOpener.valued("--to",
                DecodeThreads.OPTION));
        List<String> ops = args.operands(2, 2);
        String to = args.value("--to");
        if (to == null) {
            throw new UsageException("missing --to elf");
        }
        if (!to.equals("elf")) {
            throw new UsageException("--to: only 'elf' is supported, not '" + to + "'");
        }
        int threads = DecodeThreads.of(args);
        Path in = Path.of(ops.get(0));
        Path target = Path.of(ops.get(1));
        if (!Files.exists(in)) {
            throw new java.nio.file.NoSuchFileException(ops.get(0));
        }
        ProgressBar bar = ProgressBar.forTerminal(err);
        DumpWriteOptions options = DumpWriteOptions.defaults().withOverwrite(args.has("--force"))
                .withExcludeZeroPages(args.has("--exclude-zero")).withKernelVirtualAddresses(!args.has("--no-vaddr"))
                .withProgress(bar).withDecodeThreads(threads);
        DumpWriter.Result r;
        try {
            r = DumpWriter.write(in, DumpOpener.options(args), target, options);
        } finally {
            bar.finish();
        }
        out.printf("%s: ELF vmcore, %d program headers, %d bytes (%d bytes of memory data", target, r.segments(),
                r.size(), r.dataBytes());
        if (args.has("--exclude-zero")) {
            out.printf(", %d bytes of zero pages left out", r.zeroBytesLeftOut());
        }
        out.println(")");
        DumpWriter.VirtualAddresses va = r.virtualAddresses();
        if (va.source() == DumpWriter.VirtualAddressSource.KERNEL) {
            out.printf("  virtual addresses: RAM %s; kernel image %s%n", va.directMapBase().isPresent()
                    ? "at direct map 0x" + Long.toHexString(va.directMapBase().getAsLong()) + " + physical"
                    + (va.outsideDirectMap() > 0 ? " (" + va.outsideDirectMap() + " ranges outside it at 0)" : "")
                    : "0", va.kernelImage().map(i -> i + " in " + va.kernelImageSegments() + " PT_LOADs")
                    .orElse("none"));
        }
        if (r.vmcoreInfoFromMemory()) {
            out.println("  VMCOREINFO note: added from the text the kernel left in memory");
        }
        for (String w : r.warnings()) {
            err.println("kdump4j convert: warning: " + w);
        }
        return Main.EXIT_OK;
    }
}
