package org.kdump4j.boot;

import java.util.Objects;

/**
 * Where the running kernel keeps its VMCOREINFO note, as {@code /sys/kernel/vmcoreinfo} tells it,
 * because the ELF core headers of a crash dump must point at that note.
 *
 * @param address physical address of the note
 * @param size size of the note in bytes (4132 = {@code 0x1024} on 4 KiB-page kernels)
 */
public record VmcoreInfoLocation(long address, long size) {

    /**
     * Parses the file's text in either kernel format: {@code "0x%016llx %x\n"} (current) or the older
     * {@code "%lx %x\n"} (no {@code 0x}). Both numbers are hex; one optional {@code 0x} is accepted on
     * each as kexec-tools' {@code sscanf("%llx %llx")} does; a final newline is optional.
     *
     * @throws BootParseException with the position of the first unexpected character
     */
    public static VmcoreInfoLocation parse(String text) throws BootParseException {
        Objects.requireNonNull(text, "text");
        SysfsText t = new SysfsText("vmcoreinfo", text);
        long address = t.hex(true, "note address");
        t.expect(' ', "a space between address and size");
        long size = t.hex(true, "note size");
        t.end();
        return new VmcoreInfoLocation(address, size);
    }

    /** The text in the current kernel format, {@code 0x%016llx %x}. */
    public String format() {
        String a = Long.toHexString(address);
        return "0x" + "0".repeat(Math.max(0, 16 - a.length())) + a + " " + Long.toHexString(size) + "\n";
    }
}
