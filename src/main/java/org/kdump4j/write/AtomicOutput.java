package org.kdump4j.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a file so that the target name only ever shows a complete, durable file: the bytes go to a
 * temporary file in the target's directory ({@code .NAME.*.kdump4j-partial}, mode 0600 because dumps hold
 * secrets), which is forced to disk and then renamed onto the target. A failure deletes the temporary
 * file; a killed process leaves at most that hidden temporary file, never a partial file under the target
 * name. Without {@code overwrite} an existing target is never replaced, not even by a race: the final
 * step is a hard link, which fails if the name exists.
 */
public final class AtomicOutput {
    /** The suffix of temporary files, for cleanup tools. */
    public static final String PARTIAL_SUFFIX = ".kdump4j-partial";
    /** How often dirty data is handed to the disk while writing. */
    static final long FLUSH_INTERVAL_MS = 25;

    private AtomicOutput() {
    }

    /** Writes the file's contents into a channel positioned at 0. */
    @FunctionalInterface
    public interface Body {
        /** Writes everything; the channel is forced and closed by the caller. */
        void write(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically.
     *
     * @param target the file to create (or replace, with {@code overwrite})
     * @param overwrite whether an existing target may be replaced
     * @param body writes the contents
     * @throws OutputExistsException if the target exists and {@code overwrite} is false
     * @throws IOException if writing fails (the target is then untouched)
     */
    public static void write(Path target, boolean overwrite, Body body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        if (!overwrite && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputExistsException(target.toString());
        }
        if (Files.isDirectory(abs)) {
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory");
        }
        Path tmp = Files.createTempFile(dir, "." + name + ".", PARTIAL_SUFFIX);
        Thread cleanup = new Thread(() -> deleteQuietly(tmp), "kdump4j-partial-cleanup");
        boolean hooked = addHook(cleanup);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
                Thread flusher = startFlusher(ch, writing);
                try {
                    body.write(ch);
                } finally {
                    writing.set(false); // never interrupt it: an interrupt during I/O closes the channel
                    java.util.concurrent.locks.LockSupport.unpark(flusher);
                    join(flusher);
                }
                ch.force(true);
            }
            publish(tmp, abs, overwrite, target);
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException e) {
                    // shutting down: the hook runs and deletes nothing that matters
                }
            }
        }
    }

    /**
     * While the body writes, a virtual thread asks the kernel every {@value #FLUSH_INTERVAL_MS} ms to write
     * back what is dirty ({@code fdatasync}), so the disk works while the copy goes on and the final
     * {@code fsync} finds little left to do.
     */
    private static Thread startFlusher(FileChannel ch, java.util.concurrent.atomic.AtomicBoolean writing) {
        return Thread.ofVirtual().name("kdump4j-flush").start(() -> {
            try {
                while (true) {
                    java.util.concurrent.locks.LockSupport.parkNanos(FLUSH_INTERVAL_MS * 1_000_000L);
                    if (!writing.get()) {
                        return;
                    }
                    ch.force(false);
                }
            } catch (IOException e) {
                // the final force reports real errors
            }
        });
    }

    private static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void publish(Path tmp, Path abs, boolean overwrite, Path target) throws IOException {
        if (overwrite) {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.createLink(abs, tmp); // link(2): fails if the name exists, so nothing is ever replaced
        } catch (FileAlreadyExistsException e) {
            throw new OutputExistsException(target.toString());
        } catch (UnsupportedOperationException | IOException e) {
            // no hard links here (vfat, some network file systems): check, then rename
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputExistsException(target.toString());
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Files.delete(tmp);
    }

    private static boolean addHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false;
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the rename durable
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the data itself is already forced
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.getLogger(AtomicOutput.class.getName()).log(System.Logger.Level.WARNING,
                    "cannot delete temporary file {0}: {1}", p, e.getMessage());
        }
    }
}
