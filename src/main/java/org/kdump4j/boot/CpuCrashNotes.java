package org.kdump4j.boot;

import java.util.OptionalLong;

/**
 * Where one CPU's crash note buffer is ({@code /sys/devices/system/cpu/cpuN/crash_notes} and
 * {@code crash_notes_size}), because the ELF core headers need one {@code PT_NOTE} per CPU pointing there.
 *
 * @param cpu the CPU number N
 * @param address physical address of the buffer
 * @param size its size in bytes (368 on x86_64); empty on old kernels without {@code crash_notes_size},
 *     for which kexec-tools assumes 1024
 */
public record CpuCrashNotes(int cpu, long address, OptionalLong size) {

    /** Checks the CPU number. */
    public CpuCrashNotes {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu must be >= 0: " + cpu);
        }
    }
}
