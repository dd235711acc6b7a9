package dev.litenet.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One small set of threads for every kernel. {@link #range} splits {@code [0, n)} into contiguous chunks: the
 * calling thread runs the first, the workers the others. A forward pass calls a hundred kernels in a row, so
 * workers spin briefly for the next one before they sleep: handing over a chunk then costs well under a
 * microsecond instead of a thread wake-up. With one thread, little work, or from inside a chunk (a batch split
 * over threads runs each image's kernels serially) the body runs inline.
 */
public final class Parallel {
    private static final long SPIN_NANOS = 100_000;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static volatile Workers workers = new Workers(Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    @FunctionalInterface
    public interface Body { void run(int from, int to); }

    /** Sets the number of threads kernels use (default: available cores). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == threads()) return;
        Workers old = workers;
        workers = new Workers(threads);
        old.stop();
    }

    public static int threads() { return workers.size(); }

    /** Runs body over [0, n) in up to threads() chunks; {@code grain} is the least work worth a chunk. */
    public static void range(int n, int grain, Body body) {
        if (serial(n, grain)) {
            body.run(0, n);
            return;
        }
        workers.run(n, chunks(n, grain), body);
    }

    /** Runs body over [0, n) with one index per task unit. */
    public static void range(int n, Body body) { range(n, 1, body); }

    /**
     * Whether {@code range(n, grain, body)} would run the body inline on this thread (one thread, little work, or
     * inside a chunk). Hot kernels ask first and then call their loop directly: a lambda that captures its operands
     * is an object made per call, which only the parallel path needs.
     */
    public static boolean serial(int n, int grain) { return chunks(n, grain) <= 1 || INSIDE.get(); }

    private static int chunks(int n, int grain) { return Math.min(threads(), Math.max(1, n / Math.max(1, grain))); }

    /**
     * The call of {@link #range} in flight, one per set of workers and reused call after call (a call waits for
     * all its chunks, and calls on one set of workers take turns): chunk i covers [n·i/chunks, n·(i+1)/chunks).
     */
    private static final class Job {
        private Body body;
        private int n, chunks;
        private final AtomicInteger remaining = new AtomicInteger();
        private volatile Throwable error;

        void runChunk(int i) {
            try {
                body.run((int) ((long) n * i / chunks), (int) ((long) n * (i + 1) / chunks));
            } catch (Throwable t) {
                error = t;
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    private static final class Workers {
        private final Worker[] workers;
        private final Job job = new Job();

        Workers(int threads) {
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
        }

        int size() { return workers.length + 1; }

        synchronized void run(int n, int chunks, Body body) {
            job.body = body;
            job.n = n;
            job.chunks = chunks;
            job.error = null;
            job.remaining.set(chunks);
            for (int i = 1; i < chunks; i++) workers[i - 1].hand(job);
            INSIDE.set(true);
            try {
                job.runChunk(0);
            } finally {
                INSIDE.set(false);
            }
            for (long spins = 0; job.remaining.get() > 0; spins++) {
                if (spins < 10_000) Thread.onSpinWait(); else Thread.yield();
            }
            Throwable t = job.error;
            job.body = null;                                            // let the body's operands go
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }

        void stop() { for (Worker w : workers) w.quit(); }
    }

    private static final class Worker extends Thread {
        private final int chunk;
        private volatile Job job;
        private volatile boolean running = true;

        Worker(int chunk) {
            super("litenet-" + chunk);
            this.chunk = chunk;
            setDaemon(true);
        }

        void hand(Job j) {
            job = j;
            LockSupport.unpark(this);
        }

        void quit() {
            running = false;
            LockSupport.unpark(this);
        }

        @Override public void run() {
            INSIDE.set(true);
            long idleSince = System.nanoTime();
            while (running) {
                Job j = job;
                if (j != null) {
                    job = null;
                    j.runChunk(chunk);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
