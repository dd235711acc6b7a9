package dev.litenet.nn;

import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * torch's {@code AdaptiveAvgPool2d(1)}: the mean of every channel over the image, kept as a 1×1 image (what
 * squeeze-and-excitation's {@code avgpool} and MobileNetV3's and EfficientNet's {@code avgpool} are; {@link
 * GlobalAvgPool} drops the two unit dimensions instead). in (N,H,W,C) -> out (N,1,1,C).
 */
public final class AdaptiveAvgPool2d extends Layer {
    private int h, w;

    @Override public Tensor forward(Tensor x) {
        h = x.dim(1);
        w = x.dim(2);
        Tensor y = recording ? Tensor.zeros(x.dim(0), 1, 1, x.dim(3)) : Scratch.uninitialized(x.dim(0), 1, 1, x.dim(3));
        Pool.globalAverage(x, y.data);
        return y;
    }

    /** dy (N,1,1,C) -> dx (N,H,W,C): every pixel receives dy / (H·W). */
    @Override public Tensor backward(Tensor dy) {
        return Pool.globalAverageBackward(dy.reshape(dy.dim(0), dy.dim(3)), h, w);
    }

    @Override public String toString() { return "AdaptiveAvgPool2d(output_size=1)"; }
}
