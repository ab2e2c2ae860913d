package org.kdump4j.vmcore;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.kdump4j.io.SourceOptions;
import org.kdump4j.memory.MemoryRange;

/**
 * How to open a dump.
 *
 * @param source how to read the file (mapped or positional, chunk size)
 * @param pageSize the page size to use instead of the dump's own (VMCOREINFO {@code PAGESIZE}, else
 *     the architecture's default)
 * @param raw treat the file as a raw physical-memory image even if it looks like another format
 * @param rawRanges for raw images: the physical ranges the image holds (e.g. the System RAM lines of
 *     {@code /proc/iomem}); empty means the whole file
 * @param lenient read what is readable from a truncated or damaged dump instead of failing: memory past
 *     the end of the file is reported as not present, unreadable notes are skipped, and every such
 *     problem is listed in {@link Vmcore#warnings()}
 */
public record VmcoreOptions(SourceOptions source, OptionalInt pageSize, boolean raw, List<MemoryRange> rawRanges,
        boolean lenient) {

    /** Validates and copies. */
    public VmcoreOptions {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pageSize, "pageSize");
        rawRanges = List.copyOf(rawRanges);
        pageSize.ifPresent(p -> {
            if (p < 512 || Integer.bitCount(p) != 1) {
                throw new IllegalArgumentException("page size must be a power of two >= 512: " + p);
            }
        });
    }

    /** Detect the format, mapped access, page size from the dump. */
    public static VmcoreOptions defaults() {
        return new VmcoreOptions(SourceOptions.defaults(), OptionalInt.empty(), false, List.of(), false);
    }

    /** A copy with other source options. */
    public VmcoreOptions withSource(SourceOptions newSource) {
        return new VmcoreOptions(newSource, pageSize, raw, rawRanges, lenient);
    }

    /** A copy with a fixed page size. */
    public VmcoreOptions withPageSize(int newPageSize) {
        return new VmcoreOptions(source, OptionalInt.of(newPageSize), raw, rawRanges, lenient);
    }

    /** A copy that opens the file as a raw image holding the given ranges (all of the file if empty). */
    public VmcoreOptions withRaw(List<MemoryRange> ranges) {
        return new VmcoreOptions(source, pageSize, true, ranges, lenient);
    }

    /** A copy that reads what it can from truncated or damaged dumps (see {@link #lenient()}). */
    public VmcoreOptions withLenient(boolean newLenient) {
        return new VmcoreOptions(source, pageSize, raw, rawRanges, newLenient);
    }
}
