package dev.litenet;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asynchronous, dynamically batched prediction over one {@link ImageClassifier}, for services where many threads ask
 * for one image each (a web controller, a message consumer): each call decodes and preprocesses its image on the
 * calling thread, then queues it; one worker thread runs whatever has arrived within {@code maxDelay} of the oldest,
 * up to {@code maxBatch} images, as one forward pass. Batches of 8 to 32 give several times the throughput of one
 * image at a time, and every answer is exactly what {@link ImageClassifier#predict(Path, int)} gives.
 *
 * <p>Made by {@link ImageClassifier#async()}; thread-safe; close it to stop the worker (images already queued are
 * still answered). A full queue is a future failed with {@link RejectedExecutionException}; an image that cannot
 * be read, one failed with {@link BadInputException}.
 */
public final class AsyncClassifier implements AutoCloseable {
    /** Defaults: up to 32 images per forward pass, waiting at most 5 ms for batch-mates, 256 images queued. */
    public static final int DEFAULT_MAX_BATCH = 32, DEFAULT_CAPACITY = 256;
    /** How long the oldest queued image waits for others by default. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(5);

    private record Ask(PreparedImage image, int k) {}

    private final ImageClassifier net;
    private final AtomicLong batches = new AtomicLong();
    private final Batcher<Ask, List<Prediction>> predictions;
    private final Batcher<PreparedImage, float[]> embeddings;

    AsyncClassifier(ImageClassifier net, int maxBatch, Duration maxDelay, int capacity) {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxBatch < 1 || maxBatch > ImageClassifier.MAX_BATCH_SIZE) {
            throw new BadInputException("maxBatch must be 1 to " + ImageClassifier.MAX_BATCH_SIZE + ", got " + maxBatch);
        }
        if (capacity < 1) throw new BadInputException("capacity must be at least 1, got " + capacity);
        if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new BadInputException("maxDelay must be 0 to 10 s, got " + maxDelay);
        }
        this.net = net;
        long delay = maxDelay.toNanos();
        this.predictions = new Batcher<>("litenet-async-predict", this::predictBatch, maxBatch, delay, capacity, n -> batches.incrementAndGet());
        this.embeddings = new Batcher<>("litenet-async-embed", images -> Arrays.asList(net.embedBatch(images)), maxBatch, delay,
                capacity, n -> batches.incrementAndGet());
    }

    /**
     * The top {@code k} classes of an image file, batched with other callers' images.
     *
     * @param image a JPEG, PNG, BMP or GIF file, decoded on the calling thread
     * @param k     how many classes, 1 to the number of classes
     * @return the predictions, most probable first, or a failed future (bad image, full queue, closed)
     */
    public CompletableFuture<List<Prediction>> predict(Path image, int k) {
        Objects.requireNonNull(image, "image");
        return prepared(() -> net.prepare(image), k);
    }

    /**
     * The top {@code k} classes of a decoded image, batched with other callers' images.
     *
     * @param image the image, preprocessed on the calling thread
     * @param k     how many classes, 1 to the number of classes
     * @return the predictions, most probable first, or a failed future (full queue, closed)
     */
    public CompletableFuture<List<Prediction>> predict(BufferedImage image, int k) {
        Objects.requireNonNull(image, "image");
        return prepared(() -> net.prepare("image", image), k);
    }

    /**
     * The top {@code k} classes of an image prepared by the same classifier.
     *
     * @param image the prepared image
     * @param k     how many classes, 1 to the number of classes
     * @return the predictions, most probable first, or a failed future (full queue, closed)
     */
    public CompletableFuture<List<Prediction>> predict(PreparedImage image, int k) {
        Objects.requireNonNull(image, "image");
        return prepared(() -> image, k);
    }

    /**
     * The backbone's features of an image prepared by the same classifier ({@link ImageClassifier#embed(Path)}).
     *
     * @param image the prepared image
     * @return {@link ImageClassifier#embeddingSize()} floats, or a failed future (full queue, closed)
     */
    public CompletableFuture<float[]> embed(PreparedImage image) {
        Objects.requireNonNull(image, "image");
        try {
            return embeddings.submit(image);
        } catch (RejectedExecutionException | IllegalStateException e) {
            return CompletableFuture.failedFuture(e instanceof IllegalStateException ? new RejectedExecutionException("closed", e) : e);
        }
    }

    /**
     * Images queued whose forward pass has not started.
     *
     * @return images queued whose forward pass has not started
     */
    public int queued() { return predictions.queued() + embeddings.queued(); }

    /**
     * Forward passes run so far, each one a batch of one or more images.
     *
     * @return forward passes run so far
     */
    public long batches() { return batches.get(); }

    /** Refuses new images, answers the queued ones, and stops the worker threads. */
    @Override public void close() {
        predictions.close();
        embeddings.close();
    }

    private interface Preparation { PreparedImage get(); }

    private CompletableFuture<List<Prediction>> prepared(Preparation preparation, int k) {
        net.checkTop(k);
        PreparedImage image;
        try {
            image = preparation.get();
        } catch (BadInputException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            return predictions.submit(new Ask(image, k));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IllegalStateException closed) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("closed", closed));
        }
    }

    /** One forward pass for the batch, then each caller's own top k. */
    private List<List<Prediction>> predictBatch(List<Ask> asks) {
        int k = asks.stream().mapToInt(Ask::k).max().orElse(1);
        List<List<Prediction>> tops = net.predictBatch(asks.stream().map(Ask::image).toList(), k);
        List<List<Prediction>> out = new ArrayList<>(asks.size());
        for (int i = 0; i < asks.size(); i++) out.add(List.copyOf(tops.get(i).subList(0, asks.get(i).k())));
        return out;
    }
}
