package org.kdump4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.kdump4j.vmcore.Vmcore;

/**
 * Wall-clock full scans for the libkdumpfile comparison ({@code bin/bench --native}): opens the dump
 * once, then scans every present page RUNS times with {@code forEachPage}, XORing every 64-bit word.
 * Prints the same lines as {@code src/jmh/native/kdumpfile_scan.c}: "run N ms X.XXX pages P xor 0x...".
 */
public final class FullScan {
    private FullScan() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: FullScan VMCORE [RUNS]");
            System.exit(2);
        }
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (Vmcore vmcore = Vmcore.open(Path.of(args[0]))) {
            for (int run = 1; run <= runs; run++) {
                long[] acc = new long[2]; // xor, pages
                long t0 = System.nanoTime();
                vmcore.memory().forEachPage((pfn, page) -> {
                    acc[0] ^= BenchDump.xorLongs(page, 0, page.byteSize());
                    acc[1]++;
                });
                long t1 = System.nanoTime();
                System.out.printf("run %d ms %.3f pages %d xor 0x%x%n", run, (t1 - t0) / 1e6, acc[1], acc[0]);
            }
        }
    }
}
