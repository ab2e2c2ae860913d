package org.kdump4j.kernel;

import java.io.IOException;

/**
 * One architecture's kernel page-table walk from a fixed root. Every walk visits at most one entry per
 * level, and the number of levels is fixed when the walker is built, so a corrupt table (an entry that
 * points back at a table already visited) can never make a walk loop.
 */
sealed interface PageTables permits X86_64PageTables, Aarch64PageTables {

    /**
     * The result of one walk.
     *
     * @param physicalAddress where the virtual address lives
     * @param mappingSize the size of the page or block that maps it (a power of two)
     */
    record Walk(long physicalAddress, long mappingSize) {
    }

    /**
     * Translates a kernel virtual address through the page tables.
     *
     * @throws TranslationException if it is not mapped or a table page is not in the dump
     * @throws IOException if the dump cannot be read
     */
    Walk walk(long va) throws IOException;

    /** The physical address of the root table. */
    long root();

    /** A short description, e.g. {@code "x86_64 4-level paging"}. */
    String describe();

    /** The size of a table page (the translation granule). */
    int granule();

    /**
     * The span of virtual addresses one entry covers at the named level ({@link TranslationException#level()}
     * of a failed walk), so a scan can step over a whole unmapped entry; the granule for a name that is no
     * level of this walker.
     */
    long entrySpan(String level);
}
