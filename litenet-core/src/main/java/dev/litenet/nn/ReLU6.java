package dev.litenet.nn;

import dev.litenet.tensor.Elementwise;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;

/** min(max(x, 0), 6), in place like torch's {@code ReLU6(inplace=True)}. Any shape. */
public final class ReLU6 extends Layer {
    private static final int CHUNK = 1 << 15;
    private Tensor savedY;

    @Override public Tensor forward(Tensor x) {
        float[] v = x.data;
        if (Parallel.serial(v.length, CHUNK)) clamp(v, 0, v.length);
        else Parallel.range(v.length, CHUNK, Parallel.call((c, from, to) -> clamp((float[]) c.o0, from, to)).objects(v, null, null, null, null));
        savedY = recording ? x : null;
        return x;
    }

    private static void clamp(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = Math.min(6f, Math.max(0f, v[i]));
    }

    /** The gradient passes where 0 < x < 6, which is where 0 < y < 6 (torch's hardtanh_backward). */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY);
        float[] y = savedY.data, d = dy.data;
        Tensor dx = Tensor.zeros(dy.shape);
        float[] out = dx.data;
        Parallel.range(y.length, CHUNK, (from, to) -> Elementwise.relu6Gradient(y, d, out, from, to));
        savedY = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    @Override public String toString() { return "ReLU6(inplace=True)"; }
}
