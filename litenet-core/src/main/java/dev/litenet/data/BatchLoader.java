package dev.litenet.data;

import dev.litenet.BadInputException;
import dev.litenet.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Batches of decoded, transformed images from a list of samples. A small thread pool decodes and transforms the
 * images of the next batches while the caller works on the current one; at most {@code prefetch} batches are
 * prepared ahead. Randomness is keyed by (seed, epoch, sample), so shuffling and augmentation repeat exactly
 * whatever the thread timing. One consumer thread; close the loader to stop its threads.
 * <pre>{@code
 * try (var loader = new BatchLoader(split.train(), preprocess.augmented(), BatchLoader.Options.of(32).shuffled(7))) {
 *     for (Batch batch : loader.epoch(0)) { ... }
 * }
 * }</pre>
 */
public final class BatchLoader implements AutoCloseable {

    /**
     * How to batch: {@code batchSize} images per batch (the last may be smaller), shuffled per epoch or in list order,
     * {@code seed} for the order and the random transforms, {@code threads} decoding threads, {@code prefetch}
     * batches prepared ahead, what to do with bad files, and who hears about skipped ones.
     */
    public record Options(int batchSize, boolean shuffle, long seed, int threads, int prefetch,
                          BadImagePolicy badImages, Consumer<BadImage> onBadImage) {
        public Options {
            if (batchSize <= 0 || threads <= 0 || prefetch <= 0) {
                throw new IllegalArgumentException("batch size, threads and prefetch must be positive: " + batchSize + ", " + threads + ", " + prefetch);
            }
        }

        /** In list order, 2 threads, 2 batches ahead, bad files fail. */
        public static Options of(int batchSize) { return new Options(batchSize, false, 0, 2, 2, BadImagePolicy.FAIL, bad -> {}); }

        public Options shuffled(long seed) { return new Options(batchSize, true, seed, threads, prefetch, badImages, onBadImage); }

        /** The seed of the random transforms when the order is not shuffled. */
        public Options seed(long seed) { return new Options(batchSize, shuffle, seed, threads, prefetch, badImages, onBadImage); }

        public Options threads(int threads) { return new Options(batchSize, shuffle, seed, threads, prefetch, badImages, onBadImage); }

        public Options prefetch(int batches) { return new Options(batchSize, shuffle, seed, threads, batches, badImages, onBadImage); }

        /** Skip bad files and tell {@code onBadImage} about each (on the consumer's thread, in sample order). */
        public Options skipBadImages(Consumer<BadImage> onBadImage) {
            return new Options(batchSize, shuffle, seed, threads, prefetch, BadImagePolicy.SKIP, onBadImage);
        }
    }

    /** What a worker made of one sample. */
    private sealed interface Item {}
    private record Loaded(Sample sample, FloatImage image) implements Item {}
    private record Bad(BadImage image, BadInputException error) implements Item {}

    private final List<Sample> samples;
    private final Transform transform;
    private final Options options;
    private final ExecutorService pool;
    private final List<BadImage> badImages = new ArrayList<>();
    private EpochIterator current;
    private boolean closed;

    public BatchLoader(List<Sample> samples, Transform transform, Options options) {
        this.samples = List.copyOf(samples);
        this.transform = transform;
        this.options = options;
        this.pool = Executors.newFixedThreadPool(options.threads(), Thread.ofPlatform().daemon().name("litenet-decode-", 0).factory());
    }

    public int batchesPerEpoch() { return (samples.size() + options.batchSize() - 1) / options.batchSize(); }

    /** The bad files skipped so far, in the order they were met. */
    public List<BadImage> badImages() { return List.copyOf(badImages); }

