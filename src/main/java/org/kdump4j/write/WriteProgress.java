package org.kdump4j.write;

import java.io.IOException;

/** Receives progress of a dump write; throwing aborts the write (the target is left untouched). */
@FunctionalInterface
public interface WriteProgress {
    /** No progress reporting. */
    WriteProgress NONE = (phase, done, total) -> { };

    /** What is being done. */
    enum Phase {
        /** Reading the memory to find zero pages ({@code excludeZeroPages}). */
        SCAN,
        /** Writing the segments. */
        WRITE
    }

    /**
     * Called after each chunk.
     *
     * @param phase what is being done
     * @param done bytes done so far in this phase
     * @param total bytes of this phase
     * @throws IOException to abort
     */
    void update(Phase phase, long done, long total) throws IOException;
}
