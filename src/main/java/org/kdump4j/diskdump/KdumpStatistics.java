package org.kdump4j.diskdump;

import java.util.Map;

/**
 * Page counts of a kdump-compressed dump, from its bitmaps and a scan of every descriptor (the data
 * itself is not decoded, so damaged data is counted as present).
 *
 * @param byStatus page frames below {@code max_mapnr} by status ({@link PageStatus#OUTSIDE} counts the
 *     frames that are neither RAM nor dumpable)
 * @param byCompression present pages by how they are stored
 * @param sharedZeroPages present pages that point at the shared zero page (counted under {@code NONE} too)
 * @param ramPages pages set in the 1st bitmap
 * @param dumpablePages pages set in the 2nd bitmap (pages with a descriptor)
 */
public record KdumpStatistics(Map<PageStatus, Long> byStatus, Map<Compression, Long> byCompression,
        long sharedZeroPages, long ramPages, long dumpablePages) {

    /** Copies the maps. */
    public KdumpStatistics {
        byStatus = Map.copyOf(byStatus);
        byCompression = Map.copyOf(byCompression);
    }

    /** The count for one status. */
    public long count(PageStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }
}
