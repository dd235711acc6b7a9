package dev.litenet.tensor;

/**
 * Element-by-element kernels on flat arrays of any shape: the gradient of ReLU6, and the logistic function and SiLU
 * over an exponential of our own ({@link #exp}, so the Vector API loop and the scalar one give the same bits).
 * Each runs the Vector API loop ({@link ElementwiseSimd}) when {@link Simd#ENABLED}, else the scalar loop here (its
 * reference and its tail).
 */
public final class Elementwise {
    // exp: e^x = 2^n·e^r, n = round(x·log2 e), r = x − n·ln 2 with ln 2 in two parts (Cody and Waite), e^r from
    // Cephes' expf polynomial (S. L. Moshier, Cephes Math Library, expf.c)
    static final float EXP_LO = -87.3f, EXP_HI = 88f;                  // 2^n stays a normal float
    static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    static final float ROUND = 12582912f;                             // 1.5·2^23: adding it rounds to an integer
    static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private Elementwise() {}

    /** out[i] = dy[i] where 0 < y[i] < 6, else 0, for i in [from, to) (torch's hardtanh_backward). */
    public static void relu6Gradient(float[] y, float[] dy, float[] out, int from, int to) {
        if (Simd.ENABLED) ElementwiseSimd.relu6Gradient(y, dy, out, from, to);
        else relu6GradientScalar(y, dy, out, from, to);
    }

    static void relu6GradientScalar(float[] y, float[] dy, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = y[i] > 0f && y[i] < 6f ? dy[i] : 0f;
    }

    /**
     * e^x within about one ulp over [−87.3, 88] (x clamped to that range, where 2^n is a normal float: the result
     * saturates at e^−87.3 ≈ 1.2e-38 and e^88 ≈ 1.7e38; NaN stays NaN). The scalar reference of the Vector API's
     * exp in {@link ElementwiseSimd}: the same operations in the same order.
     */
    public static float exp(float x) {
        x = Math.min(EXP_HI, Math.max(EXP_LO, x));
        float t = x * LOG2E + ROUND, n = t - ROUND;                      // n = round(x·log2 e), also in t's low bits
        float r = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, x));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P0, r, P1), r, P2), r, P3), r, P4), r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        return e * Float.intBitsToFloat((Float.floatToRawIntBits(t) - ROUND_BITS + 127) << 23);   // · 2^n
    }

    /** v[from, to) = 1 / (1 + e^−v), in place. */
    public static void sigmoid(float[] v, int from, int to) {
        if (Simd.ENABLED) ElementwiseSimd.sigmoid(v, from, to);
        else sigmoidScalar(v, from, to);
    }

    static void sigmoidScalar(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = 1f / (1f + exp(-v[i]));
    }

    /** v[from, to) = v / (1 + e^−v) = v·sigmoid(v), in place (torch's CPU kernel writes it so). */
    public static void silu(float[] v, int from, int to) {
        if (Simd.ENABLED) ElementwiseSimd.silu(v, from, to);
        else siluScalar(v, from, to);
    }

    static void siluScalar(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = v[i] / (1f + exp(-v[i]));
    }
}
