package org.kdump4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kdump4j.memory.MemoryRange;

/** Test-side reading of top-level {@code System RAM} lines of a {@code /proc/iomem} text (an oracle, independent of the library). */
public final class Iomem {
    private Iomem() {
    }

    public static List<MemoryRange> systemRam(Path p) throws IOException {
        List<MemoryRange> l = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (!line.startsWith(" ") && line.endsWith(" : System RAM")) {
                String[] r = line.substring(0, line.indexOf(' ')).split("-");
                l.add(MemoryRange.ofInclusive(Long.parseUnsignedLong(r[0], 16), Long.parseUnsignedLong(r[1], 16)));
            }
        }
        return l;
    }
}
