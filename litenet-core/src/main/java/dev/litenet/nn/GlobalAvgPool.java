package dev.litenet.nn;

import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/** Global average pooling as a layer (used by fused inference models): (N,H,W,C) -> (N,C). */
public final class GlobalAvgPool extends Layer {
    private int h, w;

    @Override public Tensor forward(Tensor x) {
        h = x.dim(1);
        w = x.dim(2);
        if (recording) return Pool.globalAverage(x);
        Tensor y = Scratch.uninitialized(x.dim(0), x.dim(3));
        Pool.globalAverage(x, y.data);
        return y;
    }

    @Override public Tensor backward(Tensor dy) { return Pool.globalAverageBackward(dy, h, w); }
}
