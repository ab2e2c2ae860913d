package org.kdump4j.write;

import java.util.Objects;
import java.util.Optional;
import org.kdump4j.elf.Machine;

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
 */
public record DumpWriteOptions(boolean overwrite, boolean excludeZeroPages, int minZeroRunPages, long dataAlignment,
        Optional<Machine> machine, WriteProgress progress) {

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
    }

    /** Do not overwrite, keep zero pages, page-aligned data, no progress. */
    public static DumpWriteOptions defaults() {
        return new DumpWriteOptions(false, false, DEFAULT_MIN_ZERO_RUN_PAGES, 4096, Optional.empty(), WriteProgress.NONE);
    }

    /** A copy that may replace an existing target. */
    public DumpWriteOptions withOverwrite(boolean value) {
        return new DumpWriteOptions(value, excludeZeroPages, minZeroRunPages, dataAlignment, machine, progress);
    }

    /** A copy that leaves zero pages out. */
    public DumpWriteOptions withExcludeZeroPages(boolean value) {
        return new DumpWriteOptions(overwrite, value, minZeroRunPages, dataAlignment, machine, progress);
    }

    /** A copy with another split threshold. */
    public DumpWriteOptions withMinZeroRunPages(int value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, value, dataAlignment, machine, progress);
    }

    /** A copy with another data alignment. */
    public DumpWriteOptions withDataAlignment(long value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, value, machine, progress);
    }

    /** A copy with a machine for raw images. */
    public DumpWriteOptions withMachine(Machine value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, Optional.of(value),
                progress);
    }

    /** A copy with a progress receiver. */
    public DumpWriteOptions withProgress(WriteProgress value) {
        return new DumpWriteOptions(overwrite, excludeZeroPages, minZeroRunPages, dataAlignment, machine, value);
    }
}
