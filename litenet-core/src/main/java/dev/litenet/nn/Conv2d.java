package dev.litenet.nn;

import dev.litenet.tensor.Depthwise;
import dev.litenet.tensor.DirectConv;
import dev.litenet.tensor.Gemm;
import dev.litenet.tensor.Im2col;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * 2-D convolution, {@code groups} 1 (dense) or equal to the channel count (depthwise), as torch's
 * {@code Conv2d(in, out, k, stride, padding=(k-1)/2, groups, bias)}; {@link #setPad} gives any other padding p. in (N,H,W,Cin) -> out (N,outH,outW,Cout).
 * The weight is torch's {@code [out, in/groups, k, k]}, stored {@code [k][k][in/groups][out]} so that a dense
 * conv is one GEMM over im2col patches (a 1×1 stride-1 conv needs no patches) and a depthwise conv reads a
 * vector of channels per tap. An optional output clamp lets a folded Conv+BN+ReLU6 run as one kernel.
 */
public final class Conv2d extends Layer {
    public final int in, out, k, stride, groups;
    private Padding padding = Padding.TORCH;
    private int pad = -1;                             // an explicit torch padding; -1: as {@code padding} says
    public final Parameter weight;
    public final Parameter bias;                      // null without bias
    private float lo = Float.NEGATIVE_INFINITY, hi = Float.POSITIVE_INFINITY;
    private Gemm.Epilogue storing, adding;            // bias and clamp as the GEMM's epilogue, made once, not per call
    private Padding.Geometry last;                    // the last geometry asked for: a forward pass asks the same again
    private volatile Padding.Geometry[] bands = new Padding.Geometry[0];
    private boolean inputGradient = true;
    private Tensor savedX;
    private boolean reuseOutput;
    private float[] kept;                             // the last recorded output's buffer, when reused

    public Conv2d(int in, int out, int k, int stride, int groups, boolean bias) {
        if (groups != 1 && !(groups == in && in == out)) throw new IllegalArgumentException("groups must be 1 or in == out");
        this.in = in; this.out = out; this.k = k; this.stride = stride; this.groups = groups;
        this.weight = addParameter("weight", new Parameter(new int[]{out, in / groups, k, k}, new int[]{2, 3, 1, 0}, true));
        this.bias = bias ? addParameter("bias", Parameter.of(true, out)) : null;
        epilogues();
    }

    private void epilogues() {
        float[] b = bias == null ? null : bias.data;
        storing = new Gemm.Epilogue(false, b, lo, hi);
        adding = new Gemm.Epilogue(true, b, lo, hi);
    }

    /** This conv's bias and clamp as a GEMM epilogue that stores into C, or adds to what C holds. */
    public Gemm.Epilogue epilogue(boolean accumulate) { return accumulate ? adding : storing; }

    public boolean depthwise() { return groups > 1; }

    public Padding padding() { return padding; }

    /** Whether backward computes dL/dx; the first layer of a network has no use for it (backward then returns null). */
    public void setInputGradient(boolean on) { inputGradient = on; }

    /**
     * While recording, write each output into the buffer of the one before (the kernels write every element). For
     * a conv whose output only the next layer reads during forward and backward, as in ConvBNReLU: a training step
     * then reuses these buffers instead of leaving them to the garbage collector. An output kept (by a caller or a
     * {@link Trace}) across two recorded forwards is overwritten by the second.
     */
    public void reuseOutputBuffer(boolean on) {
        reuseOutput = on;
        kept = null;
    }

    public void setPadding(Padding padding) { this.padding = padding; this.pad = -1; last = null; bands = new Padding.Geometry[0]; }

    /** Pads p on every side, as torch's {@code Conv2d(..., padding=p)} (the lesson's convs use 0). */
    public void setPad(int p) {
        if (p < 0) throw new IllegalArgumentException("padding must be >= 0, got " + p);
        this.pad = p;
        last = null;
        bands = new Padding.Geometry[0];
    }

    /** Clamps outputs to [lo, hi] (ReLU6 folded in); used by inference-only fused models. */
    public void setClamp(float lo, float hi) {
        this.lo = lo;
        this.hi = hi;
        epilogues();
    }

    public Padding.Geometry geometry(int inH, int inW) {
        Padding.Geometry g = last;                    // a record: safe to share between threads as it is
        if (g != null && g.inH() == inH && g.inW() == inW) return g;
        g = pad >= 0 ? Padding.torch(inH, inW, k, stride, pad) : padding.geometry(inH, inW, k, stride);
        last = g;
        return g;
    }

    /**
     * The geometry of this conv over a band of an image of geometry {@code g}: input rows [i0, i1) held from row 0,
     * giving output rows [o0, o1). Blocks that run over bands of rows ask for the same few bands at every forward
     * pass, so each is made once and remembered.
     */
    public Padding.Geometry band(Padding.Geometry g, int i0, int i1, int o0, int o1) {
        int padTop = i0 - (o0 * g.stride() - g.padTop());
        Padding.Geometry[] known = bands;
        for (Padding.Geometry b : known) {
            if (b.inH() == i1 - i0 && b.outH() == o1 - o0 && b.padTop() == padTop && b.inW() == g.inW() && b.outW() == g.outW()
                    && b.padLeft() == g.padLeft() && b.k() == g.k() && b.stride() == g.stride()) return b;
        }
        Padding.Geometry b = new Padding.Geometry(i1 - i0, g.inW(), o1 - o0, g.outW(), g.k(), g.stride(), padTop, g.padLeft());
        Padding.Geometry[] more = java.util.Arrays.copyOf(known, Math.min(known.length + 1, 32));
        more[more.length - 1] = b;                    // past 32 bands the last one is replaced: still correct, just made again
        bands = more;
        return b;
    }

    @Override public Tensor forward(Tensor x) {
        int N = x.dim(0), C = x.dim(3);
        if (C != in) throw new IllegalArgumentException("Conv2d expects " + in + " channels, got " + x.shapeString());
        Padding.Geometry g = geometry(x.dim(1), x.dim(2));
        Tensor y = !recording ? Scratch.uninitialized(N, g.outH(), g.outW(), out)
                : reuseOutput && kept != null && kept.length == N * g.outH() * g.outW() * out ? new Tensor(kept, N, g.outH(), g.outW(), out)
                : Tensor.zeros(N, g.outH(), g.outW(), out);
        if (recording && reuseOutput) kept = y.data;
        if (depthwise()) {
            Depthwise.forward(x.data, N, C, g, weight.data, bias == null ? null : bias.data, lo, hi, y.data);
        } else if (!recording && !pointwise(g) && DirectConv.runs(in, k, out)) {
            DirectConv.forward(x.data, N, C, g, weight.data, out, storing, y.data);
        } else {
            int M = N * g.outH() * g.outW();
            Tensor cols = pointwise(g) ? x : Scratch.uninitialized(M, k * k * in);
            if (cols != x) Im2col.unfold(x.data, N, C, g, cols.data);
            Gemm.multiply(M, out, k * k * in, cols.data, weight.data, y.data, storing);
            if (cols != x) Scratch.release(cols);
        }
        savedX = recording ? x : null;
        return y;
    }

    /**
     * Inference on part of an image, for blocks that run layer after layer over bands of rows: this 1×1 conv of
     * the M pixels at {@code x[xOff..]} into {@code y[yOff..]}, with bias and clamp, added to what y holds if
     * {@code accumulate}.
     */
    public void pointwiseRows(float[] x, int xOff, int M, float[] y, int yOff, boolean accumulate) {
        if (k != 1 || stride != 1 || depthwise()) throw new IllegalStateException("not a 1x1 conv: " + this);
        Gemm.multiply(M, out, in, x, xOff, in, 1, weight.data, 0, out, y, yOff, out, epilogue(accumulate));
    }

    /** Inference of this depthwise conv over a band of rows held in {@code x}, as the band's geometry says. */
    public void depthwiseRows(float[] x, Padding.Geometry band, float[] y) {
        if (!depthwise()) throw new IllegalStateException("not a depthwise conv: " + this);
        Depthwise.forward(x, 1, in, band, weight.data, bias == null ? null : bias.data, lo, hi, y);
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedX);
        Tensor x = savedX;
        int N = x.dim(0), C = in;
        Padding.Geometry g = geometry(x.dim(1), x.dim(2));
        Tensor dx = inputGradient ? Tensor.zeros(x.shape) : null;
        if (depthwise()) {
            if (weight.trainable()) Depthwise.backwardWeight(x.data, dy.data, N, C, g, weight.grad());
            if (dx != null) Depthwise.backwardInput(dy.data, N, C, g, weight.data, dx.data);
        } else {
            int M = N * g.outH() * g.outW(), rows = k * k * in;
            boolean pw = pointwise(g);
            if (weight.trainable()) {
                float[] cols = pw ? x.data : Im2col.unfold(x.data, N, C, g);
                if (out < 32 && rows >= 64) {
                    // a narrow dW (few output channels): compute dWᵀ = dyᵀ·cols, whose rows are long, then transpose
                    float[] gT = new float[out * rows], dw = weight.grad();
                    Gemm.multiply(out, rows, M, dy.data, 0, 1, out, cols, 0, rows, gT, 0, rows, false);
                    for (int o = 0; o < out; o++) for (int r = 0; r < rows; r++) dw[r * out + o] += gT[o * rows + r];
                } else {
                    Gemm.multiply(rows, out, M, cols, 0, 1, rows, dy.data, 0, out, weight.grad(), 0, out, true); // colsᵀ·dy
                }
            }
            if (dx != null) {
                float[] wt = transpose(weight.data, rows, out);
                float[] dcols = pw ? dx.data : new float[M * rows];
                Gemm.multiply(M, rows, out, dy.data, wt, dcols, false);                                   // dy·Wᵀ
                if (!pw) Im2col.fold(dcols, N, C, g, dx.data);
            }
        }
        if (bias != null && bias.trainable()) {
            float[] db = bias.grad();
            for (int i = 0; i < dy.data.length; i += out) for (int c = 0; c < out; c++) db[c] += dy.data[i + c];
        }
        savedX = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    /** This conv followed by eval-mode BatchNorm (and ReLU6) as one conv with bias and clamp. */
    public Conv2d foldedWith(BatchNorm2d bn, boolean relu6) {
        float[][] ss = bn.evalScaleShift();
        float[] scale = ss[0], shift = ss[1];
        Conv2d f = new Conv2d(in, out, k, stride, groups, true);
        f.padding = padding;
        f.pad = pad;
        for (int i = 0; i < weight.data.length; i++) f.weight.data[i] = weight.data[i] * scale[i % out];   // out is innermost
        for (int c = 0; c < out; c++) f.bias.data[c] = shift[c] + (bias == null ? 0f : bias.data[c] * scale[c]);
        if (relu6) f.setClamp(0f, 6f);
        return f;
    }

    private boolean pointwise(Padding.Geometry g) { return k == 1 && stride == 1 && g.padTop() == 0 && g.padLeft() == 0; }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = a[r * cols + c];
        return t;
    }

    @Override public String toString() {
        return "Conv2d(" + in + ", " + out + ", kernel_size=(" + k + ", " + k + "), stride=(" + stride + ", " + stride + ")"
                + (pad > 0 ? ", padding=(" + pad + ", " + pad + ")" : "")
                + (groups > 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=False" : "") + ")";
    }
}
