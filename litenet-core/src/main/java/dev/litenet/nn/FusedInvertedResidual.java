package dev.litenet.nn;

import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * The inference twin of an inverted residual block (1×1 expand, k×k depthwise, 1×1 project, an optional residual
 * add), its BatchNorm folded into the convs. With all three convs it runs over bands of output rows: it expands
 * only the input rows a band's depthwise conv reads (rows shared with the previous band are kept, not
 * recomputed), then runs the depthwise conv, then projects into the output. The expanded tensor (up to 6× the
 * block's input) never exists whole, so it stays in cache. Threads take contiguous ranges of output rows, each
 * with its own bands. Without an expansion it runs its convs one after the other.
 * in (N,H,W,in) -> out (N,H/s,W/s,out). Inference only: there is no backward.
 */
public final class FusedInvertedResidual extends Layer {
    private static final int BAND_BYTES = 256 << 10;     // the expanded rows of a band: a quarter of a 1 MB L2
    private final Sequential conv;
    private final boolean residual;
    private final Conv2d expand, dw, project;             // the three convs when it runs over bands, else null

    /** {@code conv}: the folded convs (and their clamps), in order; {@code residual}: add the input to the output. */
    public FusedInvertedResidual(Sequential conv, boolean residual) {
        this.conv = conv;
        this.residual = residual;
        addChild("conv", conv);
        boolean banded = conv.size() == 3 && conv.get(0) instanceof Conv2d && conv.get(1) instanceof Conv2d d && d.depthwise()
                && conv.get(2) instanceof Conv2d;
        expand = banded ? (Conv2d) conv.get(0) : null;
        dw = banded ? (Conv2d) conv.get(1) : null;
        project = banded ? (Conv2d) conv.get(2) : null;
    }

    @Override public Tensor forward(Tensor x) {
        if (expand != null) return banded(x);
        Tensor y = conv.call(x);
        if (!residual) return y;
        for (int i = 0; i < y.data.length; i++) y.data[i] += x.data[i];
        return y;
    }

    private Tensor banded(Tensor x) {
        int N = x.dim(0);
        Padding.Geometry g = dw.geometry(x.dim(1), x.dim(2));
        Tensor y = Scratch.uninitialized(N, g.outH(), g.outW(), project.out);
        if (Parallel.serial(g.outH(), 1)) rows(x, g, 0, g.outH(), y);
        else Parallel.range(g.outH(), 1, Parallel.call(FusedInvertedResidual::rows).objects(this, x, g, y, null));
        return y;
    }

    // rows with the operands of forward's call
    private static void rows(Parallel.Call c, int from, int to) {
        ((FusedInvertedResidual) c.o0).rows((Tensor) c.o1, (Padding.Geometry) c.o2, from, to, (Tensor) c.o3);
    }

    // output rows [rowFrom, rowTo) of every image
    private void rows(Tensor x, Padding.Geometry g, int rowFrom, int rowTo, Tensor y) {
        for (int n = 0; n < x.dim(0); n++) bands(x, n, g, rowFrom, rowTo, y);
    }

    // output rows [rowFrom, rowTo) of image n
    private void bands(Tensor x, int n, Padding.Geometry g, int rowFrom, int rowTo, Tensor y) {
        int H = x.dim(1), W = x.dim(2), in = x.dim(3), hidden = dw.in, out = project.out;
        int s = g.stride(), k = g.k(), outH = g.outH(), outW = g.outW();
        int rows = Math.max(1, Math.min(outH, BAND_BYTES / (4 * s * W * hidden)));      // output rows per band
        float[] e = Scratch.floats(((rows - 1) * s + k) * W * hidden), depthwise = Scratch.floats(rows * outW * hidden);
        int from = 0, to = 0;                                            // input rows [from, to) are expanded in e
        for (int o0 = rowFrom; o0 < rowTo; o0 += rows) {
            int o1 = Math.min(rowTo, o0 + rows);
            int i0 = Math.max(0, o0 * s - g.padTop()), i1 = Math.min(H, (o1 - 1) * s - g.padTop() + k);
            int kept = Math.max(0, to - i0);                                             // rows [i0, to) done already
            if (kept > 0) System.arraycopy(e, (i0 - from) * W * hidden, e, 0, kept * W * hidden);
            int first = i0 + kept;
            if (i1 > first) expand.pointwiseRows(x.data, ((n * H + first) * W) * in, (i1 - first) * W, e, kept * W * hidden, false);
            from = i0;
            to = i1;
            dw.depthwiseRows(e, dw.band(g, i0, i1, o0, o1), depthwise);
            int at = ((n * outH + o0) * outW) * out;
            if (residual) System.arraycopy(x.data, at, y.data, at, (o1 - o0) * outW * out);
            project.pointwiseRows(depthwise, 0, (o1 - o0) * outW, y.data, at, residual);
        }
        Scratch.release(e);
        Scratch.release(depthwise);
    }

    @Override public Tensor backward(Tensor dy) {
        throw new UnsupportedOperationException("a fused block is for inference only");
    }
}
