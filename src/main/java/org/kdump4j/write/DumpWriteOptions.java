package org.kdump4j.write;

import java.util.Objects;
import java.util.Optional;
import org.kdump4j.elf.Machine;
import org.kdump4j.memory.PhysicalMemory;

/**
 * How {@link DumpWriter} writes a dump.
 *
 * @param overwrite replace an existing target (else {@link OutputExistsException})
 * @param excludeZeroPages leave all-zero pages out of the file: trailing ones only grow {@code p_memsz}
 *     past {@code p_filesz}, runs of at least {@code minZeroRunPages} inside a segment split it (the
 *     memory still reads as zeros), like {@code makedumpfile -E}
 * @param minZeroRunPages the shortest zero run that splits a segment
 * @param dataAlignment each segment's bytes start at a multiple of this (a power of two)
 * @param machine {@code e_machine} for dumps that carry none (raw images); ELF dumps keep theirs
 * @param progress receives progress; may throw to abort
 * @param kernelVirtualAddresses for dumps without program headers (kdump-compressed, flattened, raw
 *     images): give RAM segments their direct-map {@code p_vaddr} and add kernel-image {@code PT_LOAD}s,
 *     as {@code /proc/vmcore} has, from the dump's own page tables and VMCOREINFO (see
 *     {@link DumpWriter}); {@code false} writes {@code p_vaddr} 0 everywhere, like {@code makedumpfile -E}
 *     of such a dump. ELF dumps keep their {@code p_vaddr}s either way
 * @param decodeThreads the threads that decode compressed pages while the memory is read (kdump-compressed
 *     and flattened dumps; see {@link PhysicalMemory#withDecodeThreads}), 1 to
 *     {@link PhysicalMemory#MAX_DECODE_THREADS}
 */
public record DumpWriteOptions(boolean overwrite, boolean excludeZeroPages, int minZeroRunPages, long dataAlignment,
        Optional<Machine> machine, WriteProgress progress, boolean kernelVirtualAddresses, int decodeThreads) {

    /** makedumpfile's {@code PFN_EXCLUDED}: shorter excluded runs stay inside a segment. */
    public static final int DEFAULT_MIN_ZERO_RUN_PAGES = 256;

    /** Validates. */
    public DumpWriteOptions {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(progress, "progress");
        if (minZeroRunPages < 1) {
            throw new IllegalArgumentException("minZeroRunPages must be at least 1: " + minZeroRunPages);
        }
        if (dataAlignment <= 0 || Long.bitCount(dataAlignment) != 1) {
            throw new IllegalArgumentException("data alignment must be a power of two: " + dataAlignment);
        }
        PhysicalMemory.checkDecodeThreads(decodeThreads);
    }

    /**
     * Do not overwrite, keep zero pages, page-aligned data, no progress, kernel virtual addresses, decode on
     * the calling thread.
     */
    public static DumpWriteOptions defaults() {
        return new DumpWriteOptions(false, false, DEFAULT_MIN_ZERO_RUN_PAGES, 4096, Optional.empty(),
                WriteProgress.NONE, true, 1);
    }

    /** A copy that may replace an existing target. */
    public DumpWriteOptions withOverwrite(boolean value) {
        return new DumpWriteOptions(value, excludeZeroPages, minZeroRunPages, dataAlignment, machine, progress,
                kernelVirtualAddresses, decodeThreads);
    }

    /** A copy that leaves zero pages out. */
    public DumpWriteOptions withExcludeZeroPages(boolean value) {
        return new DumpWriteOptions(overwrite, value, minZeroRunPages, dataAlignment, machine, progress,
                kernelVirtualAddresses, decodeThreads);
    }

    /** A copy with another split threshold. */
    public DumpWriteOptions withMinZeroRunPages(int value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, value, dataAlignment, machine, progress,
                kernelVirtualAddresses, decodeThreads);
    }

    /** A copy with another data alignment. */
    public DumpWriteOptions withDataAlignment(long value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, value, machine, progress,
                kernelVirtualAddresses, decodeThreads);
    }

    /** A copy with a machine for raw images. */
    public DumpWriteOptions withMachine(Machine value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, Optional.of(value),
                progress, kernelVirtualAddresses, decodeThreads);
    }

    /** A copy that derives kernel virtual addresses for dumps without program headers, or writes 0. */
    public DumpWriteOptions withKernelVirtualAddresses(boolean value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, machine, progress,
                value, decodeThreads);
    }

    /** A copy that decodes compressed pages on {@code value} threads (see {@link PhysicalMemory#withDecodeThreads}). */
    public DumpWriteOptions withDecodeThreads(int value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, machine, progress,
                kernelVirtualAddresses, value);
    }

    /** A copy with a progress receiver. */
    public DumpWriteOptions withProgress(WriteProgress value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, machine, value,
                kernelVirtualAddresses, decodeThreads);
    }
}
