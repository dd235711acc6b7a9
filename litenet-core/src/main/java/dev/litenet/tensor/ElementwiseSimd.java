package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
}
