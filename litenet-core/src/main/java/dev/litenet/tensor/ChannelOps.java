package dev.litenet.tensor;

/**
 * Per-channel kernels over one row of an (M, C) tensor (a pixel's C channels in NHWC), as batch normalization
 * needs them: the affine map {@code y = clamp(x·α + β)}, its clamp-masked gradient, and channel sums. Each entry
 * runs the Vector API loop ({@link ChannelOpsSimd}) when {@link Simd#ENABLED}, else the scalar loop here, which is
 * also its reference and its tail: both round alike (multiply then add, fma where the vector loop has one).
 */
public final class ChannelOps {
    private ChannelOps() {}

    /** Row i of x (M,C) -> y: y[c] = clamp(x[c]·α[c] + β[c], lo, hi). */
    public static void affineRow(float[] x, float[] alpha, float[] beta, float lo, float hi, float[] y, int i, int C) {
        if (Simd.ENABLED) ChannelOpsSimd.affineRow(x, alpha, beta, lo, hi, y, i, C);
        else affineRowScalar(x, alpha, beta, lo, hi, y, i, 0, C);
    }

    // the scalar loops: channels [c0, C) of the row at i
    static void affineRowScalar(float[] x, float[] alpha, float[] beta, float lo, float hi, float[] y,
                                int i, int c0, int C) {
        for (int c = c0; c < C; c++) y[i + c] = Math.min(hi, Math.max(lo, x[i + c] * alpha[c] + beta[c]));
    }

    /**
     * Row i of the input gradient through {@code clamp(x·α + β)} and a normalization:
     * out[c] = k·(dz − b − (x − mean)·h), dz = d where lo < x·α + β < hi, else 0. All per-channel arrays (C).
     */
    public static void inputGradientRow(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] k,
                                        float[] b, float[] mean, float[] h, float[] out, int i, int C) {
        if (Simd.ENABLED) ChannelOpsSimd.inputGradientRow(d, x, alpha, beta, lo, hi, k, b, mean, h, out, i, C);
        else inputGradientRowScalar(d, x, alpha, beta, lo, hi, k, b, mean, h, out, i, 0, C);
    }

    static void inputGradientRowScalar(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] k,
                                 float[] b, float[] mean, float[] h, float[] out, int i, int c0, int C) {
        for (int c = c0; c < C; c++) {
            float y = x[i + c] * alpha[c] + beta[c], dz = y > lo && y < hi ? d[i + c] : 0f;
            out[i + c] = k[c] * (dz - b[c] - (x[i + c] - mean[c]) * h[c]);
        }
    }

    /** Row i: p0[c] += dz, p1[c] += dz·(x − mean), dz as in {@link #inputGradientRow}. p0, p1 (C). */
    public static void gradientSumsRow(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] mean,
                                       int i, int C, float[] p0, float[] p1) {
        if (Simd.ENABLED) ChannelOpsSimd.gradientSumsRow(d, x, alpha, beta, lo, hi, mean, i, C, p0, p1);
        else gradientSumsRowScalar(d, x, alpha, beta, lo, hi, mean, i, 0, C, p0, p1);
    }

    static void gradientSumsRowScalar(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi, float[] mean,
                                int i, int c0, int C, float[] p0, float[] p1) {
        for (int c = c0; c < C; c++) {
            float y = x[i + c] * alpha[c] + beta[c], dz = y > lo && y < hi ? d[i + c] : 0f;
            p0[c] += dz;
            p1[c] = Math.fma(dz, x[i + c] - mean[c], p1[c]);
        }
    }

    /** Row i of v (M,C): part[c] += v[c], or (v[c] − center[c])² when center is given. part (C). */
    public static void sumRow(float[] v, float[] center, int i, int C, float[] part) { sumRow(v, center, i, C, part, 0); }

    /** The same into part[at, at + C). */
    public static void sumRow(float[] v, float[] center, int i, int C, float[] part, int at) {
        if (Simd.ENABLED) ChannelOpsSimd.sumRow(v, center, i, C, part, at);
        else sumRowScalar(v, center, i, 0, C, part, at);
    }

    static void sumRowScalar(float[] v, float[] center, int i, int c0, int C, float[] part, int at) {
        for (int c = c0; c < C; c++) {
            float x = v[i + c];
            part[at + c] = center == null ? part[at + c] + x : Math.fma(x - center[c], x - center[c], part[at + c]);
        }
    }
}
