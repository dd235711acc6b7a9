package dev.litenet.eval;

import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inference time of one forward pass, measured: warm-up runs (the JIT compiles the kernels), then timed runs
 * until both a least count and a least total time are reached; the median run divided by the batch size.
 *
 * @param msPerImage median milliseconds of one forward divided by the batch size
 * @param batch      images per forward
 * @param runs       timed runs
 */
public record Latency(double msPerImage, int batch, int runs) {
    /**
     * The model (in eval mode, not recording) on {@code input} (N, ...): a warm-up of at least 100 runs and
     * minSeconds (HotSpot compiles the kernels over the first hundred or so), then at least minRuns and minSeconds.
     */
    public static Latency measure(Layer model, Tensor input, int minRuns, double minSeconds) {
        model.train(false);
        model.setRecording(false);
        timeRuns(model, input, Math.max(100, minRuns), minSeconds);                 // warm-up
        List<Long> runs = timeRuns(model, input, minRuns, minSeconds);
        Collections.sort(runs);
        long median = runs.get(runs.size() / 2);
        return new Latency(median / 1e6 / input.dim(0), input.dim(0), runs.size());
    }

    private static List<Long> timeRuns(Layer model, Tensor input, int minRuns, double minSeconds) {
        List<Long> times = new ArrayList<>();
        long total = 0, budget = (long) (minSeconds * 1e9);
        while (times.size() < minRuns || total < budget) {
            long start = System.nanoTime();
            model.forward(input);
            long t = System.nanoTime() - start;
            times.add(t);
            total += t;
        }
        return times;
    }
}
