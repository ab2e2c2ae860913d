package org.kdump4j.kernel;

import java.io.IOException;
import java.util.Objects;

/**
 * A kernel virtual address could not be turned into readable physical memory: it is not mapped, a
 * page-table page or the data page itself is not in the dump, or the address is outside the kernel's
 * address range. Names the virtual address, the page-table level where the walk stopped and the entry
 * found there, so a caller can tell a hole in the kernel's mappings from a hole in the dump.
 */
public final class TranslationException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a translation failed. */
    public enum Kind {
        /** The address is not a canonical kernel address for the paging mode (top bits wrong). */
        NOT_KERNEL_ADDRESS,
        /** A page-table entry on the way is not valid (present bit clear, or a reserved encoding). */
        NOT_MAPPED,
        /** A page-table page the walk needs is not in the dump (filtered out, or never captured). */
        TABLE_NOT_IN_DUMP,
        /** The address translates, but the physical page it maps is not in the dump. */
        PAGE_NOT_IN_DUMP,
        /** No way to translate at all: no page tables known and no {@code PT_LOAD} covers the address. */
        NO_TRANSLATION
    }

    private final Kind kind;
    private final long virtualAddress;
    private final String level;
    private final long entry;
    private final long entryAddress;

    /**
     * Creates the exception.
     *
     * @param source the dump's name
     * @param kind why it failed
     * @param virtualAddress the virtual address asked for
     * @param level the page-table level name where the walk stopped ({@code "PML4"}, {@code "L1"}, ...)
     *     or a description such as {@code "page"}; never null
     * @param entry the raw entry read at that level (0 when none was read)
     * @param entryAddress the physical address of that entry, or of the missing page (-1 when none)
     * @param cause the underlying failure, or null
     */
    public TranslationException(String source, Kind kind, long virtualAddress, String level, long entry,
            long entryAddress, Throwable cause) {
        super(message(source, kind, virtualAddress, level, entry, entryAddress), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.virtualAddress = virtualAddress;
        this.level = Objects.requireNonNull(level, "level");
        this.entry = entry;
        this.entryAddress = entryAddress;
    }

    private static String message(String source, Kind kind, long va, String level, long entry, long entryAddress) {
        String where = " (" + level + (entryAddress != -1 ? " entry at physical 0x" + Long.toHexString(entryAddress)
                : "") + (entry != 0 ? " = 0x" + Long.toHexString(entry) : "") + ")";
        String what = switch (kind) {
            case NOT_KERNEL_ADDRESS -> "is not a kernel address for this paging mode";
            case NOT_MAPPED -> "is not mapped" + where;
            case TABLE_NOT_IN_DUMP -> "cannot be translated: a page-table page is not in the dump" + where;
            case PAGE_NOT_IN_DUMP -> "maps to physical memory that is not in the dump" + where;
            case NO_TRANSLATION -> "cannot be translated: no page tables and no PT_LOAD virtual address cover it";
        };
        return source + ": virtual address 0x" + Long.toHexString(va) + " " + what;
    }

    /** Why the translation failed. */
    public Kind kind() {
        return kind;
    }

    /** The virtual address that failed. */
    public long virtualAddress() {
        return virtualAddress;
    }

    /** The page-table level (or stage) where the walk stopped. */
    public String level() {
        return level;
    }

    /** The raw entry found at that level (0 when none was read). */
    public long entry() {
        return entry;
    }

    /** The physical address of that entry or missing page, or -1. */
    public long entryAddress() {
        return entryAddress;
    }
}
