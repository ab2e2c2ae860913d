package org.kdump4j.memory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Receives pages in ascending page-frame order from {@link PhysicalMemory#forEachPage}. */
@FunctionalInterface
public interface PageVisitor {
    /**
     * Visits one present page.
     *
     * @param pfn the page frame number ({@code address / pageSize})
     * @param page the page's bytes (exactly one page; valid only during the call)
     * @throws IOException to stop the walk with an error
     */
    void visit(long pfn, MemorySegment page) throws IOException;
}
