package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/** min(max(x, 0), 6), in place like torch's {@code ReLU6(inplace=True)}. Any shape. */
public final class ReLU6 extends Layer {
    private Tensor savedY;

    @Override public Tensor forward(Tensor x) {
        float[] v = x.data;
        for (int i = 0; i < v.length; i++) v[i] = Math.min(6f, Math.max(0f, v[i]));
        savedY = recording ? x : null;
        return x;
    }

    /** The gradient passes where 0 < x < 6, which is where 0 < y < 6 (torch's hardtanh_backward). */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY);
        float[] y = savedY.data;
        Tensor dx = Tensor.zeros(dy.shape);
        for (int i = 0; i < y.length; i++) dx.data[i] = y[i] > 0f && y[i] < 6f ? dy.data[i] : 0f;
        return dx;
    }

    @Override public String toString() { return "ReLU6(inplace=True)"; }
}
