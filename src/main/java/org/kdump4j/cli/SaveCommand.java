package org.kdump4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;

/**
 * {@code kdump4j save}: the capture kernel's job: copies {@code /proc/vmcore} (or any dump) byte for byte
 * to a file that appears under its name only once complete and on disk.
 */
final class SaveCommand implements Command {

    @Override
    public String name() {
        return "save";
    }

    @Override
    public String synopsis() {
        return "save [--force] SOURCE OUT";
    }

    @Override
    public String summary() {
        return "copy /proc/vmcore (or any dump) safely: temporary file, fsync, rename; never overwrites without --force";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws Exception {
        Args args = Args.parse(argv, Set.of("--force"), Set.of());
        List<String> ops = args.operands(2, 2);
        Path source = Path.of(ops.get(0));
        if (!Files.exists(source)) {
            throw new java.nio.file.NoSuchFileException(ops.get(0));
        }
        ProgressBar bar = ProgressBar.forTerminal(err);
        DumpWriter.Result r;
        try {
            r = DumpWriter.copy(source, Path.of(ops.get(1)),
                    DumpWriteOptions.defaults().withOverwrite(args.has("--force")).withProgress(bar));
        } finally {
            bar.finish();
        }
        out.printf("%s: %d bytes copied from %s%n", ops.get(1), r.size(), source);
        return Main.EXIT_OK;
    }
}
