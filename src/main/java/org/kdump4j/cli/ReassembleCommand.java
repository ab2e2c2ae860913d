package org.kdump4j.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.kdump4j.diskdump.Flattened;

/**
 * {@code kdump4j reassemble}: turns a flattened dump ({@code makedumpfile -F}, QEMU) into the ordinary
 * file in one streaming pass, like {@code makedumpfile -R}; {@code -} reads standard input. The output
 * appears only when complete (written to a temporary file, then renamed).
 */
final class ReassembleCommand implements Command {

    @Override
    public String name() {
        return "reassemble";
    }

    @Override
    public String synopsis() {
        return "reassemble [--allow-truncated] IN|- OUT";
    }

    @Override
    public String summary() {
        return "rearrange a flattened dump (makedumpfile -F, QEMU) into an ordinary kdump or ELF file";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of("--allow-truncated"), Set.of());
        List<String> ops = args.operands(2, 2);
        String in = ops.get(0);
        Path target = Path.of(ops.get(1));
        boolean lenient = args.has("--allow-truncated");
        Flattened.Result r;
        if (in.equals("-")) {
            r = Flattened.reassemble(System.in, "<stdin>", target, lenient);
        } else {
            Path p = Path.of(in);
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(in);
            }
            try (InputStream s = Files.newInputStream(p)) {
                r = Flattened.reassemble(s, in, target, lenient);
            }
        }
        out.printf("%s: %d records, %d bytes%s%n", target, r.records(), r.size(),
                r.endMarker() ? "" : " (stream was truncated: no end marker)");
        return Main.EXIT_OK;
    }
}
