package dev.litenet.tensor;

import dev.litenet.tensor.Gemm.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A convolution of an input with few channels (a network's stem: 3×3 over the RGB image) straight from the image,
 * without unfolding it: y (N,outH,outW,out) = epilogue(conv(x (N,H,W,C), w)), w stored as
 * {@code [kh][kw][cin][cout]}. Unfolding a 224 × 224 × 3 image into 12,544 rows of 27 values takes about twice as
 * long as the GEMM after it. Each output is summed exactly as {@link Gemm} sums the unfolded row: from zero, an
 * {@code fma} per (kh, kw, c) in that order, a tap outside the image adding 0 × w, then the epilogue, so the
 * result has the same bits as {@link Im2col#unfold} followed by {@link Gemm#multiply} (its reference). Four pixels
 * of a row at a time, two vectors of output channels, where every tap is inside the image; one pixel at a time
 * elsewhere. Output channels must be a multiple of two vectors ({@link #fits}).
 */
final class DirectConvSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();

    private DirectConvSimd() {}

    /** Whether this kernel takes a convolution with {@code out} output channels. */
    static boolean fits(int out) { return out % (2 * V) == 0; }

    static void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, int out, Epilogue e, float[] y) {
        int rows = N * g.outH();
        if (Parallel.serial(rows, 4)) rows(0, rows, x, C, g, w, out, e, y);
        else Parallel.range(rows, 4, Parallel.call(DirectConvSimd::rows).objects(x, g, w, e, y).ints(C, out, 0, 0));
    }

    // rows with the operands of forward's call
    private static void rows(Parallel.Call c, int from, int to) {
        rows(from, to, (float[]) c.o0, c.i0, (Padding.Geometry) c.o1, (float[]) c.o2, c.i1, (Epilogue) c.o3, (float[]) c.o4);
    }

    // output rows [from, to) of the batch
    private static void rows(int from, int to, float[] x, int C, Padding.Geometry g, float[] w, int out, Epilogue e, float[] y) {
        int k = g.k(), s = g.stride();
        int owLo = Math.min(g.outW(), (g.padLeft() + s - 1) / s);
        int owHi = Math.max(owLo, Math.min(g.outW(), Math.floorDiv(g.inW() - k + g.padLeft(), s) + 1));
        for (int r = from; r < to; r++) {
            int n = r / g.outH(), oh = r % g.outH(), ih0 = oh * s - g.padTop();
            boolean rowInside = ih0 >= 0 && ih0 + k <= g.inH();
            for (int j = 0; j < out; j += 2 * V) {
                int o = 0;
                if (rowInside) {
                    for (; o < owLo; o++) pixel(x, n, C, g, w, out, e, y, oh, o, j);
                    for (; o + 4 <= owHi; o += 4) four(x, n, C, g, w, out, e, y, oh, o, j);
                }
                for (; o < g.outW(); o++) pixel(x, n, C, g, w, out, e, y, oh, o, j);
            }
        }
    }

    // output pixels [ow, ow + 4) of row oh, channels [j, j + 2V): every tap inside the image
    private static void four(float[] x, int n, int C, Padding.Geometry g, float[] w, int out, Epilogue e, float[] y,
                             int oh, int ow, int j) {
        int k = g.k(), s = g.stride(), step = s * C;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int wi = j;
        for (int kh = 0; kh < k; kh++) {
            int xi = ((n * g.inH() + oh * s - g.padTop() + kh) * g.inW() + ow * s - g.padLeft()) * C;
            for (int t = 0; t < k * C; t++, xi++, wi += out) {     // (kw, c) in order: contiguous in a row of x
                FloatVector w0 = FloatVector.fromArray(S, w, wi), w1 = FloatVector.fromArray(S, w, wi + V);
                FloatVector v = FloatVector.broadcast(S, x[xi]);
                a0 = v.fma(w0, a0); a1 = v.fma(w1, a1);
                v = FloatVector.broadcast(S, x[xi + step]);
                b0 = v.fma(w0, b0); b1 = v.fma(w1, b1);
                v = FloatVector.broadcast(S, x[xi + 2 * step]);
                c0 = v.fma(w0, c0); c1 = v.fma(w1, c1);
                v = FloatVector.broadcast(S, x[xi + 3 * step]);
                d0 = v.fma(w0, d0); d1 = v.fma(w1, d1);
            }
        }
        // the epilogue written out here: vector values handed to a helper method would not stay in registers
        FloatVector bias0 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j);
        FloatVector bias1 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j + V);
        float lo = e.lo(), hi = e.hi();
        int yi = ((n * g.outH() + oh) * g.outW() + ow) * out + j;
        a0.add(bias0).max(lo).min(hi).intoArray(y, yi); a1.add(bias1).max(lo).min(hi).intoArray(y, yi + V);
        yi += out;
        b0.add(bias0).max(lo).min(hi).intoArray(y, yi); b1.add(bias1).max(lo).min(hi).intoArray(y, yi + V);
        yi += out;
        c0.add(bias0).max(lo).min(hi).intoArray(y, yi); c1.add(bias1).max(lo).min(hi).intoArray(y, yi + V);
        yi += out;
        d0.add(bias0).max(lo).min(hi).intoArray(y, yi); d1.add(bias1).max(lo).min(hi).intoArray(y, yi + V);
    }

    // output pixel (oh, ow), channels [j, j + 2V); a tap outside the image adds 0 × w, as the unfolded zeros do
    private static void pixel(float[] x, int n, int C, Padding.Geometry g, float[] w, int out, Epilogue e, float[] y,
                              int oh, int ow, int j) {
        int k = g.k(), s = g.stride();
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int wi = j;
        for (int kh = 0; kh < k; kh++) {
            int ih = oh * s - g.padTop() + kh;
            for (int kw = 0; kw < k; kw++) {
                int iw = ow * s - g.padLeft() + kw;
                boolean inside = ih >= 0 && ih < g.inH() && iw >= 0 && iw < g.inW();
                int xi = ((n * g.inH() + ih) * g.inW() + iw) * C;
                for (int c = 0; c < C; c++, wi += out) {
                    FloatVector v = FloatVector.broadcast(S, inside ? x[xi + c] : 0f);
                    a0 = v.fma(FloatVector.fromArray(S, w, wi), a0);
                    a1 = v.fma(FloatVector.fromArray(S, w, wi + V), a1);
                }
            }
        }
        FloatVector bias0 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j);
        FloatVector bias1 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j + V);
        int yi = ((n * g.outH() + oh) * g.outW() + ow) * out + j;
        a0.add(bias0).max(e.lo()).min(e.hi()).intoArray(y, yi);
        a1.add(bias1).max(e.lo()).min(e.hi()).intoArray(y, yi + V);
    }
}
