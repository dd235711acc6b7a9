package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/** max(x, 0), in place like torchvision's {@code ReLU(inplace=True)}. Any shape. */
public final class ReLU extends Layer {
    private Tensor savedY;

    @Override public Tensor forward(Tensor x) {
        float[] v = x.data;
        for (int i = 0; i < v.length; i++) v[i] = Math.max(0f, v[i]);
        savedY = recording ? x : null;
        return x;
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY);
        Tensor dx = backward(dy, savedY);
        savedY = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    /**
     * The gradient passes where x > 0, which is where the output y > 0 (torch's threshold_backward on the
     * result). For blocks that apply one ReLU module twice and keep each output themselves. dy, y same shape.
     */
    public static Tensor backward(Tensor dy, Tensor y) {
        Tensor dx = Tensor.zeros(dy.shape);
        for (int i = 0; i < y.data.length; i++) dx.data[i] = y.data[i] > 0f ? dy.data[i] : 0f;
        return dx;
    }

    @Override public String toString() { return "ReLU(inplace=True)"; }
}
