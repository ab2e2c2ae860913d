package org.kdump4j.vmcore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One CPU's state at the crash, from a {@code CORE/NT_PRSTATUS} note (what the kernel saved on each
 * CPU) or a QEMU {@code QEMUCPUState} note.
 *
 * @param index the position among the notes of this kind (the kernel drops CPUs that did not answer, so
 *     this is not necessarily the CPU number)
 * @param source {@code "NT_PRSTATUS"} or {@code "QEMU"}
 * @param architecture the architecture whose register names are used
 * @param pid {@code pr_pid}: the task running on the CPU (NT_PRSTATUS only)
 * @param registers register name to value, in the architecture's order (unmodifiable)
 * @param noteOffset the file offset of the note it came from
 */
public record CpuState(int index, String source, String architecture, OptionalInt pid, Map<String, Long> registers,
        long noteOffset) {

    /** Copies the registers into an unmodifiable ordered map. */
    public CpuState {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(pid, "pid");
        registers = Collections.unmodifiableMap(new LinkedHashMap<>(registers));
    }

    /** A register by name ({@code rip}, {@code pc}, {@code x29}, ...). */
    public OptionalLong register(String name) {
        Long v = registers.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** The instruction pointer ({@code rip}, {@code eip}, {@code pc}, {@code nip}, {@code psw_addr}). */
    public OptionalLong programCounter() {
        for (String n : new String[] {"rip", "eip", "pc", "nip", "psw_addr"}) {
            if (registers.containsKey(n)) {
                return OptionalLong.of(registers.get(n));
            }
        }
        return OptionalLong.empty();
    }
}
