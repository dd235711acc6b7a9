package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.util.Arrays;

/**
 * Batched inference one image at a time per thread: each thread runs the whole network on one image with serial
 * kernels, then takes the next. An image's activations (~50 MB for MobileNetV2 at 224, much of it in the few
 * largest layers) then stay in that core's caches and the process holds one image's activations per thread,
 * not the batch's. A single image runs with parallel kernels instead.
 * For inference twins only ({@link Layer#fused()}): nothing is recorded for backward.
 */
public final class Inference {
    private Inference() {}

    /** x (N, ...) -> net(x) (N, ...). */
    public static Tensor forward(Layer net, Tensor x) {
        int n = x.dim(0);
        if (n >= 4) Simd.batchComing();
        if (n < 2) return net.forward(x);
        int per = x.size() / n;
        int[] one = x.shape.clone();
        one[0] = 1;
        Tensor[] outs = new Tensor[n];
        Parallel.range(n, (from, to) -> {
            for (int i = from; i < to; i++) outs[i] = net.forward(new Tensor(Arrays.copyOfRange(x.data, i * per, (i + 1) * per), one));
        });
        int outPer = outs[0].size();
        int[] shape = outs[0].shape.clone();
        shape[0] = n;
        Tensor y = Tensor.zeros(shape);
        for (int i = 0; i < n; i++) System.arraycopy(outs[i].data, 0, y.data, i * outPer, outPer);
        return y;
    }
}
