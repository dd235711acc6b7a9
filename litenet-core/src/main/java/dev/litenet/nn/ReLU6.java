package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import dev.litenet.tensor.Tensor;

/** min(max(x, 0), 6), in place like torch's {@code ReLU6(inplace=True)}. Any shape. */
public final class ReLU6 extends Layer {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length(), CHUNK = 1 << 15;
    private Tensor savedY;

    @Override public Tensor forward(Tensor x) {
        float[] v = x.data;
        Parallel.range(v.length, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) v[i] = Math.min(6f, Math.max(0f, v[i]));
        });
        savedY = recording ? x : null;
        return x;
    }

    /** The gradient passes where 0 < x < 6, which is where 0 < y < 6 (torch's hardtanh_backward). */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY);
        float[] y = savedY.data, d = dy.data;
        Tensor dx = Tensor.zeros(dy.shape);
        float[] out = dx.data;
        Parallel.range(y.length, CHUNK, (from, to) -> mask(y, d, out, from, to));
        savedY = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    // out = dy where 0 < y < 6, else 0, a vector at a time
    private static void mask(float[] y, float[] d, float[] out, int from, int to) {
        int i = from;
        for (; i <= to - V; i += V) {
            FloatVector yv = FloatVector.fromArray(S, y, i);
            VectorMask<Float> pass = yv.compare(VectorOperators.GT, 0f).and(yv.compare(VectorOperators.LT, 6f));
            FloatVector.zero(S).blend(FloatVector.fromArray(S, d, i), pass).intoArray(out, i);
        }
        for (; i < to; i++) out[i] = y[i] > 0f && y[i] < 6f ? d[i] : 0f;
    }

    @Override public String toString() { return "ReLU6(inplace=True)"; }
}