    /** The batches of one epoch. Starting another iteration abandons the previous one. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> {
            if (closed) throw new IllegalStateException("batch loader is closed");
            if (current != null) current.cancel();
            current = new EpochIterator(epoch);
            return current;
        };
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        if (current != null) current.cancel();
        pool.shutdownNow();
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Item load(Sample sample, long seed) {
        try {
            FloatImage image = Pipeline.of(transform).apply(sample.path(), new SplittableRandom(seed));
            return new Loaded(sample, image);
        } catch (BadInputException e) {
            String prefix = BadInputException.printable(sample.path() + ": ");
            String reason = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            return new Bad(new BadImage(sample.path(), reason), e);
        }
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final long epochKey;
        private final int[] order;
        private final ArrayDeque<List<Future<Item>>> inFlight = new ArrayDeque<>();
        private int nextBatch;
        private Batch ready;

        EpochIterator(int epoch) {
            epochKey = mix64(mix64(options.seed()) + epoch);
            order = options.shuffle() ? Orders.shuffled(samples.size(), new SplittableRandom(epochKey)) : Orders.identity(samples.size());
        }

        @Override public boolean hasNext() {
            while (ready == null) {
                topUp();
                List<Future<Item>> next = inFlight.poll();
                if (next == null) return false;
                topUp();
                ready = assemble(next);
            }
            return true;
        }

        @Override public Batch next() {
            if (!hasNext()) throw new NoSuchElementException();
            Batch batch = ready;
            ready = null;
            return batch;
        }

        private void topUp() {
            if (closed) throw new IllegalStateException("batch loader is closed");
            while (inFlight.size() < options.prefetch() && nextBatch < batchesPerEpoch()) {
                int from = nextBatch++ * options.batchSize(), to = Math.min(order.length, from + options.batchSize());
                List<Future<Item>> futures = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    int index = order[i];
                    long seed = mix64(epochKey + mix64(index + 1L));
                    futures.add(pool.submit(() -> load(samples.get(index), seed)));
                }
                inFlight.add(futures);
            }
        }

        /** The loaded images of one batch in order, or null when every one was skipped. */
        private Batch assemble(List<Future<Item>> futures) {
            List<Loaded> loaded = new ArrayList<>(futures.size());
            for (Future<Item> future : futures) {
                switch (await(future, futures)) {
                    case Loaded l -> loaded.add(l);
                    case Bad b when options.badImages() == BadImagePolicy.FAIL -> {
                        cancel(futures);
                        throw b.error();
                    }
                    case Bad b -> {
                        badImages.add(b.image());
                        options.onBadImage().accept(b.image());
                    }
                }
            }
            if (loaded.isEmpty()) return null;
            FloatImage first = loaded.getFirst().image();
            int pixels = first.pixels().length;
            float[] data = new float[loaded.size() * pixels];
            int[] labels = new int[loaded.size()];
            List<Path> files = new ArrayList<>(loaded.size());
            for (int i = 0; i < loaded.size(); i++) {
                Loaded l = loaded.get(i);
                if (l.image().height() != first.height() || l.image().width() != first.width()) {
                    cancel(futures);
                    throw new IllegalStateException("the transform must give one image size per batch: " + first.height() + "x" + first.width()
                            + " for " + loaded.getFirst().sample().path() + ", " + l.image().height() + "x" + l.image().width() + " for " + l.sample().path());
                }
                System.arraycopy(l.image().pixels(), 0, data, i * pixels, pixels);
                labels[i] = l.sample().label();
                files.add(l.sample().path());
            }
            return new Batch(new Tensor(data, loaded.size(), first.height(), first.width(), 3), labels, files);
        }

        private Item await(Future<Item> future, List<Future<Item>> batch) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(batch);
                throw new CancellationException("interrupted while waiting for images");
            } catch (ExecutionException e) {
                cancel(batch);
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }

        /** Stops this epoch: drops the batches in flight and {@code assembling}, the batch being put together. */
        void cancel(List<Future<Item>> assembling) {
            for (Future<Item> f : assembling) f.cancel(false);
            cancel();
        }

        void cancel() {
            for (List<Future<Item>> batch : inFlight) for (Future<Item> f : batch) f.cancel(false);
            inFlight.clear();
            nextBatch = batchesPerEpoch();
        }
    }

    /** SplitMix64's finalizer: spreads seed, epoch and sample index into unrelated generator seeds. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
