package org.kdump4j.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.kdump4j.kernel.DmesgFormat;
import org.kdump4j.kernel.KernelLog;
import org.kdump4j.vmcore.Vmcore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-process kernel-log extraction on the reference dump (issue 7): the log of an open {@link Vmcore}
 * in {@code vmcore-dmesg}'s format ({@link #extract}), and the same including opening the file
 * ({@link #openAndExtract}). {@code bin/bench-kernel} runs it and times {@code vmcore-dmesg} on the same
 * file in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KernelLogBenchmark {
    private java.nio.file.Path path;
    private Vmcore vmcore;
    private int expectedLength;

    /** Opens the dump and checks that there is a log. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        path = BenchDump.path();
        vmcore = Vmcore.open(path);
        expectedLength = KernelLog.read(vmcore).format(DmesgFormat.VMCORE_DMESG).length;
        if (expectedLength < 1000) {
            throw new IllegalStateException("no kernel log in " + vmcore.name());
        }
    }

    /** Closes the dump. */
    @TearDown(Level.Trial)
    public void close() {
        vmcore.close();
    }

    /** The log of the open dump, formatted: translation, ring walk and formatting. */
    @Benchmark
    public int extract() throws IOException {
        return check(KernelLog.read(vmcore).format(DmesgFormat.VMCORE_DMESG).length);
    }

    /** Open (map, headers, notes, VMCOREINFO), extract and format, close. */
    @Benchmark
    public int openAndExtract() throws IOException {
        try (Vmcore v = Vmcore.open(path)) {
            return check(KernelLog.read(v).format(DmesgFormat.VMCORE_DMESG).length);
        }
    }

    private int check(int length) {
        if (length != expectedLength) {
            throw new IllegalStateException("log length " + length + ", expected " + expectedLength);
        }
        return length;
    }
}
