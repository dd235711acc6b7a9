package dev.litenet.tensor;

/**
 * Element-by-element kernels on flat arrays of any shape. The gradient of ReLU6 runs the Vector API loop
 * ({@link ElementwiseSimd}) when {@link Simd#ENABLED}, else the scalar loop here (its reference and its tail).
 */
public final class Elementwise {
    private Elementwise() {}

    /** out[i] = dy[i] where 0 < y[i] < 6, else 0, for i in [from, to) (torch's hardtanh_backward). */
    public static void relu6Gradient(float[] y, float[] dy, float[] out, int from, int to) {
        if (Simd.ENABLED) ElementwiseSimd.relu6Gradient(y, dy, out, from, to);
        else relu6GradientScalar(y, dy, out, from, to);
    }

    static void relu6GradientScalar(float[] y, float[] dy, float[] out, int from, int to) {
        for (int i = from; i < to; i++) out[i] = y[i] > 0f && y[i] < 6f ? dy[i] : 0f;
    }
}
