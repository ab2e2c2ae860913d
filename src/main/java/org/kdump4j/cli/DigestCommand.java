package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.List;
import org.kdump4j.diskdump.KdumpMemory;
import org.kdump4j.memory.PhysicalMemory;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;

/**
 * {@code kdump4j digest}: a content digest of physical memory that does not depend on the file format.
 * Pages of kdump-compressed and flattened dumps are decoded on {@code --threads N} threads (default: the
 * available processors, at most 8); the digest is the same for any N.
 */
final class DigestCommand implements Command {
    /** The most threads the default picks. */
    private static final int DEFAULT_MAX_THREADS = 8;

    @Override
    public String name() {
        return "digest";
    }

    @Override
    public String synopsis() {
        return "digest " + DumpOpener.SYNOPSIS + " [--threads N] DUMP [PART...]";
    }

    @Override
    public String summary() {
        return "format-independent SHA-256 of the dump's non-zero pages: 'sha256 <hex> pages <n>'";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags(), DumpOpener.valued("--threads"));
        List<String> paths = args.operands(1, 256);
        int threads = args.has("--threads") ? threads(args.value("--threads"))
                : Math.min(DEFAULT_MAX_THREADS, Runtime.getRuntime().availableProcessors());
        try (Vmcore v = DumpOpener.open(args, paths)) {
            PhysicalMemory memory = v.memory();
            if (memory instanceof KdumpMemory k) {
                memory = k.withDecodeThreads(threads);
            }
            MemoryDigest d = MemoryDigest.of(memory);
            out.println("sha256 " + d.hex() + " pages " + d.pages());
        }
        return Main.EXIT_OK;
    }

    private static int threads(String s) throws UsageException {
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--threads: expected a number of threads from 1 to 256, got '" + s + "'");
    }
}
