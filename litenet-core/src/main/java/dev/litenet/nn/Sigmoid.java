package dev.litenet.nn;

import dev.litenet.tensor.Elementwise;

/**
 * The logistic function {@code 1 / (1 + e^−x)}, as torch's {@code nn.Sigmoid} (torchvision's EfficientNet
 * squeeze-and-excitation scales by it). Not in place, as torch's module; backward reads the output. Any shape.
 */
public final class Sigmoid extends Activation {
    public Sigmoid() { super(false, false); }

    /** v[from, to) = 1 / (1 + e^−v), in place; within a few ulp of torch (see {@link Elementwise#exp}). */
    public static void apply(float[] v, int from, int to) { Elementwise.sigmoid(v, from, to); }

    /** torch's {@code sigmoid_backward} from the output y: dy·(1 − y)·y. */
    static void gradient(float[] y, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = dy[i] * (1f - y[i]) * y[i];
    }

    @Override void activate(float[] v, int from, int to) { apply(v, from, to); }

    @Override void derivative(float[] y, float[] dy, float[] dx, int from, int to) { gradient(y, dy, dx, from, to); }

    @Override public String toString() { return "Sigmoid()"; }
}
