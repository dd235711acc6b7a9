package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.litenet.tensor.Elementwise.*;

/** The Vector API loops behind {@link Elementwise}. Loaded only when {@link Simd#ENABLED}. */
final class ElementwiseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private ElementwiseSimd() {}

    // out = dy where 0 < y < 6, else 0, over [from, to), a vector at a time
    static void relu6Gradient(float[] y, float[] d, float[] out, int from, int to) {
        int i = from;
        for (; i <= to - V; i += V) {
            FloatVector yv = FloatVector.fromArray(S, y, i);
            VectorMask<Float> pass = yv.compare(VectorOperators.GT, 0f).and(yv.compare(VectorOperators.LT, 6f));
            FloatVector.zero(S).blend(FloatVector.fromArray(S, d, i), pass).intoArray(out, i);
        }
        Elementwise.relu6GradientScalar(y, d, out, i, to);
    }

    // v = 1 / (1 + e^−v) over [from, to)
    static void sigmoid(float[] v, int from, int to) {
        int i = logistic(v, from, to, false);
        Elementwise.sigmoidScalar(v, i, to);
    }

    // v = v / (1 + e^−v) over [from, to)
    static void silu(float[] v, int from, int to) {
        int i = logistic(v, from, to, true);
        Elementwise.siluScalar(v, i, to);
    }

    // v = (timesX ? v : 1) / (1 + e^−v) over whole vectors from `from`; returns where they end. e^−v is
    // Elementwise.exp, the same operations in the same order, so the same bits; written out here rather than in a
    // helper, since a vector handed to a method the compiler does not inline runs the Vector API's slow fallback
    private static int logistic(float[] v, int from, int to, boolean timesX) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = from;
        for (; i <= to - V; i += V) {
            FloatVector x = FloatVector.fromArray(S, v, i);
            FloatVector y = x.neg().max(EXP_LO).min(EXP_HI);
            FloatVector t = y.mul(LOG2E).add(ROUND), m = t.sub(ROUND).neg();
            FloatVector r = m.fma(FloatVector.broadcast(S, LN2_LO), m.fma(FloatVector.broadcast(S, LN2_HI), y));
            FloatVector p = FloatVector.broadcast(S, P0).fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P2)).fma(r, FloatVector.broadcast(S, P3));
            p = p.fma(r, FloatVector.broadcast(S, P4)).fma(r, FloatVector.broadcast(S, P5));
            FloatVector e = p.fma(r.mul(r), r).add(1f);
            e = e.mul(t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            (timesX ? x : one).div(e.add(1f)).intoArray(v, i);
        }
        return i;
    }
}
