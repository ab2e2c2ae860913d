package org.kdump4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteSourceTest {
    @TempDir
    Path dir;

    static Stream<Arguments> chunkPowersAndSizes() {
        return IntStream.of(2, 3, 5, 8, 11, 30).boxed()
                .flatMap(p -> IntStream.of(0, 1, 7, 64, 1000, 4099).mapToObj(s -> Arguments.of(p, s)));
    }

    private Path file(int size, long seed) throws IOException {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("f-" + size + "-" + seed);
        Files.write(p, b);
        return p;
    }

    @ParameterizedTest(name = "chunk 2^{0}, {1} bytes")
    @MethodSource("chunkPowersAndSizes")
    void mappedReadsEqualTheFileAtEveryChunkBoundary(int power, int size) throws IOException {
        Path p = file(size, power * 31L + size);
        byte[] oracle = Files.readAllBytes(p);
        try (ByteSource mapped = ByteSource.open(p, new SourceOptions(AccessMode.MAPPED, power));
                ByteSource positional = ByteSource.open(p, new SourceOptions(AccessMode.POSITIONAL, power))) {
            assertTrue(mapped.isMapped());
            assertFalse(positional.isMapped());
            for (ByteSource s : new ByteSource[] {mapped, positional}) {
                assertEquals(size, s.size());
                checkAgainstOracle(s, oracle);
            }
        }
    }

    private static void checkAgainstOracle(ByteSource s, byte[] oracle) throws IOException {
        ByteBuffer le = ByteBuffer.wrap(oracle).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer be = ByteBuffer.wrap(oracle).order(ByteOrder.BIG_ENDIAN);
        for (int off = 0; off < oracle.length; off++) {
            assertEquals(oracle[off], s.getByte(off), "byte at " + off);
            if (off + 2 <= oracle.length) {
                assertEquals(le.getShort(off), s.getShort(off, ByteOrder.LITTLE_ENDIAN));
                assertEquals(be.getShort(off), s.getShort(off, ByteOrder.BIG_ENDIAN));
            }
            if (off + 4 <= oracle.length) {
                assertEquals(le.getInt(off), s.getInt(off, ByteOrder.LITTLE_ENDIAN));
                assertEquals(be.getInt(off), s.getInt(off, ByteOrder.BIG_ENDIAN));
            }
            if (off + 8 <= oracle.length) {
                assertEquals(le.getLong(off), s.getLong(off, ByteOrder.LITTLE_ENDIAN), "long at " + off);
                assertEquals(be.getLong(off), s.getLong(off, ByteOrder.BIG_ENDIAN));
            }
        }
        Random r = new Random(oracle.length);
        for (int i = 0; i < 200 && oracle.length > 0; i++) {
            int off = r.nextInt(oracle.length);
            int len = r.nextInt(oracle.length - off + 1);
            byte[] expected = java.util.Arrays.copyOfRange(oracle, off, off + len);
            assertArrayEquals(expected, s.readBytes(off, len));
            MemorySegment slice = s.slice(off, len);
            assertArrayEquals(expected, slice.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            MemorySegment dst = MemorySegment.ofArray(new byte[len + 3]);
            s.read(off, dst, 3, len);
            assertArrayEquals(expected, dst.asSlice(3).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void readsPastTheEndAreTruncationErrorsNamingTheFileAndOffset() throws IOException {
        Path p = file(100, 1);
        for (AccessMode mode : new AccessMode[] {AccessMode.MAPPED, AccessMode.POSITIONAL}) {
            try (ByteSource s = ByteSource.open(p, new SourceOptions(mode, 4))) {
                TruncatedDumpException e = assertThrows(TruncatedDumpException.class, () -> s.getLong(96,
                        ByteOrder.LITTLE_ENDIAN));
                assertEquals(96, e.offset());
                assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
                assertTrue(e.getMessage().contains("0x60"), e.getMessage());
                assertThrows(TruncatedDumpException.class, () -> s.readBytes(100, 1));
                assertThrows(TruncatedDumpException.class, () -> s.readBytes(Long.MAX_VALUE, 1));
                assertEquals(0, s.readBytes(100, 0).length);
            }
        }
    }

    @Test
    void negativeOffsetsAreCallerMistakes() throws IOException {
        try (ByteSource s = ByteSource.of("mem", new byte[16])) {
            assertThrows(IllegalArgumentException.class, () -> s.getByte(-1));
            assertThrows(IllegalArgumentException.class, () -> s.readBytes(0, -1));
        }
    }

    @Test
    void everyKindOfSourceRefusesReadsAfterClose() throws IOException {
        Path p = file(64, 2);
        ByteSource[] sources = {ByteSource.open(p, new SourceOptions(AccessMode.MAPPED, 4)),
            ByteSource.open(p, new SourceOptions(AccessMode.POSITIONAL, 4)), ByteSource.of("array", new byte[64])};
        for (ByteSource s : sources) {
            MemorySegment view = s.slice(0, 8);
            s.close();
            s.close(); // idempotent
            SourceClosedException e = assertThrows(SourceClosedException.class, () -> s.getInt(0,
                    ByteOrder.LITTLE_ENDIAN), s.toString());
            assertTrue(e.getMessage().contains("closed"));
            assertThrows(SourceClosedException.class, () -> s.readBytes(0, 8), s.toString());
            if (s.isMapped()) {
                assertThrows(IllegalStateException.class, () -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            }
        }
    }

    @Test
    void autoModeMapsRegularFilesAndReadsDevicesPositionally() throws IOException {
        Path p = file(10, 3);
        try (ByteSource s = ByteSource.open(p)) {
            assertTrue(s.isMapped());
        }
        Path zero = Path.of("/dev/zero");
        if (Files.isReadable(zero)) {
            try (ByteSource s = ByteSource.open(zero)) {
                assertFalse(s.isMapped());
                assertEquals(Long.MAX_VALUE, s.size(), "size of a device is unknown");
                assertArrayEquals(new byte[4096], s.readBytes(1L << 40, 4096));
            }
        }
    }

    @Test
    void emptyFilesOpenAndHaveNoBytes() throws IOException {
        Path p = dir.resolve("empty");
        Files.write(p, new byte[0]);
        for (AccessMode mode : AccessMode.values()) {
            try (ByteSource s = ByteSource.open(p, SourceOptions.defaults().withMode(mode))) {
                assertEquals(0, s.size());
                assertThrows(TruncatedDumpException.class, () -> s.getByte(0));
            }
        }
    }

    static IntStream blockCacheSizes() {
        int b = ChannelFileSource.BLOCK;
        return IntStream.of(b - 1, b, b + 1, 2 * b + 7, (ChannelFileSource.SLOTS + 3) * b + 11);
    }

    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("blockCacheSizes")
    void positionalSmallReadsThroughTheBlockCacheEqualTheFile(int size) throws IOException {
        Path p = file(size, size);
        byte[] oracle = Files.readAllBytes(p);
        int b = ChannelFileSource.BLOCK;
        try (ByteSource s = ByteSource.open(p, SourceOptions.defaults().withMode(AccessMode.POSITIONAL))) {
            ByteBuffer le = ByteBuffer.wrap(oracle).order(ByteOrder.LITTLE_ENDIAN);
            // every typed read that touches a block boundary, and the last bytes of the file
            for (long edge = b; edge <= size + 8L; edge += b) {
                for (long off = Math.max(0, edge - 9); off < Math.min(size, edge + 9); off++) {
                    assertEquals(oracle[(int) off], s.getByte(off));
                    if (off + 8 <= size) {
                        assertEquals(le.getLong((int) off), s.getLong(off, ByteOrder.LITTLE_ENDIAN), "long at " + off);
                    } else {
                        long at = off;
                        assertThrows(TruncatedDumpException.class, () -> s.getLong(at, ByteOrder.LITTLE_ENDIAN));
                    }
                }
            }
            // random small reads in an order that evicts blocks, and reads of just under a block
            Random r = new Random(size);
            for (int i = 0; i < 2000; i++) {
                int len = i % 50 == 0 ? Math.min(size, b - 1) : r.nextInt(Math.min(size, 300) + 1);
                int off = r.nextInt(size - len + 1);
                assertArrayEquals(java.util.Arrays.copyOfRange(oracle, off, off + len), s.readBytes(off, len),
                        len + " bytes at " + off);
            }
        }
    }

    @Test
    void positionalSmallReadsAreSafeFromManyThreads() throws Exception {
        int size = (ChannelFileSource.SLOTS * 2 + 1) * ChannelFileSource.BLOCK + 5;
        Path p = file(size, 77);
        byte[] oracle = Files.readAllBytes(p);
        try (ByteSource s = ByteSource.open(p, SourceOptions.defaults().withMode(AccessMode.POSITIONAL))) {
            java.util.List<java.util.concurrent.Callable<Integer>> tasks = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                tasks.add(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int i = 0; i < 5000; i++) {
                        int len = r.nextInt(200);
                        int off = r.nextInt(size - len + 1);
                        if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(oracle, off, off + len),
                                s.readBytes(off, len))) {
                            throw new AssertionError(len + " bytes at " + off);
                        }
                        checked++;
                    }
                    return checked;
                });
            }
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                for (var f : pool.invokeAll(tasks)) {
                    assertEquals(5000, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void positionalReadsOfADeviceStopWhereItEnds() throws IOException {
        Path devNull = Path.of("/dev/null");
        if (!Files.isReadable(devNull)) {
            return; // no such device here
        }
        try (ByteSource s = ByteSource.open(devNull)) {
            assertFalse(s.isMapped());
            assertEquals(Long.MAX_VALUE, s.size(), "a device's size is unknown: read until it ends");
            for (int i = 0; i < 2; i++) { // an early end is not kept as a whole block
                TruncatedDumpException e = assertThrows(TruncatedDumpException.class, () -> s.readBytes(100, 8));
                assertTrue(e.getMessage().contains(devNull.toString()), e.getMessage());
                assertEquals(100, e.offset());
            }
            assertEquals(0, s.readBytes(5, 0).length);
        }
    }
}
