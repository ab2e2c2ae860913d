package org.kdump4j.boot;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code elfcorehdr=[size@]offset} parameter that tells a dump-capture kernel where the ELF core
 * headers of the crashed kernel are, because its presence is what makes a kernel a kdump kernel.
 *
 * <p>Kernel rules ({@code setup_elfcorehdr()}): the address is read with {@link MemorySize#memparse};
 * if an {@code @} follows, that number was the size and the address follows the {@code @}; the
 * parameter is rejected only when nothing at all was consumed; trailing junk is ignored. So
 * {@code 5@} is size 5 at address 0, and {@code @5} is address 5 with unknown size.
 *
 * @param address physical address of the headers
 * @param size their size in bytes; 0 means unknown (the old {@code offset}-only form)
 */
public record ElfCoreHdrParam(long address, long size) {
    /** The parameter name as the kernel registers it. */
    public static final String NAME = "elfcorehdr";

    /**
     * Parses the value (the text after {@code elfcorehdr=}).
     *
     * @throws BootParseException when the kernel rejects it ("nothing consumed"), at position 0
     */
    public static ElfCoreHdrParam parse(String value) throws BootParseException {
        Objects.requireNonNull(value, "value");
        ParsedNumber first = MemorySize.memparse(value, 0);
        long address = first.value();
        long size = 0;
        int end = first.end();
        if (MemorySize.at(value, end) == '@') {
            size = address;
            ParsedNumber second = MemorySize.memparse(value, end + 1);
            address = second.value();
            end = second.end();
        }
        if (end == 0) {
            throw new BootParseException(NAME + "=" + value, "memory value expected, found "
                    + MemorySize.describe(MemorySize.at(value, 0)), 0);
        }
        return new ElfCoreHdrParam(address, size);
    }

    /**
     * The value the kernel ends up with after reading every {@code elfcorehdr} parameter of the
     * command line in order (before {@code --}; each one overwrites the previous one).
     *
     * <p>Kernel quirk kept: a rejected value such as {@code elfcorehdr=foo} still stores address 0
     * before being rejected, so it leaves a present header at address 0 (the kernel then believes
     * it is a kdump kernel); a bare {@code elfcorehdr} without {@code =} changes nothing.
     *
     * @return the final address and size, or empty when no parameter set one
     */
    public static Optional<ElfCoreHdrParam> fromCommandLine(KernelCommandLine line) {
        Objects.requireNonNull(line, "line");
        ElfCoreHdrParam state = null;
        long size = 0;
        for (KernelParameter p : line.all(NAME)) {
            if (p.value().isEmpty()) {
                continue;
            }
            String v = p.value().get();
            ParsedNumber first = MemorySize.memparse(v, 0);
            long address = first.value();
            if (MemorySize.at(v, first.end()) == '@') {
                size = address;
                address = MemorySize.memparse(v, first.end() + 1).value();
            }
            state = new ElfCoreHdrParam(address, size);
        }
        return Optional.ofNullable(state);
    }

    /** The canonical parameter text, {@code elfcorehdr=0x...} or {@code elfcorehdr=SIZE@0x...}. */
    public String format() {
        return NAME + "=" + (size == 0 ? "" : MemorySize.format(size) + "@") + "0x" + Long.toHexString(address);
    }

    /** Same as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }
}
