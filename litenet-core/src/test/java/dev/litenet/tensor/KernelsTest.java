package dev.litenet.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel against its reference, on odd shapes, strides, batches and channel counts: the facade (the Vector
 * API kernels when the module is present, as under surefire) and the scalar kernels the facade runs without it.
 */
class KernelsTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    static void assertClose(float[] actual, float[] expected, float tol) {
        assertClose(actual, expected, tol, maxAbs(expected));
    }

    // |actual − expected| ≤ tol·scale everywhere
    static void assertClose(float[] actual, float[] expected, float tol, float scale) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(tol * scale));
        }
    }

    /** The strided entry every Gemm overload ends in: the facade (Vector API when present) or the scalar kernel. */
    @FunctionalInterface
    interface GemmKernel {
        void run(int M, int N, int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, Gemm.Epilogue e);
    }

    static float maxAbs(float[] v) {
        float m = 1e-6f;
        for (float e : v) m = Math.max(m, Math.abs(e));
        return m;
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "5,7,3", "4,32,16", "13,40,27", "64,96,24", "3,1000,1280", "33,17,160", "12,24,9", "8,16,5", "9,40,33", "8,72,11", "12,130,7", "5,2,33", "7,3,20", "4,20,40", "16,24,300", "4,1,600", "13,70,600",
            "43,32,27", "24,16,32", "19,8,40"})
    void gemmMatchesReference(int M, int N, int K) {
        checkGemm(Gemm::multiply, M, N, K);
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "1,1000,1280", "2,3,1", "3,17,5", "4,16,16", "7,33,600", "17,1,9", "31,65,130"})
    void scalarGemmMatchesReference(int M, int N, int K) {
        checkGemm(Gemm::scalar, M, N, K);
    }

    /**
     * The two kernels behind the facade give the same bits (so {@link Simd} may pick either for any call): every
     * epilogue, rows left after the 4-row tiles, columns left after whole vectors, A read transposed.
     */
    @ParameterizedTest
    @CsvSource({"1,1,1", "1,1000,512", "3,17,5", "4,16,16", "7,33,500", "13,40,27", "17,1,9", "31,65,130", "64,96,24", "9,24,144",
            "20,24,144", "16,20,7", "19,31,300", "17,40,130", "8,8,33", "24,24,600", "11,88,72", "43,32,27", "24,16,32", "19,32,192",
            "35,8,20"})
    void scalarAndVectorGemmGiveTheSameBits(int M, int N, int K) {
        assumeTrue(Simd.ENABLED, "the Vector API module is not present");
        float[] a = random(M * K, 1), b = random(K * N, 2), c0 = random(M * N, 3), bias = random(N, 5);
        float inf = Float.POSITIVE_INFINITY;
        for (Gemm.Epilogue e : new Gemm.Epilogue[] {Gemm.Epilogue.STORE, Gemm.Epilogue.ACCUMULATE,
                new Gemm.Epilogue(false, bias, 0f, 6f), new Gemm.Epilogue(true, bias, -0.5f, 0.5f), new Gemm.Epilogue(false, bias, -inf, inf)}) {
            for (boolean transposed : new boolean[] {false, true}) {
                int rsA = transposed ? 1 : K, csA = transposed ? M : 1;
                float[] vector = c0.clone(), scalar = c0.clone();
                GemmSimd.tiles(M, N, K, a, 0, rsA, csA, b, 0, N, vector, 0, N, e);
                Gemm.scalar(M, N, K, a, 0, rsA, csA, b, 0, N, scalar, 0, N, e);
                assertThat(scalar).as("%s, transposed %s", e, transposed).isEqualTo(vector);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,5,7,3,3,1,TORCH", "2,9,8,17,3,2,TORCH", "3,7,7,32,3,2,TF_SAME", "1,6,5,144,3,1,TF_SAME",
            "1,1,1,5,3,2,TORCH", "2,9,7,9,5,1,TORCH", "1,8,9,7,5,2,TF_SAME", "2,5,6,3,1,2,TF_SAME", "1,12,12,96,3,1,TORCH",
            "2,12,13,40,5,1,TORCH", "1,14,14,72,5,2,TF_SAME", "1,15,16,32,5,2,TORCH", "1,11,10,16,5,1,TF_SAME", "1,3,4,24,5,1,TORCH",
            "1,9,9,88,3,1,TORCH", "1,10,9,120,5,2,TF_SAME", "1,7,8,200,3,2,TORCH"})
    void scalarAndVectorDepthwiseGiveTheSameBits(int N, int H, int W, int C, int k, int stride, Padding padding) {
        assumeTrue(Simd.ENABLED, "the Vector API module is not present");
        Padding.Geometry g = padding.geometry(H, W, k, stride);
        float[] x = random(N * H * W * C, 5), w = random(k * k * C, 6), b = random(C, 7);
        int out = N * g.outH() * g.outW() * C;
        for (float[] bias : new float[][] {b, null}) {
            float[] vector = new float[out], scalar = new float[out];
            DepthwiseSimd.forward(x, N, C, g, w, bias, 0f, 6f, vector);
            Depthwise.forwardScalar(x, N, C, g, w, bias, 0f, 6f, scalar);
            assertThat(scalar).isEqualTo(vector);
            DepthwiseSimd.forward(x, N, C, g, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, vector);
            Depthwise.forwardScalar(x, N, C, g, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, scalar);
            assertThat(scalar).isEqualTo(vector);
        }
    }

    /**
     * The direct convolution of a few-channel input gives the bits of unfolding it and multiplying: borders, both
     * paddings, strides 1 and 2, rows whose four-pixel groups leave pixels over, two images, clamped or not.
     */
    @ParameterizedTest
    @CsvSource({"1,224,224,3,3,2,TORCH,2", "2,9,13,3,3,2,TF_SAME,2", "1,8,11,3,3,1,TORCH,4", "1,7,7,1,5,1,TF_SAME,2",
            "2,10,9,2,3,2,TORCH,2", "1,4,3,3,3,1,TF_SAME,2", "1,2,2,3,3,2,TORCH,4"})
    void directConvolutionGivesTheBitsOfUnfoldAndGemm(int N, int H, int W, int C, int k, int stride, Padding padding, int vectors) {
        assumeTrue(Simd.ENABLED, "the Vector API module is not present");
        int out = vectors * DirectConvSimd.V;
        Padding.Geometry g = padding.geometry(H, W, k, stride);
        float[] x = random(N * H * W * C, 11), w = random(k * k * C * out, 12), bias = random(out, 13);
        int M = N * g.outH() * g.outW();
        for (Gemm.Epilogue e : new Gemm.Epilogue[] {Gemm.Epilogue.STORE, new Gemm.Epilogue(false, bias, 0f, 6f),
                new Gemm.Epilogue(false, bias, -0.25f, 0.25f)}) {
            float[] direct = random(M * out, 14), unfolded = new float[M * out];
            DirectConv.forward(x, N, C, g, w, out, e, direct);
            Gemm.multiply(M, out, k * k * C, Im2col.unfold(x, N, C, g), w, unfolded, e);
            assertThat(direct).as("%s", e).isEqualTo(unfolded);
        }
    }

    static void checkGemm(GemmKernel kernel, int M, int N, int K) {
        float[] a = random(M * K, 1), b = random(K * N, 2), c0 = random(M * N, 3);
        float scale = 0f;                                                  // of C + A·B, unclamped
        for (boolean accumulate : new boolean[]{false, true}) {
            float[] fast = c0.clone(), ref = c0.clone();
            kernel.run(M, N, K, a, 0, K, 1, b, 0, N, fast, 0, N, accumulate ? Gemm.Epilogue.ACCUMULATE : Gemm.Epilogue.STORE);
            Gemm.reference(M, N, K, a, 0, K, 1, b, 0, N, ref, 0, N, accumulate);
            assertClose(fast, ref, 1e-5f);
            scale = maxAbs(ref);
        }
        // with a folded conv's epilogue: bias per column, clamp to [0, 6]
        float[] bias = random(N, 5), fused = new float[M * N], plain = new float[M * N];
        kernel.run(M, N, K, a, 0, K, 1, b, 0, N, fused, 0, N, new Gemm.Epilogue(false, bias, 0f, 6f));
        Gemm.reference(M, N, K, a, 0, K, 1, b, 0, N, plain, 0, N, false);
        for (int i = 0; i < plain.length; i++) plain[i] = Math.min(6f, Math.max(0f, plain[i] + bias[i % N]));
        assertClose(fused, plain, 1e-5f);
        // added to C with bias and clamp (the tolerance scaled by the sums before the clamp)
        Gemm.Epilogue all = new Gemm.Epilogue(true, bias, -0.5f, 0.5f);
        float[] fast = c0.clone(), ref = c0.clone();
        kernel.run(M, N, K, a, 0, K, 1, b, 0, N, fast, 0, N, all);
        Gemm.reference(M, N, K, a, 0, K, 1, b, 0, N, ref, 0, N, all);
        assertClose(fast, ref, 1e-5f, scale + 1f);
        // Aᵀ·B with A stored (K, M): element (i, p) at p*M + i
        float[] at = random(K * M, 4);
        fast = new float[M * N];
        ref = new float[M * N];
        kernel.run(M, N, K, at, 0, 1, M, b, 0, N, fast, 0, N, Gemm.Epilogue.STORE);
        Gemm.reference(M, N, K, at, 0, 1, M, b, 0, N, ref, 0, N, false);
        assertClose(fast, ref, 1e-5f);
        // offsets into larger arrays, C a block of a wider matrix (ldc > N): columns outside stay as they were
        float[] a2 = random(3 + M * K, 6), b2 = random(5 + K * N, 7), wide = random(2 + M * (N + 3), 8), wideRef = wide.clone();
        kernel.run(M, N, K, a2, 3, K, 1, b2, 5, N, wide, 2, N + 3, Gemm.Epilogue.ACCUMULATE);
        Gemm.reference(M, N, K, a2, 3, K, 1, b2, 5, N, wideRef, 2, N + 3, true);
        assertClose(wide, wideRef, 1e-5f);
    }

    /** One kernel per depthwise entry, so the facade and the scalar kernels run the same checks. */
    record DepthwiseKernels(boolean scalar) {
        void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] b, float lo, float hi, float[] y) {
            if (scalar) Depthwise.forwardScalar(x, N, C, g, w, b, lo, hi, y);
            else Depthwise.forward(x, N, C, g, w, b, lo, hi, y);
        }

        void backwardInput(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
            if (scalar) Depthwise.backwardInputScalar(dy, N, C, g, w, dx);
            else Depthwise.backwardInput(dy, N, C, g, w, dx);
        }

        void backwardWeight(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
            if (scalar) Depthwise.backwardWeightScalar(x, dy, N, C, g, dw);
            else Depthwise.backwardWeight(x, dy, N, C, g, dw);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,5,7,3,3,1,TORCH", "2,9,8,17,3,2,TORCH", "3,7,7,32,3,2,TF_SAME", "2,8,8,40,3,2,TF_SAME",
            "1,6,5,144,3,1,TF_SAME", "2,4,4,24,3,1,TORCH", "1,4,2,16,3,2,TF_SAME", "1,1,1,5,3,2,TORCH",
            "2,9,7,9,5,1,TORCH", "1,8,9,7,5,2,TF_SAME", "2,5,6,3,1,2,TF_SAME",
            "2,12,13,40,5,1,TORCH", "1,14,14,72,5,2,TF_SAME", "1,15,16,32,5,2,TORCH", "1,11,10,16,5,1,TF_SAME", "1,3,4,24,5,1,TORCH"})
    void depthwiseMatchesReference(int N, int H, int W, int C, int k, int stride, Padding padding) {
        checkDepthwise(new DepthwiseKernels(false), N, H, W, C, k, stride, padding);
    }

    @ParameterizedTest
    @CsvSource({"1,5,7,3,3,1,TORCH", "2,9,8,17,3,2,TORCH", "3,7,7,32,3,2,TF_SAME", "1,6,5,144,3,1,TF_SAME",
            "1,1,1,5,3,2,TORCH", "1,2,3,1,3,1,TORCH", "2,9,7,9,5,1,TORCH", "1,8,9,7,5,2,TF_SAME", "2,5,6,3,1,2,TF_SAME",
            "2,12,13,40,5,1,TORCH", "1,14,14,72,5,2,TF_SAME"})
    void scalarDepthwiseMatchesReference(int N, int H, int W, int C, int k, int stride, Padding padding) {
        checkDepthwise(new DepthwiseKernels(true), N, H, W, C, k, stride, padding);
    }

    static void checkDepthwise(DepthwiseKernels kernels, int N, int H, int W, int C, int k, int stride, Padding padding) {
        Padding.Geometry g = padding.geometry(H, W, k, stride);
        float[] x = random(N * H * W * C, 5), w = random(k * k * C, 6), b = random(C, 7);
        int out = N * g.outH() * g.outW() * C;
        float[] fast = new float[out], ref = new float[out];
        kernels.forward(x, N, C, g, w, b, 0f, 6f, fast);
        Depthwise.forwardReference(x, N, C, g, w, b, 0f, 6f, ref);
        assertClose(fast, ref, 1e-6f);
        kernels.forward(x, N, C, g, w, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, fast);
        Depthwise.forwardReference(x, N, C, g, w, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, ref);
        assertClose(fast, ref, 1e-6f);

        float[] dy = random(out, 8), dxFast = random(x.length, 9), dxRef = dxFast.clone();
        kernels.backwardInput(dy, N, C, g, w, dxFast);
        Depthwise.backwardInputReference(dy, N, C, g, w, dxRef);
        assertClose(dxFast, dxRef, 1e-6f);

        float[] dwFast = random(k * k * C, 10), dwRef = dwFast.clone();
        kernels.backwardWeight(x, dy, N, C, g, dwFast);
        Depthwise.backwardWeightReference(x, dy, N, C, g, dwRef);
        assertClose(dwFast, dwRef, 1e-5f);
    }

    /**
     * BatchNorm's per-channel rows and ReLU6's gradient: the facade against the scalar loops, which round alike
     * (multiply then add, fma where the vector loop has one), so they agree to the bit. Rows at an offset, channel
     * counts below, at and past a vector, and the [lo, hi] mask with values on both sides.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 8, 9, 16, 17, 33, 64, 67})
    void channelOpsMatchScalarLoops(int C) {
        int i = 2 * C;                                                     // the third row of (3, C)
        float[] x = random(3 * C, 11), d = random(3 * C, 12), alpha = random(C, 13), beta = random(C, 14);
        float[] k = random(C, 15), b = random(C, 16), mean = random(C, 17), h = random(C, 18);
        float lo = -0.3f, hi = 0.4f;

        float[] y = new float[3 * C], yScalar = new float[3 * C];
        ChannelOps.affineRow(x, alpha, beta, lo, hi, y, i, C);
        ChannelOps.affineRowScalar(x, alpha, beta, lo, hi, yScalar, i, 0, C);
        assertThat(y).isEqualTo(yScalar);

        float[] out = new float[3 * C], outScalar = new float[3 * C];
        ChannelOps.inputGradientRow(d, x, alpha, beta, lo, hi, k, b, mean, h, out, i, C);
        ChannelOps.inputGradientRowScalar(d, x, alpha, beta, lo, hi, k, b, mean, h, outScalar, i, 0, C);
        assertThat(out).isEqualTo(outScalar);

        float[] p0 = random(C, 19), p1 = random(C, 20), p0Scalar = p0.clone(), p1Scalar = p1.clone();
        ChannelOps.gradientSumsRow(d, x, alpha, beta, lo, hi, mean, i, C, p0, p1);
        ChannelOps.gradientSumsRowScalar(d, x, alpha, beta, lo, hi, mean, i, 0, C, p0Scalar, p1Scalar);
        assertThat(p0).isEqualTo(p0Scalar);
        assertThat(p1).isEqualTo(p1Scalar);

        for (float[] center : new float[][]{null, mean}) {
            float[] part = random(C, 21), partScalar = part.clone();
            ChannelOps.sumRow(x, center, i, C, part);
            ChannelOps.sumRowScalar(x, center, i, 0, C, partScalar, 0);
            assertThat(part).isEqualTo(partScalar);
        }
    }

    @ParameterizedTest
    @CsvSource({"0,1", "3,20", "0,64", "5,133"})
    void relu6GradientMatchesScalarLoop(int from, int to) {
        float[] y = random(to, 22), d = random(to, 23);
        for (int j = 0; j < to; j++) y[j] = 4f * y[j] + 3f;               // in (-1, 7): some below 0, some above 6
        float[] out = random(to, 24), outScalar = out.clone();
        Elementwise.relu6Gradient(y, d, out, from, to);
        Elementwise.relu6GradientScalar(y, d, outScalar, from, to);
        assertThat(out).isEqualTo(outScalar);
    }

    /** The logistic function and SiLU: the facade (Vector API) and the scalar loops give the same bits, extremes included. */
    @ParameterizedTest
    @CsvSource({"0,1", "3,20", "0,64", "5,133"})
    void sigmoidAndSiLUMatchScalarLoops(int from, int to) {
        float[] x = random(to, 25);
        for (int j = 0; j < to; j++) x[j] *= 12f;
        float[] extremes = {0f, -0f, 100f, -100f, 88.5f, -87.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f};
        for (int j = from; j < to && j - from < extremes.length; j++) x[j] = extremes[j - from];
        float[] sig = x.clone(), sigScalar = x.clone(), silu = x.clone(), siluScalar = x.clone();
        Elementwise.sigmoid(sig, from, to);
        Elementwise.sigmoidScalar(sigScalar, from, to);
        assertThat(sig).isEqualTo(sigScalar);
        Elementwise.silu(silu, from, to);
        Elementwise.siluScalar(siluScalar, from, to);
        assertThat(silu).isEqualTo(siluScalar);
        for (int j = 0; j < from; j++) assertThat(sig[j]).isEqualTo(x[j]);           // outside the range: untouched
    }

    /** Elementwise.exp within 2 ulp of e^x over its range, saturating outside it; NaN stays NaN. */
    @org.junit.jupiter.api.Test
    void expWithinTwoUlp() {
        for (float x = -87.3f; x <= 88f; x += 0.00173f) {
            float e = (float) Math.exp(x);
            assertThat(Elementwise.exp(x)).as("exp(%s)", x).isCloseTo(e, within(2 * Math.ulp(e)));
        }
        assertThat(Elementwise.exp(0f)).isEqualTo(1f);
        assertThat(Elementwise.exp(-1000f)).isEqualTo(Elementwise.exp(-87.3f)).isPositive();
        assertThat(Elementwise.exp(1000f)).isEqualTo(Elementwise.exp(88f)).isFinite();
        assertThat(Elementwise.exp(Float.NaN)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({"7,3,2,TORCH", "7,3,2,TF_SAME", "8,3,2,TF_SAME", "224,3,2,TF_SAME", "5,1,1,TORCH", "6,3,1,TORCH"})
    void paddingGeometry(int in, int k, int stride, Padding padding) {
        Padding.Geometry g = padding.geometry(in, in, k, stride);
        if (padding == Padding.TF_SAME) {
            assertThat(g.outH()).isEqualTo((in + stride - 1) / stride);
            int total = Math.max((g.outH() - 1) * stride + k - in, 0);
            assertThat(g.padTop()).isEqualTo(total / 2);                  // the odd pixel goes to the bottom
        } else {
            assertThat(g.outH()).isEqualTo((in + 2 * ((k - 1) / 2) - k) / stride + 1);
        }
    }

    @org.junit.jupiter.api.Test
    void tfSameOn224PadsOnlyBottomRight() {
        Padding.Geometry g = Padding.TF_SAME.geometry(224, 224, 3, 2);
        assertThat(g.outH()).isEqualTo(112);
        assertThat(g.padTop()).isZero();                                    // total 1: 0 top, 1 bottom
        assertThat(Padding.TORCH.geometry(224, 224, 3, 2).padTop()).isEqualTo(1);
    }
}
