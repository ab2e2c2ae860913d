package org.kdump4j.vmcore;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.kdump4j.elf.ProgramHeader;

/**
 * Kernel virtual to physical translation through the {@code PT_LOAD} virtual addresses alone: enough for
 * the kernel image and the direct map in kexec-made vmcores. Segments whose {@code p_vaddr} is 0 or all
 * ones (no virtual address) or that have no physical address are skipped; the first segment in table
 * order that covers an address wins.
 */
public final class VirtualMap {
    private final List<ProgramHeader> loads;

    private VirtualMap(List<ProgramHeader> loads) {
        this.loads = loads;
    }

    /** Builds the map from program headers. */
    public static VirtualMap of(List<ProgramHeader> programHeaders) {
        List<ProgramHeader> l = new ArrayList<>();
        for (ProgramHeader ph : programHeaders) {
            if (ph.isLoad() && ph.virtualAddress() != 0 && ph.virtualAddress() != -1L && ph.memorySize() != 0
                    && ph.physicalAddress() != -1L) {
                l.add(ph);
            }
        }
        return new VirtualMap(List.copyOf(l));
    }

    /** The {@code PT_LOAD}s with a usable virtual address, in table order. */
    public List<ProgramHeader> segments() {
        return loads;
    }

    /** The physical address of {@code vaddr}, or empty when no segment maps it. */
    public OptionalLong toPhysical(long vaddr) {
        for (ProgramHeader ph : loads) {
            long delta = vaddr - ph.virtualAddress();
            if (Long.compareUnsigned(delta, ph.memorySize()) < 0) {
                return OptionalLong.of(ph.physicalAddress() + delta);
            }
        }
        return OptionalLong.empty();
    }

    /** How many bytes from {@code vaddr} on stay within the segment that maps it (0 if unmapped). */
    public long contiguousBytes(long vaddr) {
        for (ProgramHeader ph : loads) {
            long delta = vaddr - ph.virtualAddress();
            if (Long.compareUnsigned(delta, ph.memorySize()) < 0) {
                return ph.memorySize() - delta;
            }
        }
        return 0;
    }

    /** Whether no segment has a usable virtual address. */
    public boolean isEmpty() {
        return loads.isEmpty();
    }
}
