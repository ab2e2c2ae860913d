package org.kdump4j.cli;

import java.io.PrintStream;
import java.util.List;
import org.kdump4j.vmcore.MemoryDigest;
import org.kdump4j.vmcore.Vmcore;

/** {@code kdump4j digest}: a content digest of physical memory that does not depend on the file format. */
final class DigestCommand implements Command {

    @Override
    public String name() {
        return "digest";
    }

    @Override
    public String synopsis() {
        return "digest " + DumpOpener.SYNOPSIS + " DUMP [PART...]";
    }

    @Override
    public String summary() {
        return "format-independent SHA-256 of the dump's non-zero pages: 'sha256 <hex> pages <n>'";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, DumpOpener.flags(), DumpOpener.valued());
        List<String> paths = args.operands(1, 256);
        try (Vmcore v = DumpOpener.open(args, paths)) {
            MemoryDigest d = MemoryDigest.of(v.memory());
            out.println("sha256 " + d.hex() + " pages " + d.pages());
        }
        return Main.EXIT_OK;
    }
}
