package org.kdump4j.elf;

import java.io.IOException;

/**
 * Produces a streamed segment's file bytes when {@link ElfCoreWriter} reaches it, so a dump of any size is
 * written with bounded memory.
 */
@FunctionalInterface
public interface SegmentSource {

    /**
     * Writes exactly the segment's {@code p_filesz} bytes, in order.
     *
     * @param out the destination, positioned at the segment's {@code p_offset}
     * @throws IOException if reading the source or writing fails
     */
    void writeTo(SegmentOutput out) throws IOException;
}
