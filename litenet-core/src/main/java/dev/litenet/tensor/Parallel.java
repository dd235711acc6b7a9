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

    /**
     * A kernel split over threads with its operands in a {@link Call} rather than captured: a static method or a
     * lambda that captures nothing, which Java makes once, not per call.
     */
    @FunctionalInterface
    public interface Kernel { void run(Call call, int from, int to); }

    /**
     * The operands of one split kernel call, in slots by type, one per thread and reused call after call: a lambda
     * capturing its operands is an object per call, and an inference pass on two threads makes a hundred such calls.
     * Take it with {@link #call}, fill the slots its kernel reads, hand it to {@link #range(int, int, Call)}, which
     * lets the operands go afterwards. A thread has at most one call in flight: the chunks of a call run their own
     * kernels serially.
     */
    public static final class Call implements Body {
        private static final ThreadLocal<Call> OF_THREAD = ThreadLocal.withInitial(Call::new);
        public Object o0, o1, o2, o3, o4;
        public int i0, i1, i2, i3;
        public float f0, f1;
        private Kernel kernel;

        private Call() {}

        public Call objects(Object o0, Object o1, Object o2, Object o3, Object o4) {
            this.o0 = o0;
            this.o1 = o1;
            this.o2 = o2;
            this.o3 = o3;
            this.o4 = o4;
            return this;
        }

        public Call ints(int i0, int i1, int i2, int i3) {
            this.i0 = i0;
            this.i1 = i1;
            this.i2 = i2;
            this.i3 = i3;
            return this;
        }

        public Call floats(float f0, float f1) {
            this.f0 = f0;
            this.f1 = f1;
            return this;
        }

        @Override public void run(int from, int to) { kernel.run(this, from, to); }
    }

    /** This thread's {@link Call}, for kernel k, its slots empty. */
    public static Call call(Kernel k) {
        Call c = Call.OF_THREAD.get();
        c.kernel = k;
        return c;
    }

    /** Runs the call's kernel over [0, n) in chunks of at least grain, as {@link #range(int, int, Body)}, then empties its slots. */
    public static void range(int n, int grain, Call call) {
        try {
            range(n, grain, (Body) call);
        } finally {
            call.objects(null, null, null, null, null);
            call.kernel = null;
        }
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
