package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.List;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;

/**
 * {@code kdump4j digest}: a content digest of physical memory that does not depend on the file format (nor
 * on {@code --threads}, the threads that decode compressed pages).
 */
final class DigestCommand implements Command {

    @Override
    public String name() {
        return "digest";
    }

    @Override
    public String synopsis() {
        return "digest " + DumpOpener.SYNOPSIS + " " + DecodeThreads.SYNOPSIS + " DUMP [PART...]";
    }

    @Override
    public String summary() {
        return "format-independent SHA-256 of the dump's non-zero pages: 'sha256 <hex> pages <n>'; --threads N "
                + "decodes compressed pages on N threads (default: the processors, at most 8)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags(), DumpOpener.valued(DecodeThreads.OPTION));
        List<String> paths = args.operands(1, 256);
        int threads = DecodeThreads.of(args);
        try (Vmcore v = DumpOpener.open(args, paths)) {
            MemoryDigest d = MemoryDigest.of(v.memory().withDecodeThreads(threads));
            out.println("sha256 " + d.hex() + " pages " + d.pages());
        }
        return Main.EXIT_OK;
    }
}
