package org.kdump4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many threads read a {@link ByteSource} (every read method, values crossing chunk boundaries) while
 * another thread closes it. Each read must either return exactly the oracle's bytes or throw
 * {@link SourceClosedException}; once {@code close()} has returned, every read must throw it. Anything
 * else (another exception, wrong bytes, a JVM crash) fails.
 *
 * <p>A zero-copy {@link ByteSource#slice} of a mapped source becomes inaccessible when the source is
 * closed, as documented: reading such a view after the close throws {@link IllegalStateException} from
 * the JDK, which is accepted for view accesses only.
 */
class ConcurrentCloseTest {
    private static final int SIZE = 96 * 1024 + 13;
    /** 4-byte chunks cost one mapping each: a smaller file keeps each open fast. */
    private static final int SMALL_SIZE = 6 * 1024 + 13;
    private static final int READERS = 4;
    /** Wall time per source kind; six kinds keep the class well under 20 s. */
    private static final long NANOS_PER_KIND = 2_000_000_000L;

    @TempDir
    static Path dir;
    static Path file;
    static Path smallFile;
    static byte[] oracle;
    static byte[] smallOracle;

    @BeforeAll
    static void writeFile() throws IOException {
        oracle = new byte[SIZE];
        new SplittableRandom(42).nextBytes(oracle);
        file = dir.resolve("concurrent.bin");
        Files.write(file, oracle);
        smallOracle = java.util.Arrays.copyOf(oracle, SMALL_SIZE);
        smallFile = dir.resolve("concurrent-small.bin");
        Files.write(smallFile, smallOracle);
    }

    private static byte[] oracleOf(String kind) {
        return kind.equals("mapped-chunk-4") ? smallOracle : oracle;
    }

    private static ByteSource open(String kind) throws IOException {
        return switch (kind) {
            case "mapped-chunk-4" -> ByteSource.open(smallFile, new SourceOptions(AccessMode.MAPPED, 2));
            case "mapped-chunk-64" -> ByteSource.open(file, new SourceOptions(AccessMode.MAPPED, 6));
            case "mapped-chunk-4k" -> ByteSource.open(file, new SourceOptions(AccessMode.MAPPED, 12));
            case "mapped-one-chunk" -> ByteSource.open(file, new SourceOptions(AccessMode.MAPPED, 30));
            case "positional" -> ByteSource.open(file, SourceOptions.defaults().withMode(AccessMode.POSITIONAL));
            case "array" -> ByteSource.of(file.toString(), oracle.clone());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Counters over all iterations of one kind. */
    private static final class Stats {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong closed = new AtomicLong();
        final AtomicLong viewClosed = new AtomicLong();
        final AtomicLong racedIterations = new AtomicLong();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mapped-chunk-4", "mapped-chunk-64", "mapped-chunk-4k", "mapped-one-chunk", "positional",
        "array"})
    void readsRacingWithCloseGiveCorrectBytesOrSourceClosed(String kind) throws Exception {
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Stats stats = new Stats();
        SplittableRandom seeds = new SplittableRandom(kind.hashCode());
        long deadline = System.nanoTime() + NANOS_PER_KIND;
        int iterations = 0;
        while (iterations < 20 || System.nanoTime() < deadline) {
            iterations++;
            runOnce(kind, seeds.split(), failures, stats);
            if (!failures.isEmpty() || iterations > 5000) {
                break;
            }
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(kind + ": " + failures.size() + " bad read(s) in " + iterations
                    + " iterations; first: " + failures.peek(), failures.peek());
            failures.stream().skip(1).limit(5).forEach(e::addSuppressed);
            throw e;
        }
        System.out.printf("%s: %d iterations, %d reads ok, %d SourceClosedException, %d dead views, %d raced%n",
                kind, iterations, stats.ok.get(), stats.closed.get(), stats.viewClosed.get(),
                stats.racedIterations.get());
        assertTrue(stats.ok.get() > 0 && stats.closed.get() > 0, kind + ": no race exercised");
        assertTrue(stats.racedIterations.get() > 0, kind + ": close never landed between successful reads");
    }

    private static void runOnce(String kind, SplittableRandom rnd, Queue<Throwable> failures, Stats stats)
            throws Exception {
        ByteSource src = open(kind);
        byte[] expected = oracleOf(kind);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong closeDone = new AtomicLong(0); // System.nanoTime() after close() returned, 0 before
        List<Thread> readers = new ArrayList<>();
        long[] okBefore = new long[READERS];
        long[] closedSeen = new long[READERS];
        for (int t = 0; t < READERS; t++) {
            SplittableRandom r = rnd.split();
            int id = t;
            Thread th = Thread.ofPlatform().name(kind + "-reader-" + t).start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                int afterClose = 0;
                while (afterClose < 20) {
                    boolean closedBefore = closeDone.get() != 0;
                    Outcome o;
                    try {
                        o = readOnce(src, expected, r);
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    }
                    switch (o) {
                        case OK -> {
                            if (closedBefore) {
                                failures.add(new AssertionError(kind + ": a read that started after close() "
                                        + "returned succeeded"));
                                return;
                            }
                            okBefore[id]++;
                            stats.ok.incrementAndGet();
                        }
                        case CLOSED -> {
                            closedSeen[id]++;
                            stats.closed.incrementAndGet();
                        }
                        case VIEW_CLOSED -> {
                            if (closedBefore) {
                                failures.add(new AssertionError(kind + ": slice() succeeded after close()"));
                                return;
                            }
                            stats.viewClosed.incrementAndGet();
                        }
                        default -> throw new AssertionError(o);
                    }
                    if (closedBefore) {
                        afterClose++;
                    }
                }
            });
            readers.add(th);
        }
        start.countDown();
        // let the readers get going, then close from this thread
        long delay = rnd.nextLong(0, 400_000);
        LockSupport.parkNanos(delay);
        src.close();
        closeDone.set(System.nanoTime());
        src.close(); // idempotent
        for (Thread th : readers) {
            th.join(10_000);
            if (th.isAlive()) {
                failures.add(new AssertionError(th.getName() + " hangs after close"));
            }
        }
        boolean raced = false;
        for (int t = 0; t < READERS; t++) {
            raced |= okBefore[t] > 0 && closedSeen[t] > 0;
        }
        if (raced) {
            stats.racedIterations.incrementAndGet();
        }
    }

    private enum Outcome { OK, CLOSED, VIEW_CLOSED }

    /** One random read checked against the oracle. */
    private static Outcome readOnce(ByteSource src, byte[] oracle, SplittableRandom r) throws IOException {
        int size = oracle.length;
        ByteOrder order = r.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer o = ByteBuffer.wrap(oracle).order(order);
        try {
            switch (r.nextInt(8)) {
                case 0 -> {
                    int at = r.nextInt(size);
                    assertEquals(oracle[at], src.getByte(at));
                }
                case 1 -> {
                    int at = r.nextInt(size - 1);
                    assertEquals(o.getShort(at), src.getShort(at, order), "getShort at " + at);
                }
                case 2 -> {
                    int at = r.nextInt(size - 3);
                    assertEquals(o.getInt(at), src.getInt(at, order), "getInt at " + at);
                }
                case 3 -> {
                    int at = r.nextInt(size - 7);
                    assertEquals(o.getLong(at), src.getLong(at, order), "getLong at " + at);
                }
                case 4 -> {
                    int len = r.nextInt(1, Math.min(9000, size / 2));
                    int at = r.nextInt(size - len);
                    byte[] b = new byte[len + 2];
                    src.read(at, b, 1, len);
                    assertArrayEquals(java.util.Arrays.copyOfRange(oracle, at, at + len),
                            java.util.Arrays.copyOfRange(b, 1, len + 1), "read(byte[]) at " + at);
                    assertEquals(0, b[0]);
                    assertEquals(0, b[len + 1]);
                }
                case 5 -> {
                    int len = r.nextInt(1, Math.min(9000, size / 2));
                    int at = r.nextInt(size - len);
                    MemorySegment dst = MemorySegment.ofArray(new byte[len]);
                    src.read(at, dst, 0, len);
                    assertArrayEquals(java.util.Arrays.copyOfRange(oracle, at, at + len),
                            dst.toArray(ValueLayout.JAVA_BYTE), "read(segment) at " + at);
                }
                case 6 -> {
                    int len = r.nextInt(1, 300);
                    int at = r.nextInt(size - len);
                    assertArrayEquals(java.util.Arrays.copyOfRange(oracle, at, at + len), src.readBytes(at, len));
                }
                default -> {
                    int len = r.nextInt(1, Math.min(5000, size / 2));
                    int at = r.nextInt(size - len);
                    MemorySegment view = src.slice(at, len);
                    assertEquals(len, view.byteSize());
                    try {
                        assertArrayEquals(java.util.Arrays.copyOfRange(oracle, at, at + len),
                                view.toArray(ValueLayout.JAVA_BYTE), "slice at " + at);
                    } catch (IllegalStateException e) {
                        if (!src.isMapped()) {
                            throw e; // copies never die
                        }
                        return Outcome.VIEW_CLOSED; // the documented fate of a zero-copy view
                    }
                }
            }
            return Outcome.OK;
        } catch (SourceClosedException e) {
            assertTrue(e.getMessage().startsWith(src.name() + ": "), e.getMessage());
            return Outcome.CLOSED;
        }
    }
}
