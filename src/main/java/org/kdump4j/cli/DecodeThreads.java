package org.kdump4j.cli;

import org.kdump4j.memory.PhysicalMemory;

/**
 * The {@code --threads N} option of the commands that read a whole dump ({@code digest}, {@code convert}):
 * how many threads decode the pages of kdump-compressed and flattened dumps (see
 * {@link org.kdump4j.memory.PhysicalMemory#withDecodeThreads}). Default: the available processors, at most 8.
 * Output never depends on it.
 */
final class DecodeThreads {
    static final String OPTION = "--threads";
    static final String SYNOPSIS = "[--threads N]";
    /** The most threads the default picks. */
    private static final int DEFAULT_MAX = 8;
    private static final int MAX = PhysicalMemory.MAX_DECODE_THREADS;

    private DecodeThreads() {
    }

    /** The thread count the command line asks for, or the default. */
    static int of(Args args) throws UsageException {
        if (!args.has(OPTION)) {
            return Math.min(DEFAULT_MAX, Runtime.getRuntime().availableProcessors());
        }
        String s = args.value(OPTION);
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(OPTION + ": expected a number of threads from 1 to " + MAX + ", got '" + s + "'");
    }
}
