package dev.litenet.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every fast kernel against its scalar reference, on odd shapes, strides, batches and channel counts. */
class KernelsTest {
    static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    static void assertClose(float[] actual, float[] expected, float tol) {
        assertThat(actual).hasSameSizeAs(expected);
        float scale = 1e-6f;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(tol * scale));
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "5,7,3", "4,32,16", "13,40,27", "64,96,24", "3,1000,1280", "33,17,160", "12,24,9", "8,16,5", "9,40,33", "8,72,11", "12,130,7", "5,2,33", "7,3,20", "4,20,40", "16,24,300", "4,1,600", "13,70,600"})
    void gemmMatchesReference(int M, int N, int K) {
        float[] a = random(M * K, 1), b = random(K * N, 2), c0 = random(M * N, 3);
        for (boolean accumulate : new boolean[]{false, true}) {
            float[] fast = c0.clone(), ref = c0.clone();
            Gemm.multiply(M, N, K, a, 0, K, 1, b, 0, N, fast, 0, N, accumulate);
            Gemm.reference(M, N, K, a, 0, K, 1, b, 0, N, ref, 0, N, accumulate);
            assertClose(fast, ref, 1e-5f);
        }
        // with a folded conv's epilogue: bias per column, clamp to [0, 6]
        float[] bias = random(N, 5), fused = new float[M * N], plain = new float[M * N];
        Gemm.multiply(M, N, K, a, b, fused, new Gemm.Epilogue(false, bias, 0f, 6f));
        Gemm.reference(M, N, K, a, 0, K, 1, b, 0, N, plain, 0, N, false);
        for (int i = 0; i < plain.length; i++) plain[i] = Math.min(6f, Math.max(0f, plain[i] + bias[i % N]));
        assertClose(fused, plain, 1e-5f);
        // Aᵀ·B with A stored (K, M): element (i, p) at p*M + i
        float[] at = random(K * M, 4), fast = new float[M * N], ref = new float[M * N];
        Gemm.multiply(M, N, K, at, 0, 1, M, b, 0, N, fast, 0, N, false);
        Gemm.reference(M, N, K, at, 0, 1, M, b, 0, N, ref, 0, N, false);
        assertClose(fast, ref, 1e-5f);
    }

    @ParameterizedTest
    @CsvSource({"1,5,7,3,1,TORCH", "2,9,8,17,2,TORCH", "3,7,7,32,2,TF_SAME", "2,8,8,40,2,TF_SAME",
            "1,6,5,144,1,TF_SAME", "2,4,4,24,1,TORCH", "1,4,2,16,2,TF_SAME"})
    void depthwiseMatchesReference(int N, int H, int W, int C, int stride, Padding padding) {
        Padding.Geometry g = padding.geometry(H, W, 3, stride);
        float[] x = random(N * H * W * C, 5), w = random(9 * C, 6), b = random(C, 7);
        int out = N * g.outH() * g.outW() * C;
        float[] fast = new float[out], ref = new float[out];
        Depthwise.forward(x, N, C, g, w, b, 0f, 6f, fast);
        Depthwise.forwardReference(x, N, C, g, w, b, 0f, 6f, ref);
        assertClose(fast, ref, 1e-6f);

        float[] dy = random(out, 8), dxFast = random(x.length, 9), dxRef = dxFast.clone();
        Depthwise.backwardInput(dy, N, C, g, w, dxFast);
        Depthwise.backwardInputReference(dy, N, C, g, w, dxRef);
        assertClose(dxFast, dxRef, 1e-6f);

        float[] dwFast = random(9 * C, 10), dwRef = dwFast.clone();
        Depthwise.backwardWeight(x, dy, N, C, g, dwFast);
        Depthwise.backwardWeightReference(x, dy, N, C, g, dwRef);
        assertClose(dwFast, dwRef, 1e-5f);
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
