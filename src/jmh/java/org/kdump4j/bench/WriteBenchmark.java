package org.kdump4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.kdump4j.vmcore.VmcoreOptions;
import org.kdump4j.write.DumpWriteOptions;
import org.kdump4j.write.DumpWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing a copy of the reference vmcore, next to it on the same disk, against {@code cp} of the same
 * file. The target is deleted before every operation, so each one creates a new file.
 *
 * <ul>
 *   <li>{@code kdump4jElf}: {@link DumpWriter#write} (ELF vmcore rewritten: headers planned, segments
 *       copied in the kernel, temporary file, fsync, rename);
 *   <li>{@code kdump4jElfNoZero}: the same leaving zero pages out (reads everything twice);
 *   <li>{@code kdump4jSave}: {@link DumpWriter#copy} ({@code kdump4j save}: byte copy, fsync, rename);
 *   <li>{@code cp}: coreutils {@code cp}, which leaves the data in the page cache;
 *   <li>{@code cpSync}: {@code cp} then {@code sync FILE} (fsync), the fair comparison for the writer,
 *       which does not report success before the data is on disk.
 * </ul>
 * Quiet 2-core VM, ext4, page cache warm (2026-11-26): cp 110 ms, cpSync 220 ms, kdump4jElf 185 ms,
 * kdump4jSave 178 ms, kdump4jElfNoZero 89 ms for the 390 MB dump.
 * Score: milliseconds per copy; throughput = file size / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 6)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms256m", "-Xmx256m"})
public class WriteBenchmark {
    private Path source;
    private Path target;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        source = BenchDump.path().toAbsolutePath();
        target = source.resolveSibling("write-benchmark.out");
        System.out.printf("%n# source %s (%d bytes), target %s (heap 256 MiB: memory use is bounded)%n", source,
                Files.size(source), target);
    }

    @Setup(Level.Invocation)
    public void clean() throws IOException {
        Files.deleteIfExists(target);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(target);
    }

    @Benchmark
    public long kdump4jElf() throws IOException {
        return DumpWriter.write(source, VmcoreOptions.defaults(), target, DumpWriteOptions.defaults()).size();
    }

    @Benchmark
    public long kdump4jElfNoZero() throws IOException {
        return DumpWriter.write(source, VmcoreOptions.defaults(), target,
                DumpWriteOptions.defaults().withExcludeZeroPages(true)).size();
    }

    @Benchmark
    public long kdump4jSave() throws IOException {
        return DumpWriter.copy(source, target, DumpWriteOptions.defaults()).size();
    }

    @Benchmark
    public int cp() throws Exception {
        return run("cp", source.toString(), target.toString());
    }

    @Benchmark
    public int cpSync() throws Exception {
        return run("cp", source.toString(), target.toString()) + run("sync", target.toString());
    }

    private static int run(String... cmd) throws Exception {
        int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + rc);
        }
        return rc;
    }
}
