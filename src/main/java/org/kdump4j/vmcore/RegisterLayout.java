package org.kdump4j.vmcore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kdump4j.elf.Machine;

/**
 * Where each register lives in an {@code NT_PRSTATUS} descriptor ({@code struct elf_prstatus}) of one
 * architecture: the offsets of {@code pr_pid} and {@code pr_reg} and the names of {@code pr_reg}'s slots.
 *
 * @param architecture the architecture name
 * @param wordSize the target's {@code sizeof(long)}
 * @param pidOffset offset of {@code pr_pid}
 * @param regsOffset offset of {@code pr_reg}
 * @param registers the registers in {@code pr_reg} order
 * @param programCounter the name of the instruction pointer register
 * @param stackPointer the name of the stack pointer register
 */
record RegisterLayout(String architecture, int wordSize, int pidOffset, int regsOffset, List<Register> registers,
        String programCounter, String stackPointer) {

    /** One register slot: name, offset inside {@code pr_reg}, size in bytes. */
    record Register(String name, int offset, int size) {
    }

    /** The size {@code n_descsz} must at least have for the registers to be complete. */
    int minimumSize() {
        Register last = registers.getLast();
        return regsOffset + last.offset() + last.size();
    }

    static Optional<RegisterLayout> of(Machine machine, int wordSize) {
        return Optional.ofNullable(switch (machine.value()) {
            case 62 -> lp64("x86_64", "rip", "rsp", "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
                    "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base",
                    "gs_base", "ds", "es", "fs", "gs");
            case 3 -> ilp32("i386", "eip", "esp", "ebx", "ecx", "edx", "esi", "edi", "ebp", "eax", "xds", "xes", "xfs",
                    "xgs", "orig_eax", "eip", "xcs", "eflags", "esp", "xss");
            case 183 -> lp64("aarch64", "pc", "sp", numbered("x", 31, "sp", "pc", "pstate"));
            case 21 -> wordSize == 8 ? lp64("ppc64", "nip", "gpr1", numbered("gpr", 32, "nip", "msr", "orig_gpr3",
                    "ctr", "link", "xer", "ccr", "softe", "trap", "dar", "dsisr", "result")) : null;
            case 22 -> wordSize == 8 ? s390x() : null;
            case 243 -> wordSize == 8 ? lp64("riscv64", "pc", "sp", "pc", "ra", "sp", "gp", "tp", "t0", "t1", "t2",
                    "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
                    "s9", "s10", "s11", "t3", "t4", "t5", "t6") : null;
            default -> null;
        });
    }

    private static String[] numbered(String prefix, int count, String... rest) {
        String[] names = new String[count + rest.length];
        for (int i = 0; i < count; i++) {
            names[i] = prefix + i;
        }
        System.arraycopy(rest, 0, names, count, rest.length);
        return names;
    }

    private static RegisterLayout lp64(String arch, String pc, String sp, String... names) {
        return new RegisterLayout(arch, 8, 32, 112, slots(names, 8), pc, sp);
    }

    private static RegisterLayout ilp32(String arch, String pc, String sp, String... names) {
        return new RegisterLayout(arch, 4, 24, 72, slots(names, 4), pc, sp);
    }

    private static List<Register> slots(String[] names, int size) {
        List<Register> regs = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            regs.add(new Register(names[i], i * size, size));
        }
        return List.copyOf(regs);
    }

    private static RegisterLayout s390x() {
        List<Register> regs = new ArrayList<>();
        regs.add(new Register("psw_mask", 0, 8));
        regs.add(new Register("psw_addr", 8, 8));
        for (int i = 0; i < 16; i++) {
            regs.add(new Register("gpr" + i, 16 + 8 * i, 8));
        }
        for (int i = 0; i < 16; i++) {
            regs.add(new Register("acr" + i, 144 + 4 * i, 4));
        }
        regs.add(new Register("orig_gpr2", 208, 8));
        return new RegisterLayout("s390x", 8, 32, 112, List.copyOf(regs), "psw_addr", "gpr15");
    }
}
