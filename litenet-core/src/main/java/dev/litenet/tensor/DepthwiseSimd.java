package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernels behind {@link Depthwise} (NHWC, channels as the vector dimension, weights {@code [kh][kw][C]}).
 * Loaded only when {@link Simd#ENABLED}; the {@code *Reference} methods of {@link Depthwise} are their specification.
 */
final class DepthwiseSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private DepthwiseSimd() {}

    /**
     * Vector API forward, x (N,H,W,C), w (k,k,C) -> y (N,outH,outW,C) = clamp(bias + Σ x·w), one output row per
     * task. The filter (3×3 and 5×5 alike) slides over four output pixels at a time wherever its columns are inside
     * the image, over the filter rows that are (all k but near the first and last rows), so each weight vector is
     * loaded once for four pixels; the few pixels at the left and right borders take the per-pixel path. Every output
     * is the bias, then an fma a tap in the order (kh, kw), the taps outside the image skipped, as in
     * {@link Depthwise#forwardScalar}. Channels run in whole vectors only: when C is not a multiple of V the last
     * vector ends at channel C and overlaps the one before, whose channels it computes again to the same bits (no
     * masked operation: see {@link GemmSimd}); fewer than V channels run the scalar kernel.
     */
    static void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, float[] bias,
                        float lo, float hi, float[] y) {
        if (C < V) {
            Depthwise.forwardScalar(x, N, C, g, w, bias, lo, hi, y);
            return;
        }
        int rows = N * g.outH();
        if (Parallel.serial(rows, 4)) forwardRows(0, rows, x, C, g, w, bias, lo, hi, y);
        else Parallel.range(rows, 4, Parallel.call(DepthwiseSimd::forwardRows).objects(x, g, w, bias, y).ints(C, 0, 0, 0).floats(lo, hi));
    }

    // forwardRows with the operands of forward's call
    private static void forwardRows(Parallel.Call c, int from, int to) {
        forwardRows(from, to, (float[]) c.o0, c.i0, (Padding.Geometry) c.o1, (float[]) c.o2, (float[]) c.o3, c.f0, c.f1, (float[]) c.o4);
    }

    // output rows [from, to) of the batch (row r is image r / outH, row r % outH)
    private static void forwardRows(int from, int to, float[] x, int C, Padding.Geometry g, float[] w, float[] bias,
                                    float lo, float hi, float[] y) {
        int k = g.k(), s = g.stride();
        // output columns [owLo, owHi) read only columns inside the image
        int owLo = Math.min(g.outW(), (g.padLeft() + s - 1) / s);
        int owHi = Math.max(owLo, Math.min(g.outW(), Math.floorDiv(g.inW() - k + g.padLeft(), s) + 1));
        for (int r = from; r < to; r++) {
            int n = r / g.outH(), oh = r % g.outH();
            pixels(x, n, C, g, w, bias, lo, hi, y, oh, 0, owLo);
            interiorRow(x, n, C, g, w, bias, lo, hi, y, oh, owLo, owHi);
            pixels(x, n, C, g, w, bias, lo, hi, y, oh, owHi, g.outW());
        }
    }

    /** The first channel of the vector after the one at c: c + V, or C − V when a whole vector no longer fits (C ≥ V). */
    private static int nextVector(int c, int C) { return c + V < C && c + 2 * V > C ? C - V : c + V; }

    // output pixels [owFrom, owTo) of one row, any filter size, borders checked per pixel; four vectors of channels
    // at a time, then one at a time (the last one ending at C)
    private static void pixels(float[] x, int n, int C, Padding.Geometry g, float[] w, float[] bias, float lo, float hi,
                               float[] y, int oh, int owFrom, int owTo) {
        int k = g.k();
        int ih0 = oh * g.stride() - g.padTop();
        int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
        for (int ow = owFrom; ow < owTo; ow++) {
            int iw0 = ow * g.stride() - g.padLeft();
            int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
            int out = ((n * g.outH() + oh) * g.outW() + ow) * C;
            int c = 0;
            for (; c + 4 * V <= C; c += 4 * V) {                        // four independent sums: no waiting on one fma
                FloatVector a0 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
                FloatVector a1 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c + V);
                FloatVector a2 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c + 2 * V);
                FloatVector a3 = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c + 3 * V);
                for (int kh = khLo; kh < khHi; kh++) {
                    int xi = ((n * g.inH() + ih0 + kh) * g.inW() + iw0) * C + c, wi = kh * k * C + c;
                    for (int kw = kwLo; kw < kwHi; kw++) {
                        int xk = xi + kw * C, wk = wi + kw * C;
                        a0 = FloatVector.fromArray(S, x, xk).fma(FloatVector.fromArray(S, w, wk), a0);
                        a1 = FloatVector.fromArray(S, x, xk + V).fma(FloatVector.fromArray(S, w, wk + V), a1);
                        a2 = FloatVector.fromArray(S, x, xk + 2 * V).fma(FloatVector.fromArray(S, w, wk + 2 * V), a2);
                        a3 = FloatVector.fromArray(S, x, xk + 3 * V).fma(FloatVector.fromArray(S, w, wk + 3 * V), a3);
                    }
                }
                a0.max(lo).min(hi).intoArray(y, out + c);
                a1.max(lo).min(hi).intoArray(y, out + c + V);
                a2.max(lo).min(hi).intoArray(y, out + c + 2 * V);
                a3.max(lo).min(hi).intoArray(y, out + c + 3 * V);
            }
            if (c < C && c + V > C) c = C - V;                          // overlaps the four just done
            for (; c < C; c = nextVector(c, C)) {
                FloatVector acc = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
                for (int kh = khLo; kh < khHi; kh++) {
                    int xi = ((n * g.inH() + ih0 + kh) * g.inW() + iw0) * C + c, wi = kh * k * C + c;
                    for (int kw = kwLo; kw < kwHi; kw++) {
                        acc = FloatVector.fromArray(S, x, xi + kw * C).fma(FloatVector.fromArray(S, w, wi + kw * C), acc);
                    }
                }
                acc.max(lo).min(hi).intoArray(y, out + c);
            }
        }
    }

    // columns inside the image, filter rows [khLo, khHi) inside it: four output pixels per step share each weight
    // vector
    private static void interiorRow(float[] x, int n, int C, Padding.Geometry g, float[] w, float[] bias, float lo,
                                    float hi, float[] y, int oh, int owFrom, int owTo) {
        int k = g.k(), s = g.stride(), ih0 = oh * s - g.padTop();
        int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
        int row0 = (n * g.inH() + ih0 + khLo) * g.inW(), rowStep = g.inW() * C;
        int outRow = (n * g.outH() + oh) * g.outW();
        for (int c = 0; c < C; c = nextVector(c, C)) {
            int ow = k == 3 ? blocks3x3(x, row0 - g.padLeft(), s, rowStep, C, c, w, khLo, khHi, bias, lo, hi, y, outRow, owFrom, owTo)
                    : blocks(x, row0 - g.padLeft(), s, rowStep, C, c, w, k, khLo, khHi, bias, lo, hi, y, outRow, owFrom, owTo);
            for (; ow < owTo; ow++) {                                   // the rest, fewer than four
                block1(x, (row0 + ow * s - g.padLeft()) * C + c, rowStep, C, c, w, k, khLo, khHi, bias, lo, hi, y, (outRow + ow) * C + c);
            }
        }
    }

    // output pixels [owFrom, owTo) of a row four at a time, channels [c, c+V) all inside C:
    // y = clamp(b + Σ x·w) over filter rows [khLo, khHi) of a k×k filter, each weight vector shared by the pixels;
    // returns where it stopped (fewer than four pixels left)
    private static int blocks(float[] x, int xPixel0, int s, int rowStep, int C, int c, float[] w, int k, int khLo, int khHi,
                              float[] bias, float lo, float hi, float[] y, int outRow, int owFrom, int owTo) {
        FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
        int p = s * C, ow = owFrom;
        for (; ow + 4 <= owTo; ow += 4) {
            FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
            int xi = (xPixel0 + ow * s) * C + c;
            for (int kh = khLo, wi = khLo * k * C + c; kh < khHi; kh++, xi += rowStep, wi += k * C) {
                for (int kw = 0; kw < k; kw++) {
                    FloatVector wv = FloatVector.fromArray(S, w, wi + kw * C);
                    int xk = xi + kw * C;
                    a0 = FloatVector.fromArray(S, x, xk).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, x, xk + p).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, x, xk + 2 * p).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, x, xk + 3 * p).fma(wv, a3);
                }
            }
            int out = (outRow + ow) * C + c;
            a0.max(lo).min(hi).intoArray(y, out);
            a1.max(lo).min(hi).intoArray(y, out + C);
            a2.max(lo).min(hi).intoArray(y, out + 2 * C);
            a3.max(lo).min(hi).intoArray(y, out + 3 * C);
        }
        return ow;
    }

    // as blocks, for a 3×3 filter: with the tap loop's length fixed the compiler unrolls it (in a rough
    // measurement 10-20 % faster than blocks with k = 3)
    private static int blocks3x3(float[] x, int xPixel0, int s, int rowStep, int C, int c, float[] w, int khLo, int khHi,
                              float[] bias, float lo, float hi, float[] y, int outRow, int owFrom, int owTo) {
        FloatVector b = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
        int p = s * C, ow = owFrom;
        for (; ow + 4 <= owTo; ow += 4) {
            FloatVector a0 = b, a1 = b, a2 = b, a3 = b;
            int xi = (xPixel0 + ow * s) * C + c;
            for (int kh = khLo, wi = khLo * 3 * C + c; kh < khHi; kh++, xi += rowStep, wi += 3 * C) {
                for (int kw = 0; kw < 3; kw++) {
                    FloatVector wv = FloatVector.fromArray(S, w, wi + kw * C);
                    int xk = xi + kw * C;
                    a0 = FloatVector.fromArray(S, x, xk).fma(wv, a0);
                    a1 = FloatVector.fromArray(S, x, xk + p).fma(wv, a1);
                    a2 = FloatVector.fromArray(S, x, xk + 2 * p).fma(wv, a2);
                    a3 = FloatVector.fromArray(S, x, xk + 3 * p).fma(wv, a3);
                }
            }
            int out = (outRow + ow) * C + c;
            a0.max(lo).min(hi).intoArray(y, out);
            a1.max(lo).min(hi).intoArray(y, out + C);
            a2.max(lo).min(hi).intoArray(y, out + 2 * C);
            a3.max(lo).min(hi).intoArray(y, out + 3 * C);
        }
        return ow;
    }

    // one output pixel of interiorRow, channels [c, c+V) all inside C
    private static void block1(float[] x, int xi, int rowStep, int C, int c, float[] w, int k, int khLo, int khHi, float[] bias,
                               float lo, float hi, float[] y, int out) {
        FloatVector a = bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, c);
        for (int kh = khLo, wi = khLo * k * C + c; kh < khHi; kh++, xi += rowStep, wi += k * C) {
            for (int kw = 0; kw < k; kw++) a = FloatVector.fromArray(S, x, xi + kw * C).fma(FloatVector.fromArray(S, w, wi + kw * C), a);
        }
        a.max(lo).min(hi).intoArray(y, out);
    }

    /**
     * Vector API input gradient, dy (N,outH,outW,C), w (k,k,C) -> dx (N,H,W,C); overwrites dx. At stride 1 (padding
     * below k) it is a forward pass over dy with the filter turned 180° and the padding mirrored (k − 1 − pad);
     * otherwise it is gathered per input row from the few taps that reach it, so tasks never write the same pixel.
     */
    static void backwardInput(float[] dy, int N, int C, Padding.Geometry g, float[] w, float[] dx) {
        int k = g.k(), s = g.stride();
        if (s == 1 && g.padTop() < k && g.padLeft() < k) {
            float[] turned = new float[k * k * C];
            for (int t = 0; t < k * k; t++) System.arraycopy(w, (k * k - 1 - t) * C, turned, t * C, C);
            Padding.Geometry back = new Padding.Geometry(g.outH(), g.outW(), g.inH(), g.inW(), k, 1, k - 1 - g.padTop(), k - 1 - g.padLeft());
            forward(dy, N, C, back, turned, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, dx);
            return;
        }
        // the taps that reach each input column: (kw, ow) pairs, at most ceil(k / s) of them
        int taps = (k + s - 1) / s;
        int[] kwOf = new int[g.inW() * taps], owOf = new int[g.inW() * taps], count = new int[g.inW()];
        for (int iw = 0; iw < g.inW(); iw++) {
            for (int kw = 0; kw < k; kw++) {
                int u = iw + g.padLeft() - kw;                                 // = ow * s
                if (u >= 0 && u % s == 0 && u / s < g.outW()) {
                    kwOf[iw * taps + count[iw]] = kw;
                    owOf[iw * taps + count[iw]++] = u / s;
                }
            }
        }
        Parallel.range(N * g.inH(), 4, (from, to) -> {
            int[] khOf = new int[taps], ohOf = new int[taps];
            for (int r = from; r < to; r++) {
                int n = r / g.inH(), ih = r % g.inH(), rows = 0;
                for (int kh = 0; kh < k; kh++) {
                    int t = ih + g.padTop() - kh;                               // = oh * s
                    if (t >= 0 && t % s == 0 && t / s < g.outH()) { khOf[rows] = kh; ohOf[rows++] = t / s; }
                }
                for (int iw = 0; iw < g.inW(); iw++) {
                    int xi = ((n * g.inH() + ih) * g.inW() + iw) * C, j0 = iw * taps, j1 = j0 + count[iw];
                    for (int c = 0; c < C; c += V) {
                        VectorMask<Float> m = S.indexInRange(c, C);
                        FloatVector acc = FloatVector.zero(S);
                        for (int i = 0; i < rows; i++) {
                            int yRow = (n * g.outH() + ohOf[i]) * g.outW(), wRow = khOf[i] * k;
                            for (int j = j0; j < j1; j++) {
                                acc = FloatVector.fromArray(S, dy, (yRow + owOf[j]) * C + c, m)
                                        .fma(FloatVector.fromArray(S, w, (wRow + kwOf[j]) * C + c, m), acc);
                            }
                        }
                        acc.intoArray(dx, xi + c, m);
                    }
                }
            }
        });
    }

    /**
     * Vector API weight gradient, x (N,H,W,C), dy (N,outH,outW,C) -> dw (k,k,C) +=: each task sums its rows into a
     * private buffer, then adds it to dw. Away from the borders a 3×3 filter keeps its nine sums in registers along
     * the row, a 5×5 filter the five sums of one filter row at a time; borders and other sizes go per pixel.
     */
    static void backwardWeight(float[] x, float[] dy, int N, int C, Padding.Geometry g, float[] dw) {
        int k = g.k(), s = g.stride();
        int owLo = Math.min(g.outW(), (g.padLeft() + s - 1) / s);
        int owHi = Math.max(owLo, Math.min(g.outW(), Math.floorDiv(g.inW() - k + g.padLeft(), s) + 1));
        int whole = C - C % V;                                                  // channels in whole vectors
        Parallel.range(N * g.outH(), 8, (from, to) -> {
            float[] part = new float[k * k * C];
            for (int r = from; r < to; r++) {
                int n = r / g.outH(), oh = r % g.outH(), ih0 = oh * s - g.padTop();
                if ((k == 3 || k == 5) && ih0 >= 0 && ih0 + k <= g.inH()) {
                    for (int c = 0; c < whole; c += V) {
                        if (k == 3) interiorWeight3x3(x, dy, n, oh, C, c, g, owLo, owHi, part);
                        else interiorWeight5x5(x, dy, n, oh, C, c, g, owLo, owHi, part);
                    }
                    weightPixels(x, dy, n, oh, C, 0, g, 0, owLo, part);
                    weightPixels(x, dy, n, oh, C, whole, g, owLo, owHi, part);
                    weightPixels(x, dy, n, oh, C, 0, g, owHi, g.outW(), part);
                } else {
                    weightPixels(x, dy, n, oh, C, 0, g, 0, g.outW(), part);
                }
            }
            synchronized (dw) {
                for (int i = 0; i < part.length; i++) dw[i] += part[i];
            }
        });
    }

    // part (3,3,C) += Σ x·dy over output pixels [owLo, owHi) of one row, channels [c, c+V): nine sums in registers
    private static void interiorWeight3x3(float[] x, float[] dy, int n, int oh, int C, int c, Padding.Geometry g,
                                          int owLo, int owHi, float[] part) {
        int s = g.stride(), rowStep = g.inW() * C;
        int xRow = ((n * g.inH() + oh * s - g.padTop()) * g.inW() - g.padLeft()) * C + c;
        int yRow = (n * g.outH() + oh) * g.outW() * C + c;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00, a20 = a00, a21 = a00, a22 = a00;
        for (int ow = owLo; ow < owHi; ow++) {
            FloatVector d = FloatVector.fromArray(S, dy, yRow + ow * C);
            int xi = xRow + ow * s * C;
            a00 = FloatVector.fromArray(S, x, xi).fma(d, a00);
            a01 = FloatVector.fromArray(S, x, xi + C).fma(d, a01);
            a02 = FloatVector.fromArray(S, x, xi + 2 * C).fma(d, a02);
            xi += rowStep;
            a10 = FloatVector.fromArray(S, x, xi).fma(d, a10);
            a11 = FloatVector.fromArray(S, x, xi + C).fma(d, a11);
            a12 = FloatVector.fromArray(S, x, xi + 2 * C).fma(d, a12);
            xi += rowStep;
            a20 = FloatVector.fromArray(S, x, xi).fma(d, a20);
            a21 = FloatVector.fromArray(S, x, xi + C).fma(d, a21);
            a22 = FloatVector.fromArray(S, x, xi + 2 * C).fma(d, a22);
        }
        a00.add(FloatVector.fromArray(S, part, c)).intoArray(part, c);
        a01.add(FloatVector.fromArray(S, part, C + c)).intoArray(part, C + c);
        a02.add(FloatVector.fromArray(S, part, 2 * C + c)).intoArray(part, 2 * C + c);
        a10.add(FloatVector.fromArray(S, part, 3 * C + c)).intoArray(part, 3 * C + c);
        a11.add(FloatVector.fromArray(S, part, 4 * C + c)).intoArray(part, 4 * C + c);
        a12.add(FloatVector.fromArray(S, part, 5 * C + c)).intoArray(part, 5 * C + c);
        a20.add(FloatVector.fromArray(S, part, 6 * C + c)).intoArray(part, 6 * C + c);
        a21.add(FloatVector.fromArray(S, part, 7 * C + c)).intoArray(part, 7 * C + c);
        a22.add(FloatVector.fromArray(S, part, 8 * C + c)).intoArray(part, 8 * C + c);
    }

    // part (5,5,C) += Σ x·dy over output pixels [owLo, owHi) of one row, channels [c, c+V): one filter row at a time,
    // its five sums in registers
    private static void interiorWeight5x5(float[] x, float[] dy, int n, int oh, int C, int c, Padding.Geometry g,
                                          int owLo, int owHi, float[] part) {
        int s = g.stride(), rowStep = g.inW() * C;
        int xRow = ((n * g.inH() + oh * s - g.padTop()) * g.inW() - g.padLeft()) * C + c;
        int yRow = (n * g.outH() + oh) * g.outW() * C + c;
        for (int kh = 0; kh < 5; kh++, xRow += rowStep) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
            for (int ow = owLo; ow < owHi; ow++) {
                FloatVector d = FloatVector.fromArray(S, dy, yRow + ow * C);
                int xi = xRow + ow * s * C;
                a0 = FloatVector.fromArray(S, x, xi).fma(d, a0);
                a1 = FloatVector.fromArray(S, x, xi + C).fma(d, a1);
                a2 = FloatVector.fromArray(S, x, xi + 2 * C).fma(d, a2);
                a3 = FloatVector.fromArray(S, x, xi + 3 * C).fma(d, a3);
                a4 = FloatVector.fromArray(S, x, xi + 4 * C).fma(d, a4);
            }
            int wi = kh * 5 * C + c;
            a0.add(FloatVector.fromArray(S, part, wi)).intoArray(part, wi);
            a1.add(FloatVector.fromArray(S, part, wi + C)).intoArray(part, wi + C);
            a2.add(FloatVector.fromArray(S, part, wi + 2 * C)).intoArray(part, wi + 2 * C);
            a3.add(FloatVector.fromArray(S, part, wi + 3 * C)).intoArray(part, wi + 3 * C);
            a4.add(FloatVector.fromArray(S, part, wi + 4 * C)).intoArray(part, wi + 4 * C);
        }
    }

    // part (k,k,C) += Σ x·dy over output pixels [owFrom, owTo) of one row, channels [cFrom, C), taps checked per pixel
    private static void weightPixels(float[] x, float[] dy, int n, int oh, int C, int cFrom, Padding.Geometry g,
                                     int owFrom, int owTo, float[] part) {
        int k = g.k(), ih0 = oh * g.stride() - g.padTop();
        int khLo = Math.max(0, -ih0), khHi = Math.min(k, g.inH() - ih0);
        for (int ow = owFrom; ow < owTo; ow++) {
            int iw0 = ow * g.stride() - g.padLeft();
            int kwLo = Math.max(0, -iw0), kwHi = Math.min(k, g.inW() - iw0);
            int yi = ((n * g.outH() + oh) * g.outW() + ow) * C;
            for (int c = cFrom; c < C; c += V) {
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
}
