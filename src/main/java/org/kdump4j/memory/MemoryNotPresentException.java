package org.kdump4j.memory;

import java.io.IOException;

/**
 * A read touched physical memory the dump does not hold (a hole between ranges, the crash kernel's
 * own region, memory a filter left out). Names the first missing address.
 */
public final class MemoryNotPresentException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long address;

    /**
     * Creates the exception.
     *
     * @param source the dump's name
     * @param address the first physical address that is not present
     * @param reason why it is missing, e.g. {@code "not in any PT_LOAD"}
     */
    public MemoryNotPresentException(String source, long address, String reason) {
        super(source + ": physical address 0x" + Long.toHexString(address) + " is not in the dump (" + reason + ")");
        this.address = address;
    }

    /** The first physical address that is not present. */
    public long address() {
        return address;
    }
}
