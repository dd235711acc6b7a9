package dev.litenet.tensor;

import java.util.Arrays;

/**
 * Depthwise k×k convolution in NHWC: every channel has its own filter, so the channel dimension is the
 * vector dimension. Weights are {@code [kh][kw][C]}. Forward takes an optional per-channel bias and clamps
 * the result to {@code [lo, hi]} (ReLU6 folded in at inference; ±∞ for none). Each entry runs the Vector API
 * kernel ({@link DepthwiseSimd}) when {@link Simd#ENABLED}, else a scalar one here (forward: as {@link Simd} decides,
 * the two give the same bits); the {@code *Reference} methods are the specification both are tested against.
 */
public final class Depthwise {
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
     * Forward, x (N,H,W,C), w (k,k,C) -> y (N,outH,outW,C) = clamp(bias + Σ x·w); a fused block passes the band of
     * rows it holds as N = 1.
     */
    public static void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] bias,
                               float lo, float hi, float[] y) {
        if (Simd.vectorFor(2L * N * g.outH() * g.outW() * C * g.k() * g.k())) DepthwiseSimd.forward(x, N, C, g, w, bias, lo, hi, y);
        else forwardScalar(x, N, C, g, w, bias, lo, hi, y);
    }

    // as forward, and to the same bits (the bias, then an fma a tap in the same order): one output row per task.
    // Each output pixel is summed in a buffer over its taps inside the image, the input pixel copied first and the
    // weights held per tap: buffer, pixel and tap weights then share one index, a loop HotSpot vectorizes by itself
    // (arrays read at different offsets it leaves scalar). The copies live in this thread's Scratch.
    static void forwardScalar(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] bias,
                              float lo, float hi, float[] y) {
        int k = g.k(), rows = N * g.outH();
        float[][] taps = TAPS.get();
        if (taps.length < k * k) TAPS.set(taps = new float[k * k][]);
        for (int t = 0; t < k * k; t++) {
            taps[t] = Scratch.floats(C);
            System.arraycopy(w, t * C, taps[t], 0, C);
        }
        if (Parallel.serial(rows, 4)) forwardScalarRows(0, rows, x, C, g, taps, bias, lo, hi, y);
        else Parallel.range(rows, 4, Parallel.call(Depthwise::forwardScalarRows).objects(x, g, taps, bias, y).ints(C, 0, 0, 0).floats(lo, hi));
        for (int t = 0; t < k * k; t++) {
            Scratch.release(taps[t]);
            taps[t] = null;
        }
    }

    /** The per-tap copies of the weights of forwardScalar's call in progress on this thread. */
    private static final ThreadLocal<float[][]> TAPS = ThreadLocal.withInitial(() -> new float[9][]);

    // forwardScalarRows with the operands of forwardScalar's call
    private static void forwardScalarRows(Parallel.Call c, int from, int to) {
        forwardScalarRows(from, to, (float[]) c.o0, c.i0, (Padding.Geometry) c.o1, (float[][]) c.o2, (float[]) c.o3, c.f0, c.f1, (float[]) c.o4);
    }

    // output rows [from, to) of forwardScalar (row r is image r / outH, row r % outH)
    private static void forwardScalarRows(int from, int to, float[] x, int C, Padding.Geometry g, float[][] taps, float[] bias,
                                          float lo, float hi, float[] y) {
        int k = g.k(), s = g.stride();
        float[] acc = Scratch.floats(C), pixel = Scratch.floats(C);
        for (int r = from; r < to; r++) {
            int n = r / g.outH(), oh = r % g.outH(), ih0 = oh * s - g.padTop();
            int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
            for (int ow = 0; ow < g.outW(); ow++) {
                int iw0 = ow * s - g.padLeft();
                int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
                if (bias == null) Arrays.fill(acc, 0f);
                else System.arraycopy(bias, 0, acc, 0, C);
                for (int kh = khLo; kh < khHi; kh++) {
                    for (int kw = kwLo; kw < kwHi; kw++) {
                        System.arraycopy(x, ((n * g.inH() + ih0 + kh) * g.inW() + iw0 + kw) * C, pixel, 0, C);
                        float[] tap = taps[kh * k + kw];
                        for (int c = 0; c < C; c++) acc[c] = Math.fma(pixel[c], tap[c], acc[c]);
                    }
                }
                for (int c = 0; c < C; c++) acc[c] = Math.min(hi, Math.max(lo, acc[c]));
                System.arraycopy(acc, 0, y, ((n * g.outH() + oh) * g.outW() + ow) * C, C);
            }
        }
        Scratch.release(acc);
        Scratch.release(pixel);
    }

    /** Reference input gradient: dx (N,H,W,C) = Σ dy·w over the outputs each input pixel feeds. */
    public static void backwardInputReference(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        int k = g.k();
        Arrays.fill(dx, 0, N * g.inH() * g.inW() * C, 0f);
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

    /** Input gradient, dy (N,outH,outW,C), w (k,k,C) -> dx (N,H,W,C); overwrites dx. */
    public static void backwardInput(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        if (Simd.ENABLED) DepthwiseSimd.backwardInput(dy, N, C, g, w, dx);
        else backwardInputScalar(dy, N, C, g, w, dx);
    }

    // as backwardInput: each input pixel gathers dy·w from the taps that reach it (oh·s = ih + padTop − kh, the
    // same for columns), one input row per task, so tasks never write the same pixel
    static void backwardInputScalar(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        int k = g.k(), s = g.stride();
        Parallel.range(N * g.inH(), 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int n = r / g.inH(), ih = r % g.inH();
                for (int iw = 0; iw < g.inW(); iw++) {
                    int xi = ((n * g.inH() + ih) * g.inW() + iw) * C;
                    Arrays.fill(dx, xi, xi + C, 0f);
                    for (int kh = 0; kh < k; kh++) {
                        int t = ih + g.padTop() - kh;
                        if (t < 0 || t % s != 0 || t / s >= g.outH()) continue;
                        for (int kw = 0; kw < k; kw++) {
                            int u = iw + g.padLeft() - kw;
                            if (u < 0 || u % s != 0 || u / s >= g.outW()) continue;
                            int yi = ((n * g.outH() + t / s) * g.outW() + u / s) * C, wi = (kh * k + kw) * C;
                            for (int c = 0; c < C; c++) dx[xi + c] += dy[yi + c] * w[wi + c];
                        }
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

    /** Weight gradient, x (N,H,W,C), dy (N,outH,outW,C) -> dw (k,k,C) += Σ x·dy. */
    public static void backwardWeight(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
        if (Simd.ENABLED) DepthwiseSimd.backwardWeight(x, dy, N, C, g, dw);
        else backwardWeightScalar(x, dy, N, C, g, dw);
    }

    // as backwardWeight: each task sums its output rows into a private buffer, then adds it to dw
    static void backwardWeightScalar(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
        int k = g.k(), s = g.stride();
        Parallel.range(N * g.outH(), 8, (from, to) -> {
            float[] part = new float[k * k * C];
            for (int r = from; r < to; r++) {
                int n = r / g.outH(), oh = r % g.outH(), ih0 = oh * s - g.padTop();
                int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
                for (int ow = 0; ow < g.outW(); ow++) {
                    int iw0 = ow * s - g.padLeft();
                    int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
                    int yi = ((n * g.outH() + oh) * g.outW() + ow) * C;
                    for (int kh = khLo; kh < khHi; kh++) {
                        for (int kw = kwLo; kw < kwHi; kw++) {
                            int xi = ((n * g.inH() + ih0 + kh) * g.inW() + iw0 + kw) * C, wi = (kh * k + kw) * C;
                            for (int c = 0; c < C; c++) part[wi + c] += x[xi + c] * dy[yi + c];
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
