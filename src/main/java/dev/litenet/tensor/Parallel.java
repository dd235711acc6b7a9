package dev.litenet.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * One small thread pool for every kernel. {@link #range} splits {@code [0, n)} into contiguous chunks and runs
 * them on the pool; with one thread (or little work) it runs inline, so small layers pay no scheduling cost.
 * Called from inside a task it also runs inline: a batch split across threads runs each image's kernels serially.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool = newPool(Runtime.getRuntime().availableProcessors());
    private Parallel() {}

    @FunctionalInterface
    public interface Body { void run(int from, int to); }

    /** Sets the number of threads kernels use (default: available cores). */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == pool.getParallelism()) return;
        ForkJoinPool old = pool;
        pool = newPool(threads);
        old.shutdown();
    }

    public static int threads() { return pool.getParallelism(); }

    /** Runs body over [0, n) in up to threads() chunks; {@code grain} is the least work worth a chunk. */
    public static void range(int n, int grain, Body body) {
        int chunks = Math.min(threads(), Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {             // nested inside a task: run inline
            body.run(0, n);
            return;
        }
        pool.invoke(new Chunks(body, n, chunks, 0, chunks));
    }

    /** Runs body over [0, n) with one index per task unit. */
    public static void range(int n, Body body) { range(n, 1, body); }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setDaemon(true);
            t.setName("litenet-" + t.getPoolIndex());
            return t;
        }, null, false);
    }

    private static final class Chunks extends RecursiveAction {
        private final Body body;
        private final int n, chunks, lo, hi;

        Chunks(Body body, int n, int chunks, int lo, int hi) {
            this.body = body; this.n = n; this.chunks = chunks; this.lo = lo; this.hi = hi;
        }

        @Override protected void compute() {
            if (hi - lo == 1) {
                body.run((int) ((long) n * lo / chunks), (int) ((long) n * hi / chunks));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Chunks(body, n, chunks, lo, mid), new Chunks(body, n, chunks, mid, hi));
        }
    }
}
