package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API loops behind {@link ChannelOps}: whole vectors of channels, then the scalar loop of
 * {@link ChannelOps} for the rest. Loaded only when {@link Simd#ENABLED}.
 */
final class ChannelOpsSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private ChannelOpsSimd() {}

    // y = clamp(x·α + β) over the C channels of the row at i (multiply, then add: the rounding of the scalar loop)
    static void affineRow(float[] x, float[] alpha, float[] beta, float lo, float hi, float[] y, int i, int C) {
        int c = 0;
        for (; c <= C - V; c += V) {
            FloatVector.fromArray(S, x, i + c).mul(FloatVector.fromArray(S, alpha, c)).add(FloatVector.fromArray(S, beta, c))
                    .max(lo).min(hi).intoArray(y, i + c);
        }
        ChannelOps.affineRowScalar(x, alpha, beta, lo, hi, y, i, c, C);
    }

    // out = k·(dz − b − (x − mean)·h) over the C channels of the row at i, dz = dy where lo < x·α + β < hi, else 0
    static void inputGradientRow(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] k,
                                 float[] b, float[] mean, float[] h, float[] out, int i, int C) {
        int c = 0;
        for (; c <= C - V; c += V) {
            FloatVector xv = FloatVector.fromArray(S, x, i + c);
            FloatVector y = xv.mul(FloatVector.fromArray(S, alpha, c)).add(FloatVector.fromArray(S, beta, c));
            FloatVector dz = FloatVector.fromArray(S, d, i + c, y.compare(VectorOperators.GT, lo).and(y.compare(VectorOperators.LT, hi)));
            FloatVector xh = xv.sub(FloatVector.fromArray(S, mean, c)).mul(FloatVector.fromArray(S, h, c));
            dz.sub(FloatVector.fromArray(S, b, c)).sub(xh).mul(FloatVector.fromArray(S, k, c)).intoArray(out, i + c);
        }
        ChannelOps.inputGradientRowScalar(d, x, alpha, beta, lo, hi, k, b, mean, h, out, i, c, C);
    }

    // p0 += dz, p1 += dz·(x − mean) over the C channels of the row at i
    static void gradientSumsRow(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] mean,
                                int i, int C, float[] p0, float[] p1) {
        int c = 0;
        for (; c <= C - V; c += V) {
            FloatVector xv = FloatVector.fromArray(S, x, i + c);
            FloatVector y = xv.mul(FloatVector.fromArray(S, alpha, c)).add(FloatVector.fromArray(S, beta, c));
            FloatVector dz = FloatVector.fromArray(S, d, i + c, y.compare(VectorOperators.GT, lo).and(y.compare(VectorOperators.LT, hi)));
            FloatVector.fromArray(S, p0, c).add(dz).intoArray(p0, c);
            dz.fma(xv.sub(FloatVector.fromArray(S, mean, c)), FloatVector.fromArray(S, p1, c)).intoArray(p1, c);
        }
        ChannelOps.gradientSumsRowScalar(d, x, alpha, beta, lo, hi, mean, i, c, C, p0, p1);
    }

    // part[at + c] += v[i+c], or (v − center)², a vector of channels at a time
    static void sumRow(float[] v, float[] center, int i, int C, float[] part, int at) {
        int c = 0;
        for (; c <= C - V; c += V) {
            FloatVector x = FloatVector.fromArray(S, v, i + c), acc = FloatVector.fromArray(S, part, at + c);
            if (center == null) acc = acc.add(x);
            else { FloatVector t = x.sub(FloatVector.fromArray(S, center, c)); acc = t.fma(t, acc); }
            acc.intoArray(part, at + c);
        }
        ChannelOps.sumRowScalar(v, center, i, c, C, part, at);
    }
}
