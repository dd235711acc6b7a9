package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;

import java.util.Arrays;

/**
 * Batched inference with one image (or a few) per thread: each thread runs the whole network on its share of
 * the batch with serial kernels, which keeps each image's activations in that core's cache and needs no
 * synchronisation between layers. A batch smaller than the thread count runs as one, with parallel kernels.
 * For inference twins only ({@link Layer#fused()}): nothing is recorded for backward.
 */
public final class Inference {
    private Inference() {}

    /** x (N, ...) -> net(x) (N, ...), the batch split over the thread pool. */
    public static Tensor forward(Layer net, Tensor x) {
        int n = x.dim(0), threads = Parallel.threads();
        if (n < 2 || threads < 2) return net.forward(x);
        int per = x.size() / n;
        Tensor[] parts = new Tensor[threads];
        int[] starts = new int[threads];
        Parallel.range(threads, (from, to) -> {
            for (int t = from; t < to; t++) {
                int lo = (int) ((long) n * t / threads), hi = (int) ((long) n * (t + 1) / threads);
                starts[t] = lo;
                if (hi == lo) continue;
                int[] shape = x.shape.clone();
                shape[0] = hi - lo;
                parts[t] = net.forward(new Tensor(Arrays.copyOfRange(x.data, lo * per, hi * per), shape));
            }
        });
        Tensor first = null;
        for (Tensor p : parts) if (p != null) { first = p; break; }
        int outPer = first.size() / first.dim(0);
        int[] outShape = first.shape.clone();
        outShape[0] = n;
        Tensor y = Tensor.zeros(outShape);
        for (int t = 0; t < threads; t++) {
            if (parts[t] != null) System.arraycopy(parts[t].data, 0, y.data, starts[t] * outPer, parts[t].size());
        }
        return y;
    }
}
