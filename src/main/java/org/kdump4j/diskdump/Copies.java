package org.kdump4j.diskdump;

/** The back-reference copy every LZ decoder here shares. */
final class Copies {
    private static final int SHORT = 16;

    private Copies() {
    }

    /**
     * Copies {@code length} bytes from {@code op - distance} to {@code op} within {@code out}, where the
     * source may overlap the destination (the pattern of the last {@code distance} bytes repeats). The
     * caller has checked both ranges.
     */
    static void match(byte[] out, int op, int distance, int length) {
        int from = op - distance;
        if (distance >= length) {
            System.arraycopy(out, from, out, op, length);
        } else if (length <= SHORT) {
            for (int k = 0; k < length; k++) {
                out[op + k] = out[from + k];
            }
        } else {
            // the period is distance: copy whole periods, doubling, each copy disjoint from its source
            int o = op;
            int rem = length;
            while (rem > 0) {
                int chunk = Math.min(rem, o - from);
                System.arraycopy(out, from, out, o, chunk);
                o += chunk;
                rem -= chunk;
            }
        }
    }
}
