package dev.litenet.nn;

import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * Max pooling as torch's {@code MaxPool2d(kernel_size=k, stride=s, padding=p)} (dilation 1, floor mode):
 * {@code out = (in + 2p - k) / s + 1}, padding never wins (it is -inf), the first maximum in scan order wins a
 * tie, and a NaN wins over any number. in (N,H,W,C) -> out (N,outH,outW,C), each channel on its own.
 */
public final class MaxPool2d extends Layer {
    public final int k, stride, pad;
    private int[] savedArgmax;                      // index into x of each output's maximum, when recording
    private int[] savedInputShape;
    private Padding.Geometry last;                  // the last geometry asked for: a forward pass asks the same again

    public MaxPool2d(int k, int stride, int pad) {
        if (k < 1 || stride < 1 || pad < 0) throw new IllegalArgumentException("MaxPool2d needs k, stride >= 1 and pad >= 0");
        if (pad > k / 2) throw new IllegalArgumentException("pad should be at most half of the kernel size (torch's rule), got pad " + pad + " for k " + k);
        this.k = k; this.stride = stride; this.pad = pad;
    }

    public Padding.Geometry geometry(int inH, int inW) {
        Padding.Geometry g = last;                    // a record: safe to share between threads as it is
        if (g == null || g.inH() != inH || g.inW() != inW) last = g = Padding.torch(inH, inW, k, stride, pad);
        return g;
    }

    @Override public Tensor forward(Tensor x) {
        int N = x.dim(0), C = x.dim(3);
        Padding.Geometry g = geometry(x.dim(1), x.dim(2));
        Tensor y = recording ? Tensor.zeros(N, g.outH(), g.outW(), C) : Scratch.uninitialized(N, g.outH(), g.outW(), C);
        int[] argmax = recording ? new int[y.size()] : null;
        int rows = N * g.outH();
        if (Parallel.serial(rows, 4)) rowsForward(x.data, C, g, 0, rows, y.data, argmax);
        else Parallel.range(rows, 4, Parallel.call(MaxPool2d::rowsForward).objects(this, x.data, g, y.data, argmax).ints(C, 0, 0, 0));
        savedArgmax = argmax;
        savedInputShape = recording ? x.shape.clone() : null;
        return y;
    }

    // rowsForward with the operands of forward's split call
    private static void rowsForward(Parallel.Call c, int from, int to) {
        ((MaxPool2d) c.o0).rowsForward((float[]) c.o1, c.i0, (Padding.Geometry) c.o2, from, to, (float[]) c.o3, (int[]) c.o4);
    }

    // output rows [from, to) of the batch
    private void rowsForward(float[] x, int C, Padding.Geometry g, int from, int to, float[] y, int[] argmax) {
        for (int r = from; r < to; r++) rowForward(x, C, g, r / g.outH(), r % g.outH(), y, argmax);
    }

    // one output row (n, oh, all ow, all c)
    private void rowForward(float[] x, int C, Padding.Geometry g, int n, int oh, float[] y, int[] argmax) {
        int h0 = Math.max(0, oh * stride - pad), h1 = Math.min(g.inH(), oh * stride - pad + k);
        for (int ow = 0; ow < g.outW(); ow++) {
            int w0 = Math.max(0, ow * stride - pad), w1 = Math.min(g.inW(), ow * stride - pad + k);
            int out = ((n * g.outH() + oh) * g.outW() + ow) * C;
            for (int c = 0; c < C; c++) {
                float best = Float.NEGATIVE_INFINITY;
                int at = -1;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        int i = ((n * g.inH() + ih) * g.inW() + iw) * C + c;
                        float v = x[i];
                        if (v > best || at < 0 || (v != v && best == best)) { best = v; at = i; }   // v != v: NaN
                    }
                }
                y[out + c] = best;
                if (argmax != null) argmax[out + c] = at;
            }
        }
    }

    /** Each output's gradient goes to the input that was its maximum (summed where windows overlap). */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedArgmax);
        Tensor dx = Tensor.zeros(savedInputShape);
        int N = savedInputShape[0], perImage = dy.size() / N;
        Parallel.range(N, (from, to) -> {                          // windows never cross images: no write races
            for (int i = from * perImage; i < to * perImage; i++) dx.data[savedArgmax[i]] += dy.data[i];
        });
        savedArgmax = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    @Override public String toString() {
        return "MaxPool2d(kernel_size=" + k + ", stride=" + stride + ", padding=" + pad + ", dilation=1, ceil_mode=False)";
    }
}
