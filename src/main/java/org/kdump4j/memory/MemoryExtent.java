package org.kdump4j.memory;

/**
 * One stretch of physical memory as a file stores it: {@code memorySize} bytes from
 * {@code physicalAddress}, of which the first {@code fileSize} are in the file at {@code fileOffset} and
 * the rest read as zero. An ELF {@code PT_LOAD} is exactly this ({@code p_paddr}, {@code p_memsz},
 * {@code p_offset}, {@code p_filesz}); a raw oldmem image has {@code fileOffset == physicalAddress}.
 *
 * @param physicalAddress first physical address
 * @param memorySize bytes of memory
 * @param fileOffset where the stored bytes start in the file
 * @param fileSize bytes stored ({@code <= memorySize})
 * @param origin a label for messages and overlap diagnostics, e.g. {@code "PT_LOAD[3]"}
 */
public record MemoryExtent(long physicalAddress, long memorySize, long fileOffset, long fileSize, String origin) {

    /** Validates the extent. */
    public MemoryExtent {
        java.util.Objects.requireNonNull(origin, "origin");
        if (Long.compareUnsigned(fileSize, memorySize) > 0) {
            throw new IllegalArgumentException(origin + ": file size 0x" + Long.toHexString(fileSize)
                    + " exceeds memory size 0x" + Long.toHexString(memorySize));
        }
        new MemoryRange(physicalAddress, memorySize); // rejects wrap-around
    }
}
