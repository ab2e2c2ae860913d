package org.kdump4j.diskdump;

import java.util.ArrayList;
import java.util.List;

/**
 * makedumpfile's dump level ({@code -d}, {@code kdump_sub_header.dump_level}): a bit set of the page
 * kinds left out of the dump.
 *
 * @param value the raw level (0..31 for makedumpfile; QEMU writes 1)
 */
public record DumpLevel(int value) {
    private static final String[] BITS = {"zero pages", "non-private page cache", "private page cache",
        "user data", "free pages"};

    /** The page kinds the level excludes, in bit order; unknown bits print as {@code bit N}. */
    public List<String> excludedKinds() {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((value & (1 << bit)) != 0) {
                out.add(bit < BITS.length ? BITS[bit] : "bit " + bit);
            }
        }
        return List.copyOf(out);
    }

    /** e.g. {@code "31 (excludes zero pages, non-private page cache, ...)"} or {@code "0 (nothing excluded)"}. */
    public String describe() {
        List<String> kinds = excludedKinds();
        return value + (kinds.isEmpty() ? " (nothing excluded)" : " (excludes " + String.join(", ", kinds) + ")");
    }

    @Override
    public String toString() {
        return describe();
    }
}
