package dev.litenet.tensor;

import java.util.Arrays;

/**
 * Matrix multiply {@code C[M,N] (+)= A[M,K] · B[K,N]}, the workhorse of 1×1 convolutions, linear layers and
 * their gradients. B and C are row-major (row strides {@code ldb}, {@code ldc}); A is read through two strides,
 * element (i, p) at {@code a[aOff + i*rsA + p*csA]}, so {@code Aᵀ·B} (weight gradients) needs no copy.
 * {@link #multiply} runs the Vector API kernel ({@link GemmSimd}) when {@link Simd#ENABLED}, else {@link #scalar};
 * {@link #reference} is the specification both are tested against.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * What happens to a finished tile: stored, added to C, or (for a folded conv) {@code min(hi, max(lo, v + bias[j]))}.
     * Doing this in the tile's registers saves a pass over the output.
     */
    public record Epilogue(boolean accumulate, float[] bias, float lo, float hi) {
        public static final Epilogue STORE = new Epilogue(false, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        public static final Epilogue ACCUMULATE = new Epilogue(true, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** Plain triple loop: C[M,N] (+)= A[M,K]·B[K,N], the specification the kernels are tested against. */
    public static void reference(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        reference(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, accumulate ? Epilogue.ACCUMULATE : Epilogue.STORE);
    }

    /** Plain triple loop with the epilogue: C[M,N] = clamp(A·B (+ C) (+ bias)). */
    public static void reference(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                float s = e.accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < K; p++) s += a[aOff + i * rsA + p * csA] * b[bOff + p * ldb + j];
                if (e.bias != null) s += e.bias[j];
                c[cOff + i * ldc + j] = Math.min(e.hi, Math.max(e.lo, s));
            }
        }
    }

    /** Row-major convenience: C[M,N] (+)= A[M,K]·B[K,N], all contiguous. */
    public static void multiply(int M, int N, int K, float[] a, float[] b, float[] c, boolean accumulate) {
        multiply(M, N, K, a, 0, K, 1, b, 0, N, c, 0, N, accumulate);
    }

    /** C[M,N] (+)= A[M,K]·B[K,N] through strides. */
    public static void multiply(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, accumulate ? Epilogue.ACCUMULATE : Epilogue.STORE);
    }

    /** C[M,N] = epilogue(A·B), all row-major contiguous (a 1×1 conv or im2col GEMM with its bias and clamp). */
    public static void multiply(int M, int N, int K, float[] a, float[] b, float[] c, Epilogue epilogue) {
        multiply(M, N, K, a, 0, K, 1, b, 0, N, c, 0, N, epilogue);
    }

    /** C[M,N] = epilogue(A[M,K]·B[K,N]) through strides: the one entry every overload ends in. */
    public static void multiply(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        if (Simd.ENABLED) GemmSimd.multiply(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        else scalar(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
    }

    /**
     * Scalar kernel, C[M,N] = epilogue(A[M,K]·B[K,N]): each row of C summed in a buffer as Σ_p A[i,p]·B[p,:], rows
     * spread over the thread pool. B's rows are first copied into arrays of their own: the sum and a row then share
     * one index, a loop HotSpot vectorizes by itself (two arrays read at different offsets might be one array, and
     * it leaves such a loop scalar).
     */
    static void scalar(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                       float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        float[][] bRows = new float[K][];
        for (int p = 0; p < K; p++) bRows[p] = Arrays.copyOfRange(b, bOff + p * ldb, bOff + p * ldb + N);
        int grain = (int) Math.max(1, 200_000 / Math.max(1, 2L * N * K));
        Parallel.range(M, grain, (from, to) -> {
            float[] sum = new float[N];
            for (int i = from; i < to; i++) {
                Arrays.fill(sum, 0f);
                for (int p = 0; p < K; p++) {
                    float x = a[aOff + i * rsA + p * csA];
                    float[] row = bRows[p];
                    for (int j = 0; j < N; j++) sum[j] += x * row[j];
                }
                int o = cOff + i * ldc;
                for (int j = 0; j < N; j++) {
                    float v = sum[j] + (e.accumulate ? c[o + j] : 0f) + (e.bias == null ? 0f : e.bias[j]);
                    c[o + j] = Math.min(e.hi, Math.max(e.lo, v));
                }
            }
        });
    }
}
