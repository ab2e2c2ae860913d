package org.kdump4j.diskdump;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.kdump4j.memory.PageVisitor;

/**
 * One walk over the pages of a {@link KdumpMemory} (its {@code forEachPage}, or a large read) whose pages
 * are decoded on the view's {@link KdumpMemory#decodeThreads} threads: the calling thread and workers. It
 * cuts the pages into batches of about 256 KiB, queues each for the workers, decodes the earliest
 * batches no worker has taken while it waits, and visits the batches in order as they complete, so the
 * visitor sees exactly what a one-thread walk shows it: the same pages, one at a time, in ascending order,
 * on the calling thread; a page that fails is reported when its turn comes, as zeros or as the same
 * exception.
 *
 * <p>The first walk in a JVM starts alone for a few batches (see {@link #warm}). Bounded: at most
 * {@code 2 × threads} batches are in flight, in one shared arena freed when the walk ends. The workers stop
 * at the next page once the walk ends early (an exception, the visitor's included), and the walk returns
 * only after every worker has stopped, so nothing writes to the freed batches.
 */
final class ParallelPageWalk {
    /** The bytes of decoded pages per batch (at least one page). */
    private static final int BATCH_BYTES = 256 * 1024;
    private static final AtomicInteger WALKS = new AtomicInteger();

    private final KdumpMemory memory;
    private final Bitmap visible;
    private final int threads;
    private final int pageSize;
    private final int shift;
    private final int batchPages;
    /** Range walks: the frames {@code [firstPfn, endPfn)}, every one of them; the first starts at {@code firstAddress}. */
    private final boolean range;
    private final long firstPfn;
    private final long endPfn;
    private final long firstAddress;
    private volatile boolean stop;
    /**
     * Set once a walk in this JVM has handed batches to workers. Until then a walk decodes its first
     * {@link #WARM_UP_BATCHES} batches on the calling thread alone: the JIT compiles the decoders meanwhile
     * instead of competing with workers that would run them interpreted (a one-shot CLI run on 2 cores was
     * otherwise slower with two threads than with one).
     */
    private static volatile boolean warm;
    private static final int WARM_UP_BATCHES = 32;

    /** How many walks on several threads this JVM has started (for tests of the plumbing above them). */
    static int walksStarted() {
        return WALKS.get();
    }

    /** Lets every later walk hand batches to workers from the first one on (for tests of small dumps). */
    static void skipWarmUp() {
        warm = true;
    }

    /** Marks a page of a range walk that this view does not show (the calling thread reports why). */
    private static final Throwable NOT_VISIBLE = new Throwable("not visible", null, false, false) {
    };

    /** A run of pages decoded by one worker: its own native buffer, and per page what the visitor gets. */
    private static final class Batch {
        /** The batch's native buffer, one slice per page, and read-only views of them. */
        final MemorySegment[] slots;
        final MemorySegment[] views;
        final long[] pfns;
        /** Per page: a slot, a view of the mapped file, or the zero page; {@code null} with an error. */
        final MemorySegment[] pages;
        /** Per page: why it failed. A failure that is not a {@link PageUnavailableException} ends the batch. */
        final Throwable[] errors;
        int count;
        /** Pages handled (the others were not, because the walk stopped or an error ended the batch). */
        int handled;
        /** Set by whichever thread decodes the batch (a worker, or the calling thread helping). */
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile CountDownLatch done;

        Batch(MemorySegment buffer, int pages, int pageSize) {
            this.slots = new MemorySegment[pages];
            this.views = new MemorySegment[pages];
            for (int i = 0; i < pages; i++) {
                slots[i] = buffer.asSlice((long) i * pageSize, pageSize);
                views[i] = slots[i].asReadOnly();
            }
            this.pfns = new long[pages];
            this.pages = new MemorySegment[pages];
            this.errors = new Throwable[pages];
        }
    }

    private ParallelPageWalk(KdumpMemory memory, Bitmap visible, boolean range, long firstPfn, long endPfn,
            long firstAddress) {
        this.memory = memory;
        this.visible = visible;
        this.threads = memory.decodeThreads();
        this.pageSize = memory.pageSize();
        this.shift = Integer.numberOfTrailingZeros(pageSize);
        this.batchPages = Math.max(1, BATCH_BYTES / pageSize);
        this.range = range;
        this.firstPfn = firstPfn;
        this.endPfn = endPfn;
        this.firstAddress = firstAddress;
    }

    /** A walk over the pages the view shows ({@link KdumpMemory#forEachPage}). */
    static ParallelPageWalk visiblePages(KdumpMemory memory, Bitmap visible) {
        return new ParallelPageWalk(memory, visible, false, 0, 0, 0);
    }

    /**
     * A walk over every frame of {@code [firstPfn, endPfn)} (a read of a span): a frame the view does not
     * show stops it with the error a one-thread read gives, reported at {@code firstAddress} for the first
     * frame and at the frame's start for the others.
     */
    static ParallelPageWalk frames(KdumpMemory memory, Bitmap visible, long firstPfn, long endPfn,
            long firstAddress) {
        return new ParallelPageWalk(memory, visible, true, firstPfn, endPfn, firstAddress);
    }

    /** Visits the walk's pages in ascending order on the calling thread. */
    void run(PageVisitor visitor) throws IOException {
        int walk = WALKS.incrementAndGet();
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "kdump4j-decode-" + walk + "-" + names.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try (Arena arena = Arena.ofShared()) {
            try {
                walk(visitor, pool, arena);
            } finally {
                stop = true;
                pool.shutdown();
                awaitTermination(pool);
            }
        }
    }

