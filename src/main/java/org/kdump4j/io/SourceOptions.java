package org.kdump4j.io;

/**
 * How to open a file as a {@link ByteSource}.
 *
 * @param mode mapped, positional or automatic
 * @param chunkSizePower log2 of the mapping chunk size (2..62); the default 30 maps 1 GiB chunks.
 *     Small values exist so tests run every chunk-boundary path on small files.
 */
public record SourceOptions(AccessMode mode, int chunkSizePower) {
    /** The default chunk size power: 1 GiB chunks. */
    public static final int DEFAULT_CHUNK_SIZE_POWER = 30;

    /** Validates the options. */
    public SourceOptions {
        java.util.Objects.requireNonNull(mode, "mode");
        if (chunkSizePower < 2 || chunkSizePower > 62) {
            throw new IllegalArgumentException("chunkSizePower must be in 2..62: " + chunkSizePower);
        }
    }

    /** Automatic mode with 1 GiB chunks. */
    public static SourceOptions defaults() {
        return new SourceOptions(AccessMode.AUTO, DEFAULT_CHUNK_SIZE_POWER);
    }

    /** A copy with another access mode. */
    public SourceOptions withMode(AccessMode newMode) {
        return new SourceOptions(newMode, chunkSizePower);
    }

    /** A copy with another chunk size power. */
    public SourceOptions withChunkSizePower(int power) {
        return new SourceOptions(mode, power);
    }
}
