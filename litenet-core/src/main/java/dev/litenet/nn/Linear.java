package dev.litenet.nn;

import dev.litenet.tensor.Gemm;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * y = x·Wᵀ + b, as torch's {@code Linear(in, out)}. in (N, in) -> out (N, out). The weight is torch's
 * {@code [out, in]}, stored {@code [in][out]} so forward is one row-major GEMM.
 */
public final class Linear extends Layer {
    public final int in, out;
    public final Parameter weight, bias;
    private Tensor savedX;

    public Linear(int in, int out) {
        this.in = in; this.out = out;
        weight = addParameter("weight", new Parameter(new int[]{out, in}, new int[]{1, 0}, true));
        bias = addParameter("bias", Parameter.of(true, out));
    }

    @Override public Tensor forward(Tensor x) {
        int N = x.dim(0);
        if (x.size() != N * in) throw new IllegalArgumentException("Linear expects " + in + " features, got " + x.shapeString());
        Tensor y = recording ? Tensor.zeros(N, out) : Scratch.uninitialized(N, out);
        for (int n = 0; n < N; n++) System.arraycopy(bias.data, 0, y.data, n * out, out);
        Gemm.multiply(N, out, in, x.data, weight.data, y.data, true);
        savedX = recording ? x : null;
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedX);
        int N = dy.dim(0);
        if (weight.trainable()) Gemm.multiply(in, out, N, savedX.data, 0, 1, in, dy.data, 0, out, weight.grad(), 0, out, true);
        if (bias.trainable()) {
            float[] db = bias.grad();
            for (int n = 0; n < N; n++) for (int o = 0; o < out; o++) db[o] += dy.data[n * out + o];
        }
        float[] wt = new float[in * out];                                  // [out][in]
        for (int i = 0; i < in; i++) for (int o = 0; o < out; o++) wt[o * in + i] = weight.data[i * out + o];
        Tensor dx = Tensor.zeros(savedX.shape);
        Gemm.multiply(N, in, out, dy.data, wt, dx.data, false);
        savedX = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    @Override public String toString() { return "Linear(in_features=" + in + ", out_features=" + out + ", bias=True)"; }
}
