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
        int chunks = Math.min(threads(), Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        workers.run(n, chunks, body);
    }

    /** Runs body over [0, n) with one index per task unit. */
    public static void range(int n, Body body) { range(n, 1, body); }

    /** One call of {@link #range}: chunk i covers [n·i/chunks, n·(i+1)/chunks). */
    private record Job(Body body, int n, int chunks, AtomicInteger remaining, Throwable[] error) {
        void runChunk(int i) {
            try {
                body.run((int) ((long) n * i / chunks), (int) ((long) n * (i + 1) / chunks));
            } catch (Throwable t) {
                error[0] = t;
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    private static final class Workers {
        private final Worker[] workers;

        Workers(int threads) {
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
        }

        int size() { return workers.length + 1; }

        synchronized void run(int n, int chunks, Body body) {
            Job job = new Job(body, n, chunks, new AtomicInteger(chunks), new Throwable[1]);
            for (int i = 1; i < chunks; i++) workers[i - 1].hand(job);
            INSIDE.set(true);
            try {
                job.runChunk(0);
            } finally {
                INSIDE.set(false);
            }
            for (long spins = 0; job.remaining().get() > 0; spins++) {
                if (spins < 10_000) Thread.onSpinWait(); else Thread.yield();
            }
            Throwable t = job.error()[0];
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
