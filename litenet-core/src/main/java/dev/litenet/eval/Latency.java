package dev.litenet.eval;

import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inference time of one forward pass as the library runs it ({@link Inference#forward}: a single image with
 * parallel kernels, a batch one image per thread), measured: a warm-up (the JIT compiles the kernels), then timed
 * runs until both a least count and a least total time are reached; the median run divided by the batch size.
 *
 * @param msPerImage median milliseconds of one forward divided by the batch size
 * @param batch      images per forward
 * @param threads    the kernels' threads while it was measured
 * @param runs       timed runs
 */
public record Latency(double msPerImage, int batch, int threads, int runs) {
    /**
     * Images the warm-up runs at least. HotSpot compiles a kernel after some hundred calls, and a forward calls
     * each of its kernels once per image, so a batch of 32 needs 4 warm-up runs where one image needs 100.
     */
    public static final int WARMUP_IMAGES = 100;

    /**
     * The model (an inference twin, {@link Layer#fused()}) on {@code input} (N, ...) with the kernels' current
     * threads: a warm-up of at least {@code minSeconds} and {@link #WARMUP_IMAGES} images (at least one run), then
     * timed runs, at least {@code minRuns} and {@code minSeconds}. The Vector API kernels are used from the first
     * run on ({@link Simd#skipScalarStart}), so the warm-up compiles them rather than the scalar start.
     *
     * @param minRuns    timed runs at least, 1 or more
     * @param minSeconds least time of the warm-up and least time of the timed runs; 0 for the least counts alone
     */
    public static Latency measure(Layer model, Tensor input, int minRuns, double minSeconds) {
        if (minRuns < 1) throw new IllegalArgumentException("minRuns must be at least 1, got " + minRuns);
        if (!(minSeconds >= 0)) throw new IllegalArgumentException("minSeconds must be at least 0, got " + minSeconds);
        model.train(false);
        model.setRecording(false);
        Simd.skipScalarStart();
        int batch = input.dim(0);
        timeRuns(model, input, warmupRuns(batch), minSeconds);
        List<Long> runs = timeRuns(model, input, minRuns, minSeconds);
        Collections.sort(runs);
        long median = runs.get(runs.size() / 2);
        return new Latency(median / 1e6 / batch, batch, Parallel.threads(), runs.size());
    }

    /** Warm-up runs at least for a batch of this size: {@link #WARMUP_IMAGES} images, rounded up to whole runs. */
    static int warmupRuns(int batch) { return Math.max(1, (WARMUP_IMAGES + batch - 1) / batch); }

    private static List<Long> timeRuns(Layer model, Tensor input, int minRuns, double minSeconds) {
        List<Long> times = new ArrayList<>();
        long total = 0, budget = (long) (minSeconds * 1e9);
        while (times.size() < minRuns || total < budget) {
            long start = System.nanoTime();
            Inference.forward(model, input);
            long t = System.nanoTime() - start;
            times.add(t);
            total += t;
        }
        return times;
    }
}
