package org.kdump4j.io;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Chooses between mapping and positional reads when a file is opened. */
final class FileSources {
    private FileSources() {
    }

    static ByteSource open(Path path, SourceOptions options, String name) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        return switch (options.mode()) {
            case MAPPED -> MappedFileSource.map(path, options.chunkSizePower(), name);
            case POSITIONAL -> ChannelFileSource.open(path, name);
            case AUTO -> {
                if (Files.isRegularFile(path) && Files.size(path) > 0 && !path.toAbsolutePath().startsWith("/proc")) {
                    try {
                        yield MappedFileSource.map(path, options.chunkSizePower(), name);
                    } catch (IOException | UnsupportedOperationException e) {
                        System.getLogger(FileSources.class.getName()).log(Level.DEBUG,
                                "mapping {0} failed, using positional reads: {1}", path, e.getMessage());
                    }
                }
                yield ChannelFileSource.open(path, name);
            }
        };
    }
}
