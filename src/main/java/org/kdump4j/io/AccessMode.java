package org.kdump4j.io;

/** How a {@link ByteSource} reaches the bytes of a file. */
public enum AccessMode {
    /** Map regular files, fall back to positional reads when that fails (procfs, devices). */
    AUTO,
    /** Memory-map the file in power-of-two chunks; fail if the file cannot be mapped. */
    MAPPED,
    /** Positional reads ({@code pread}) only: for {@code /proc/vmcore}, devices and pipes-turned-files. */
    POSITIONAL
}
