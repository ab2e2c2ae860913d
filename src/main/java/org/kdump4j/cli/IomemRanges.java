package org.kdump4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kdump4j.memory.MemoryRange;

/** The System RAM ranges of a {@code /proc/iomem} text, for raw oldmem images. */
final class IomemRanges {
    private IomemRanges() {
    }

    static List<MemoryRange> systemRam(Path iomem) throws IOException {
        List<MemoryRange> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(iomem)) {
            lineNo++;
            if (line.startsWith(" ") || !line.contains(" : System RAM")) {
                continue;
            }
            int dash = line.indexOf('-');
            int colon = line.indexOf(" : ");
            try {
                long first = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long last = Long.parseUnsignedLong(line.substring(dash + 1, colon), 16);
                out.add(MemoryRange.ofInclusive(first, last));
            } catch (RuntimeException e) {
                throw new IOException(iomem + ":" + lineNo + ": not an iomem line: " + line);
            }
        }
        return out;
    }
}
