package dev.litenet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Dynamic batching, as Triton's and TorchServe's batchers do it (the machinery of {@link AsyncClassifier}, and of the
 * HTTP server's predict and embed routes): callers {@link #submit} one input each to a
 * bounded queue; one worker thread takes the oldest input, waits at most {@code maxDelay} from its arrival for
 * more, and runs up to {@code maxBatch} of them through the batch function at once. A full queue refuses at
 * once ({@link QueueFullException}) instead of growing. If the batch function throws, every input of that batch
 * gets the exception; the next batch runs as usual.
 *
 * @param <I> one input (a prepared image and what to do with it)
 * @param <O> its result
 */
public final class Batcher<I, O> implements AutoCloseable {
    /** The queue holds {@code capacity} inputs already; try again later. */
    public static final class QueueFullException extends RejectedExecutionException {
        QueueFullException(int capacity) { super("queue full (" + capacity + " requests waiting)"); }
    }

    private record Job<I, O>(I input, CompletableFuture<O> result, long arrivedNanos) {}

    private final Function<List<I>, List<O>> batchFunction;
    private final int maxBatch, capacity;
    private final long maxDelayNanos;
    private final IntConsumer onBatch;
    private final BlockingQueue<Job<I, O>> queue;
    private final Thread worker;
    private final AtomicInteger waiting = new AtomicInteger();   // submitted, batch not started yet
    private boolean closed;                               // guarded by this

    /**
     * Starts the worker thread.
     *
     * @param name          the worker thread's name
     * @param batchFunction inputs to results, one result per input in the same order
     * @param maxBatch      the most inputs per call, at least 1 (1 turns batching off)
     * @param maxDelayNanos how long the oldest input may wait for batch-mates
     * @param capacity      the most inputs waiting, at least 1
     * @param onBatch       told the size of every batch before it runs (for metrics)
     */
    public Batcher(String name, Function<List<I>, List<O>> batchFunction, int maxBatch, long maxDelayNanos, int capacity,
                   IntConsumer onBatch) {
        if (maxBatch < 1 || capacity < 1 || maxDelayNanos < 0) throw new IllegalArgumentException("maxBatch and capacity must be positive, maxDelay not negative");
        this.batchFunction = batchFunction;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelayNanos;
        this.capacity = capacity;
        this.onBatch = onBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    /**
     * Queues one input.
     *
     * @param input the input
     * @return its result, completed by the worker thread
     * @throws QueueFullException    when {@code capacity} inputs are waiting already
     * @throws IllegalStateException after {@link #close}
     */
    public CompletableFuture<O> submit(I input) {
        Job<I, O> job = new Job<>(input, new CompletableFuture<>(), System.nanoTime());
        synchronized (this) {
            if (closed) throw new IllegalStateException("shutting down");
            if (!queue.offer(job)) throw new QueueFullException(capacity);
            waiting.incrementAndGet();
        }
        return job.result();
    }

    /**
     * Inputs submitted whose batch has not started yet (queued, or gathered into the next batch).
     *
     * @return inputs submitted whose batch has not started yet
     */
    public int queued() { return waiting.get(); }

    /** Refuses new inputs, runs the ones already queued, and waits for the worker to finish them. */
    @Override public void close() {
        synchronized (this) { closed = true; }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized boolean finished() { return closed && queue.isEmpty(); }

    private void loop() {
        List<Job<I, O>> batch = new ArrayList<>(maxBatch);
        try {
            while (!finished()) {
                Job<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                long deadline = first.arrivedNanos() + maxDelayNanos;
                queue.drainTo(batch, maxBatch - batch.size());          // what piled up while the model was busy
                while (batch.size() < maxBatch) {
                    Job<I, O> next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) break;
                    batch.add(next);
                }
                run(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    private void run(List<Job<I, O>> batch) {
        waiting.addAndGet(-batch.size());
        try {
            onBatch.accept(batch.size());
            List<O> out = batchFunction.apply(batch.stream().map(Job::input).toList());
            if (out.size() != batch.size()) throw new IllegalStateException(out.size() + " results for " + batch.size() + " inputs");
            for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(out.get(i));
        } catch (RuntimeException | Error e) {
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }
}
