package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise k×k convolution in NHWC: every channel has its own filter, so the channel dimension is the
 * vector dimension. Weights are {@code [kh][kw][C]}. Forward takes an optional per-channel bias and clamps
 * the result to {@code [lo, hi]} (ReLU6 folded in at inference; ±∞ for none).
 */
public final class Depthwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private Depthwise() {}

    /** Reference: x (N,H,W,C), w (k,k,C) -> y (N,outH,outW,C). */
    public static void forwardReference(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] bias,
                                        float lo, float hi, float[] y) {
        int k = g.k();
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < g.outH(); oh++)
                for (int ow = 0; ow < g.outW(); ow++)
                    for (int c = 0; c < C; c++) {
                        float s = bias == null ? 0f : bias[c];
                        for (int kh = 0; kh < k; kh++) {
                            int ih = oh * g.stride() - g.padTop() + kh;
                            if (ih < 0 || ih >= g.inH()) continue;
                            for (int kw = 0; kw < k; kw++) {
                                int iw = ow * g.stride() - g.padLeft() + kw;
                                if (iw < 0 || iw >= g.inW()) continue;
                                s += x[((n * g.inH() + ih) * g.inW() + iw) * C + c] * w[(kh * k + kw) * C + c];
                            }
                        }
                        y[((n * g.outH() + oh) * g.outW() + ow) * C + c] = Math.min(hi, Math.max(lo, s));
                    }
    }

    /**
     * Vector API forward, one output row per task. A 3×3 filter away from the borders keeps its nine weight
     * vectors in registers and slides over four output pixels at a time; borders and other sizes take the
     * per-pixel path.
     */
    public static void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] bias,
                               float lo, float hi, float[] y) {
        int k = g.k(), s = g.stride();
        // output columns [owLo, owHi) read only columns inside the image
        int owLo = Math.min(g.outW(), (g.padLeft() + s - 1) / s);
        int owHi = Math.max(owLo, Math.min(g.outW(), (g.inW() - k + g.padLeft()) / s + 1));
        Parallel.range(N * g.outH(), 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int n = r / g.outH(), oh = r % g.outH();
                int ih0 = oh * s - g.padTop();
                if (k == 3 && ih0 >= 0 && ih0 + 3 <= g.inH()) {
                    pixels(x, n, C, g, w, bias, lo, hi, y, oh, 0, owLo);
                    interiorRow3x3(x, n, C, g, w, bias, lo, hi, y, oh, owLo, owHi);
                    pixels(x, n, C, g, w, bias, lo, hi, y, oh, owHi, g.outW());
                } else {
                    pixels(x, n, C, g, w, bias, lo, hi, y, oh, 0, g.outW());
                }
            }
        });
    }

    // output pixels [owFrom, owTo) of one row, any filter size, borders checked per pixel
    private static void pixels(float[] x, int n, int C, Padding.Geometry g, float[] w, float[] bias, float lo, float hi,
                               float[] y, int oh, int owFrom, int owTo) {
        int k = g.k();
        int ih0 = oh * g.stride() - g.padTop();
        int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
        for (int ow = owFrom; ow < owTo; ow++) {
            int iw0 = ow * g.stride() - g.padLeft();
            int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
            int out = ((n * g.outH() + oh) * g.outW() + ow) * C;
            for (int c = 0; c < C; c += V) {
                VectorMask<Float> m = S.indexInRange(c, C);
                FloatVector acc = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c, m);
                for (int kh = khLo; kh < khHi; kh++) {
                    int xi = ((n * g.inH() + ih0 + kh) * g.inW() + iw0) * C + c, wi = kh * k * C + c;
                    for (int kw = kwLo; kw < kwHi; kw++) {
                        acc = FloatVector.fromArray(S, x, xi + kw * C, m).fma(FloatVector.fromArray(S, w, wi + kw * C, m), acc);
                    }
                }
                acc.max(lo).min(hi).intoArray(y, out + c, m);
            }
        }
    }

    // 3×3, all rows and columns inside the image: four output pixels per step share each weight vector
    private static void interiorRow3x3(float[] x, int n, int C, Padding.Geometry g, float[] w, float[] bias, float lo,
                                       float hi, float[] y, int oh, int owFrom, int owTo) {
        int s = g.stride();
        int row0 = (n * g.inH() + oh * s - g.padTop()) * g.inW(), rowStep = g.inW() * C;
        int outRow = (n * g.outH() + oh) * g.outW();
        for (int c = 0; c < C; c += V) {
            int ow = owFrom;
            for (; c + V <= C && ow + 4 <= owTo; ow += 4) {           // a partial vector of channels goes one by one
                block4(x, (row0 + ow * s - g.padLeft()) * C + c, s * C, rowStep, C, c, w, bias, lo, hi, y, (outRow + ow) * C + c);
            }
            for (; ow < owTo; ow++) {
                block1(x, (row0 + ow * s - g.padLeft()) * C + c, rowStep, C, c, w, bias, lo, hi, y, (outRow + ow) * C + c);
            }
        }
    }

    // four output pixels p apart (p = stride·C), channels [c, c+V) all inside C: y = clamp(b + Σ x·w)
    private static void block4(float[] x, int xi, int p, int rowStep, int C, int c, float[] w, float[] bias, float lo,
                               float hi, float[] y, int out) {
        FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c), a1 = a0, a2 = a0, a3 = a0;
        for (int kh = 0, wi = c; kh < 3; kh++, xi += rowStep, wi += 3 * C) {
            for (int kw = 0; kw < 3; kw++) {
                FloatVector wv = FloatVector.fromArray(S, w, wi + kw * C);
                int xk = xi + kw * C;
                a0 = FloatVector.fromArray(S, x, xk).fma(wv, a0);
                a1 = FloatVector.fromArray(S, x, xk + p).fma(wv, a1);
                a2 = FloatVector.fromArray(S, x, xk + 2 * p).fma(wv, a2);
                a3 = FloatVector.fromArray(S, x, xk + 3 * p).fma(wv, a3);
            }
        }
        a0.max(lo).min(hi).intoArray(y, out);
        a1.max(lo).min(hi).intoArray(y, out + C);
        a2.max(lo).min(hi).intoArray(y, out + 2 * C);
        a3.max(lo).min(hi).intoArray(y, out + 3 * C);
    }

    private static void block1(float[] x, int xi, int rowStep, int C, int c, float[] w, float[] bias, float lo, float hi,
                               float[] y, int out) {
        VectorMask<Float> m = S.indexInRange(c, C);
        FloatVector a = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c, m);
        for (int kh = 0, wi = c; kh < 3; kh++, xi += rowStep, wi += 3 * C) {
            for (int kw = 0; kw < 3; kw++) a = FloatVector.fromArray(S, x, xi + kw * C, m).fma(FloatVector.fromArray(S, w, wi + kw * C, m), a);
        }
        a.max(lo).min(hi).intoArray(y, out, m);
    }

    /** Reference input gradient: dx (N,H,W,C) = Σ dy·w over the outputs each input pixel feeds. */
    public static void backwardInputReference(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        int k = g.k();
        java.util.Arrays.fill(dx, 0, N * g.inH() * g.inW() * C, 0f);
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < g.outH(); oh++)
                for (int ow = 0; ow < g.outW(); ow++)
                    for (int kh = 0; kh < k; kh++) {
                        int ih = oh * g.stride() - g.padTop() + kh;
                        if (ih < 0 || ih >= g.inH()) continue;
                        for (int kw = 0; kw < k; kw++) {
                            int iw = ow * g.stride() - g.padLeft() + kw;
                            if (iw < 0 || iw >= g.inW()) continue;
                            for (int c = 0; c < C; c++) {
                                dx[((n * g.inH() + ih) * g.inW() + iw) * C + c] +=
                                        dy[((n * g.outH() + oh) * g.outW() + ow) * C + c] * w[(kh * k + kw) * C + c];
                            }
                        }
                    }
    }

    /**
     * Vector API input gradient; overwrites dx. At stride 1 it is a forward pass over dy with the filter turned
     * 180° and the padding mirrored (k − 1 − pad); otherwise it is gathered per input row, so tasks never write the
     * same pixel.
     */
    public static void backwardInput(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        int k = g.k(), s = g.stride();
        if (s == 1) {
            float[] turned = new float[k * k * C];
            for (int t = 0; t < k * k; t++) System.arraycopy(w, (k * k - 1 - t) * C, turned, t * C, C);
            Padding.Geometry back = new Padding.Geometry(g.outH(), g.outW(), g.inH(), g.inW(), k, 1, k - 1 - g.padTop(), k - 1 - g.padLeft());
            forward(dy, N, C, back, turned, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, dx);
            return;
        }
        Parallel.range(N * g.inH(), 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int n = r / g.inH(), ih = r % g.inH();
                for (int iw = 0; iw < g.inW(); iw++) {
                    int xi = ((n * g.inH() + ih) * g.inW() + iw) * C;
                    for (int c = 0; c < C; c += V) {
                        VectorMask<Float> m = S.indexInRange(c, C);
                        FloatVector acc = FloatVector.zero(S);
                        for (int kh = 0; kh < k; kh++) {
                            int t = ih + g.padTop() - kh;                       // = oh * s
                            if (t < 0 || t % s != 0 || t / s >= g.outH()) continue;
                            int oh = t / s;
                            for (int kw = 0; kw < k; kw++) {
                                int u = iw + g.padLeft() - kw;
                                if (u < 0 || u % s != 0 || u / s >= g.outW()) continue;
                                int yi = ((n * g.outH() + oh) * g.outW() + u / s) * C + c;
                                acc = FloatVector.fromArray(S, dy, yi, m).fma(FloatVector.fromArray(S, w, (kh * k + kw) * C + c, m), acc);
                            }
                        }
                        acc.intoArray(dx, xi + c, m);
                    }
                }
            }
        });
    }

    /** Reference weight gradient: dw (k,k,C) += Σ over n, oh, ow of x·dy. */
    public static void backwardWeightReference(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
        int k = g.k();
        for (int n = 0; n < N; n++)
            for (int oh = 0; oh < g.outH(); oh++)
                for (int ow = 0; ow < g.outW(); ow++)
                    for (int kh = 0; kh < k; kh++) {
                        int ih = oh * g.stride() - g.padTop() + kh;
                        if (ih < 0 || ih >= g.inH()) continue;
                        for (int kw = 0; kw < k; kw++) {
                            int iw = ow * g.stride() - g.padLeft() + kw;
                            if (iw < 0 || iw >= g.inW()) continue;
                            for (int c = 0; c < C; c++) {
                                dw[(kh * k + kw) * C + c] += x[((n * g.inH() + ih) * g.inW() + iw) * C + c]
                                        * dy[((n * g.outH() + oh) * g.outW() + ow) * C + c];
                            }
                        }
                    }
    }

    /** Vector API weight gradient: each task sums its rows into a private buffer, then adds it to dw. */
    public static void backwardWeight(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
        int k = g.k();
        Parallel.range(N * g.outH(), 8, (from, to) -> {
            float[] part = new float[k * k * C];
            for (int r = from; r < to; r++) {
                int n = r / g.outH(), oh = r % g.outH();
                int ih0 = oh * g.stride() - g.padTop();
                int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * g.stride() - g.padLeft();
                    int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
                    int yi = ((n * g.outH() + oh) * g.outW() + ow) * C;
                    for (int c = 0; c < C; c += V) {
                        VectorMask<Float> m = S.indexInRange(c, C);
                        FloatVector d = FloatVector.fromArray(S, dy, yi + c, m);
                        for (int kh = khLo; kh < khHi; kh++) {
                            int xi = ((n * g.inH() + ih0 + kh) * g.inW() + iw0) * C + c;
                            for (int kw = kwLo; kw < kwHi; kw++) {
                                int wi = (kh * k + kw) * C + c;
                                FloatVector.fromArray(S, x, xi + kw * C, m).fma(d, FloatVector.fromArray(S, part, wi, m)).intoArray(part, wi, m);
                            }
                        }
                    }
                }
            }
            synchronized (dw) {
                for (int i = 0; i < part.length; i++) dw[i] += part[i];
            }
        });
    }
}
