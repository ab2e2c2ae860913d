package org.kdump4j.kexec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One system call a {@link DryRunKexecLoader} would have made, and what the simulated kernel answered,
 * so tests and {@code --dry-run} can show exactly what a real load would pass.
 *
 * @param syscall {@code kexec_file_load} or {@code kexec_load}
 * @param number the system-call number on the simulated ABI
 * @param flags the flags argument
 * @param arguments every argument, rendered for a person
 * @param result the simulated outcome ({@link Errno#NONE} for success)
 */
public record KexecCall(String syscall, long number, long flags, String arguments, Errno result) {

    /** Checks for nulls. */
    public KexecCall {
        Objects.requireNonNull(syscall, "syscall");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(result, "result");
    }

    /** Whether the simulated call succeeded. */
    public boolean succeeded() {
        return result.value() == 0;
    }

    /** Names the {@code kexec_file_load} flag bits, e.g. {@code KEXEC_FILE_ON_CRASH|KEXEC_FILE_NO_INITRAMFS}. */
    public static String fileLoadFlagNames(long flags) {
        List<String> names = new ArrayList<>();
        long rest = flags;
        String[] known = {"KEXEC_FILE_UNLOAD", "KEXEC_FILE_ON_CRASH", "KEXEC_FILE_NO_INITRAMFS", "KEXEC_FILE_DEBUG"};
        for (int bit = 0; bit < known.length; bit++) {
            if ((flags & (1L << bit)) != 0) {
                names.add(known[bit]);
                rest &= ~(1L << bit);
            }
        }
        if (rest != 0 || names.isEmpty()) {
            names.add("0x" + Long.toHexString(rest));
        }
        return String.join("|", names);
    }

    /** Names the {@code kexec_load} flags, e.g. {@code KEXEC_ON_CRASH|KEXEC_ARCH_X86_64}. */
    public static String loadFlagNames(long flags, KexecAbi abi) {
        List<String> names = new ArrayList<>();
        if ((flags & KexecAbi.KEXEC_ON_CRASH) != 0) {
            names.add("KEXEC_ON_CRASH");
        }
        long arch = flags & 0xffff0000L;
        if (arch == abi.archFlag()) {
            names.add("KEXEC_ARCH_" + abi.name());
        } else if (arch != 0) {
            names.add("arch 0x" + Long.toHexString(arch));
        }
        long rest = flags & 0xfffeL;
        if (rest != 0 || names.isEmpty()) {
            names.add("0x" + Long.toHexString(rest));
        }
        return String.join("|", names);
    }

    @Override
    public String toString() {
        return "syscall(" + number + ") " + syscall + "(" + arguments + ") = "
                + (succeeded() ? "0" : "-1 " + result.name());
    }
}
