package org.kdump4j.vmcore;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.kdump4j.elf.Machine;
import org.kdump4j.elf.Note;
import org.kdump4j.io.DumpFormatException;

/** Decodes {@link CpuState}s from {@code NT_PRSTATUS} and QEMU notes. */
final class CpuStates {
    /** {@code sizeof(QEMUCPUState)} up to {@code cr[4]}; version 1 adds {@code kernel_gs_base} (440). */
    private static final int QEMU_MIN_SIZE = 432;
    private static final String[] QEMU_GPRS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};
    private static final String[] QEMU_SEGMENTS = {"cs", "ds", "es", "fs", "gs", "ss", "ldt", "tr", "gdt", "idt"};

    private CpuStates() {
    }

    static List<CpuState> decode(String source, List<Note> notes, Machine machine, int wordSize, ByteOrder order)
            throws DumpFormatException {
        List<CpuState> cpus = new ArrayList<>();
        Optional<RegisterLayout> layout = RegisterLayout.of(machine, wordSize);
        int prstatus = 0;
        int qemu = 0;
        for (Note n : notes) {
            if (n.type().isPrStatus()) {
                cpus.add(prStatus(source, n, prstatus++, machine, wordSize, layout, order));
            } else if (n.name().equals("QEMU") && n.type().value() == 0 && n.descriptorSize() >= QEMU_MIN_SIZE
                    && (machine.equals(Machine.X86_64) || machine.equals(Machine.I386))) {
                cpus.add(qemuState(n, qemu++, order));
            }
        }
        return List.copyOf(cpus);
    }

    private static CpuState prStatus(String source, Note n, int index, Machine machine, int wordSize,
            Optional<RegisterLayout> layout, ByteOrder order) throws DumpFormatException {
        ByteBuffer d = n.descriptorBuffer(order);
        int pidOffset = wordSize == 8 ? 32 : 24;
        if (d.capacity() < pidOffset + 4) {
            throw new DumpFormatException(source, n.offset(), "NT_PRSTATUS descriptor of " + d.capacity()
                    + " bytes is too small for pr_pid");
        }
        int pid = d.getInt(pidOffset);
        Map<String, Long> regs = new LinkedHashMap<>();
        String arch = machine.architecture();
        if (layout.isPresent()) {
            RegisterLayout l = layout.get();
            arch = l.architecture();
            if (d.capacity() < l.minimumSize()) {
                throw new DumpFormatException(source, n.offset(), "NT_PRSTATUS descriptor of " + d.capacity()
                        + " bytes is smaller than the " + l.minimumSize() + " bytes " + l.architecture() + " needs");
            }
            for (RegisterLayout.Register r : l.registers()) {
                int at = l.regsOffset() + r.offset();
                regs.putIfAbsent(r.name(), r.size() == 8 ? d.getLong(at) : Integer.toUnsignedLong(d.getInt(at)));
            }
        }
        return new CpuState(index, "NT_PRSTATUS", arch, OptionalInt.of(pid), regs, n.offset());
    }

    private static CpuState qemuState(Note n, int index, ByteOrder order) {
        ByteBuffer d = n.descriptorBuffer(order);
        Map<String, Long> regs = new LinkedHashMap<>();
        for (int i = 0; i < QEMU_GPRS.length; i++) {
            regs.put(QEMU_GPRS[i], d.getLong(8 + 8 * i));
        }
        for (int i = 0; i < QEMU_SEGMENTS.length; i++) {
            int at = 152 + 24 * i;
            regs.put(QEMU_SEGMENTS[i], Integer.toUnsignedLong(d.getInt(at)));
            regs.put(QEMU_SEGMENTS[i] + "_base", d.getLong(at + 16));
        }
        for (int i = 0; i < 5; i++) {
            regs.put("cr" + i, d.getLong(392 + 8 * i));
        }
        if (d.capacity() >= 440) {
            regs.put("kernel_gs_base", d.getLong(432));
        }
        return new CpuState(index, "QEMU", "x86_64", OptionalInt.empty(), regs, n.offset());
    }
}
