package org.kdump4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kdump4j.boot.BootParseException;
import org.kdump4j.boot.Iomem;
import org.kdump4j.memory.MemoryRange;

/** The System RAM ranges of a {@code /proc/iomem} text, for raw oldmem images. */
final class IomemRanges {
    private IomemRanges() {
    }

    static List<MemoryRange> systemRam(Path path) throws IOException {
        Iomem iomem;
        try {
            iomem = Iomem.parse(Files.readString(path, StandardCharsets.ISO_8859_1));
        } catch (BootParseException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
        if (iomem.addressesHidden()) {
            throw new IOException(path + ": every address is zero (the file was read without CAP_SYS_ADMIN); "
                    + "capture /proc/iomem as root");
        }
        return iomem.systemRam().stream().map(r -> MemoryRange.ofInclusive(r.start(), r.end())).toList();
    }
}
