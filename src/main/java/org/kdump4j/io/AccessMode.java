package org.kdump4j.io;

/** How a {@link ByteSource} reaches the bytes of a file. */
public enum AccessMode {
    /** Map regular files, fall back to positional reads when that fails (procfs, devices). */
    AUTO,
    /** Memory-map the file in power-of-two chunks; fail if the file cannot be mapped. */
    MAPPED,
    /**
     * Positional reads ({@code pread}) only: for {@code /proc/vmcore}, devices and pipes-turned-files, and
     * for short jobs that read a few scattered bytes of a large dump (headers, notes, the kernel log),
     * where setting up a mapping costs more than it saves. Reads smaller than 32 KiB come from a small
     * cache of file blocks; bulk reads and page scans are faster mapped.
     */
    POSITIONAL
}