    private void walk(PageVisitor visitor, ExecutorService pool, Arena arena) throws IOException {
        MemorySegment zeros = arena.allocate(pageSize, 8).asReadOnly();
        ArrayDeque<Batch> free = new ArrayDeque<>();
        ArrayDeque<Batch> queued = new ArrayDeque<>();
        for (int i = 0; i < 2 * threads; i++) {
            free.add(new Batch(arena.allocate((long) batchPages * pageSize, 8), batchPages, pageSize));
        }
        long next = range ? (firstPfn < endPfn ? firstPfn : -1) : visible.nextSetBit(0);
        int serial = warm ? 0 : WARM_UP_BATCHES;
        while (true) {
            while (next >= 0 && !free.isEmpty()) {
                Batch b = free.poll();
                next = fill(b, next);
                // the latch before the claim flag: a worker task left over from the batch's previous use
                // that claims it now must count down this latch, and it reads the latch after its claim
                b.done = new CountDownLatch(1);
                b.claimed.set(false);
                queued.add(b);
                if (serial > 0) {
                    serial--;
                } else {
                    warm = true;
                    pool.execute(() -> decodeIfUnclaimed(b, zeros));
                }
            }
            Batch b = queued.peek();
            if (b == null) {
                return;
            }
            await(b, queued, zeros);
            queued.poll();
            deliver(b, visitor, zeros);
            free.add(b);
        }
    }

    /** Puts the walk's next pages from {@code pfn} on into the batch; returns the first one left, or -1. */
    private long fill(Batch b, long pfn) {
        int n = 0;
        if (range) {
            for (; pfn < endPfn && n < batchPages; pfn++) {
                b.pfns[n++] = pfn;
            }
            b.count = n;
            b.handled = 0;
            return pfn < endPfn ? pfn : -1;
        }
        while (pfn >= 0 && n < batchPages) {
            long runEnd = visible.nextClearBit(pfn);
            for (; pfn < runEnd && n < batchPages; pfn++) {
                b.pfns[n++] = pfn;
            }
            if (pfn == runEnd) {
                pfn = visible.nextSetBit(runEnd);
            }
        }
        b.count = n;
        b.handled = 0;
        return pfn;
    }

    /** Decodes the batch unless another thread already took it. */
    private void decodeIfUnclaimed(Batch b, MemorySegment zeros) {
        if (b.claimed.compareAndSet(false, true)) {
            try {
                decode(b, zeros);
            } finally {
                b.done.countDown();
            }
        }
    }

    /** Loads the batch's pages (as the one-thread walk does), recording failures. */
    private void decode(Batch b, MemorySegment zeros) {
        byte[] buf = new byte[pageSize];
        MemorySegment bufHeap = MemorySegment.ofArray(buf);
        int i = 0;
        try {
            for (; i < b.count && !stop; i++) {
                long pfn = b.pfns[i];
                b.errors[i] = null;
                if (range && !visible.get(pfn)) {
                    b.pages[i] = null;
                    b.errors[i] = NOT_VISIBLE;
                    continue;
                }
                try {
                    b.pages[i] = memory.walkPage(pfn, buf, bufHeap, b.slots[i], b.views[i], zeros);
                } catch (PageUnavailableException e) {
                    b.pages[i] = null;
                    b.errors[i] = e;
                }
            }
        } catch (Throwable t) { // reported at this page, in order, by the calling thread
            b.pages[i] = null;
            b.errors[i] = t;
            i++;
        }
        b.handled = i;
    }

    /**
     * Waits for the first queued batch {@code b}; meanwhile the calling thread decodes the earliest batches
     * no worker has taken yet (b itself first), so it is one of the {@code threads} decoding threads.
     */
    private void await(Batch b, ArrayDeque<Batch> queued, MemorySegment zeros) throws IOException {
        for (Batch h : queued) {
            if (b.done.getCount() == 0) {
                return;
            }
            decodeIfUnclaimed(h, zeros);
        }
        try {
            b.done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while reading the pages of "
                    + memory.name());
            io.initCause(e);
            throw io;
        }
    }

    /** Calling-thread side: visits the batch's pages, turning failures into zeros or exceptions in order. */
    private void deliver(Batch b, PageVisitor visitor, MemorySegment zeros) throws IOException {
        for (int i = 0; i < b.count; i++) {
            long pfn = b.pfns[i];
            if (i >= b.handled) {
                throw new IllegalStateException("page 0x" + Long.toHexString(pfn) + " of " + memory.name()
                        + " was not decoded");
            }
            MemorySegment seg = b.pages[i];
            Throwable t = b.errors[i];
            if (t != null) {
                long address = range && pfn == firstPfn ? firstAddress : pfn << shift;
                if (t == NOT_VISIBLE) {
                    throw memory.notPresent(pfn, address);
                }
                if (t instanceof PageUnavailableException e) {
                    memory.unavailable(e, address); // zeros if this view fills them, else it throws
                    seg = zeros;
                } else {
                    throw rethrow(t);
                }
            }
            visitor.visit(pfn, seg);
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException e) {
            return e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }

    /** Waits for every worker to finish, even when interrupted (the batches' arena is freed after this). */
    private static void awaitTermination(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
