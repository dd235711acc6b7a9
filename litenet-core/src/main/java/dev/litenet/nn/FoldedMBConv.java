package dev.litenet.nn;

import dev.litenet.tensor.ChannelOps;
import dev.litenet.tensor.Gemm;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.util.Arrays;

/**
 * The inference twin of EfficientNet's MBConv block (not EfficientNetV2's FusedMBConv): 1×1 expand conv and SiLU
 * (absent when the block does not expand), k×k depthwise conv and SiLU, squeeze-and-excitation, 1×1 projection, an
 * optional residual add, every BatchNorm folded into its conv. Per image:
 * <ol>
 * <li>over bands of output rows, as {@link FusedInvertedResidual}: it expands only the input rows a band's depthwise
 *     conv reads, applies SiLU to them in place, runs the depthwise conv and SiLU, and sums each output row's
 *     channels for the squeeze while the band is in cache (the expanded tensor never exists whole);</li>
 * <li>the excitation: the mean of the row sums through fc1, its activation, fc2 and its scale activation;</li>
 * <li>one GEMM projects the image, with the per-channel scale folded into the projection's weights (one multiply per
 *     weight) when the image has at least as many pixels as the projection has outputs, else applied to the depthwise
 *     output (one multiply per value); the residual is added by the GEMM.</li>
 * </ol>
 * in (N,H,W,in) -> out (N,H/s,W/s,out). Inference only: there is no backward.
 */
public final class FoldedMBConv extends Layer {
    private static final int BAND_BYTES = 256 << 10;     // the expanded rows of a band: a quarter of a 1 MB L2
    private static final float INF = Float.POSITIVE_INFINITY;
    private final Conv2d expand, depthwise, project;      // expand null when the block does not expand
    private final SqueezeExcitation se;
    private final boolean residual;

    /** The folded convs (no clamps: SiLU follows expand and depthwise), the block's excitation twin, and whether it adds its input. */
    public FoldedMBConv(Conv2d expand, Conv2d depthwise, SqueezeExcitation se, Conv2d project, boolean residual) {
        if (!depthwise.depthwise() || project.k != 1 || project.stride != 1 || expand != null && (expand.k != 1 || expand.stride != 1)) {
            throw new IllegalArgumentException("not an MBConv: " + expand + ", " + depthwise + ", " + project);
        }
        this.expand = expand == null ? null : addChild("expand", expand);
        this.depthwise = addChild("depthwise", depthwise);
        this.se = addChild("se", se);
        this.project = addChild("project", project);
        this.residual = residual;
    }

    @Override public Tensor forward(Tensor x) {
        int N = x.dim(0), H = x.dim(1), W = x.dim(2), in = x.dim(3);
        if (in != depthwise.in && expand == null || expand != null && in != expand.in) {
            throw new IllegalArgumentException("MBConv expects " + (expand == null ? depthwise.in : expand.in) + " channels, got " + x.shapeString());
        }
        Padding.Geometry g = depthwise.geometry(H, W);
        int P = g.outH() * g.outW(), hidden = depthwise.in, out = project.out;
        Tensor y = Scratch.uninitialized(N, g.outH(), g.outW(), out);
        Tensor d = Scratch.uninitialized(P * hidden);
        float[][] rowSums = new float[g.outH()][hidden];
        for (int n = 0; n < N; n++) {
            int xOff = n * H * W * in, yOff = n * P * out;
            for (float[] r : rowSums) Arrays.fill(r, 0f);
            if (expand != null) {
                Parallel.range(g.outH(), 1, (from, to) -> expandedBands(x.data, xOff, H, W, g, from, to, d.data, rowSums));
            } else {
                float[] image = N == 1 ? x.data : Arrays.copyOfRange(x.data, xOff, xOff + H * W * in);
                depthwise.depthwiseRows(image, g, d.data);
                Parallel.range(g.outH(), 1, (from, to) -> {
                    SiLU.apply(d.data, from * g.outW() * hidden, to * g.outW() * hidden);
                    sumRows(d.data, from * g.outW() * hidden, from, to, g.outW(), hidden, rowSums);
                });
            }
            float[] scale = excitation(rowSums, P);
            if (residual) System.arraycopy(x.data, xOff, y.data, yOff, P * out);
            Gemm.Epilogue e = new Gemm.Epilogue(residual, project.bias.data, -INF, INF);
            if (out <= P) {                                  // scale the weights: hidden·out multiplies
                float[] w = project.weight.data;
                Tensor scaled = Scratch.uninitialized(hidden * out);
                for (int c = 0; c < hidden; c++) {
                    float s = scale[c];
                    for (int o = c * out; o < (c + 1) * out; o++) scaled.data[o] = w[o] * s;
                }
                Gemm.multiply(P, out, hidden, d.data, 0, hidden, 1, scaled.data, 0, out, y.data, yOff, out, e);
                Scratch.release(scaled);
            } else {                                         // scale the activations: P·hidden multiplies
                float[] zero = new float[hidden], v = d.data;
                Parallel.range(P, 64, (from, to) -> {
                    for (int p = from; p < to; p++) ChannelOps.affineRow(v, scale, zero, -INF, INF, v, p * hidden, hidden);
                });
                Gemm.multiply(P, out, hidden, d.data, 0, hidden, 1, project.weight.data, 0, out, y.data, yOff, out, e);
            }
        }
        Scratch.release(d);
        return y;
    }

    // output rows [rowFrom, rowTo) of one image into d, with their channel sums: expand + SiLU, depthwise + SiLU
    private void expandedBands(float[] x, int xOff, int H, int W, Padding.Geometry g, int rowFrom, int rowTo, float[] d, float[][] rowSums) {
        int in = expand.in, hidden = depthwise.in, s = g.stride(), k = g.k(), outW = g.outW();
        int rows = Math.max(1, Math.min(g.outH(), BAND_BYTES / (4 * s * W * hidden)));       // output rows per band
        Tensor expanded = Scratch.uninitialized(((rows - 1) * s + k) * W * hidden), band = Scratch.uninitialized(rows * outW * hidden);
        float[] e = expanded.data;
        int from = 0, to = 0;                                            // input rows [from, to) are expanded in e
        for (int o0 = rowFrom; o0 < rowTo; o0 += rows) {
            int o1 = Math.min(rowTo, o0 + rows);
            int i0 = Math.max(0, o0 * s - g.padTop()), i1 = Math.min(H, (o1 - 1) * s - g.padTop() + k);
            int kept = Math.max(0, to - i0);                                             // rows [i0, to) done already
            if (kept > 0) System.arraycopy(e, (i0 - from) * W * hidden, e, 0, kept * W * hidden);
            int first = i0 + kept;
            if (i1 > first) {
                expand.pointwiseRows(x, xOff + first * W * in, (i1 - first) * W, e, kept * W * hidden, false);
                SiLU.apply(e, kept * W * hidden, (i1 - i0) * W * hidden);
            }
            from = i0;
            to = i1;
            int values = (o1 - o0) * outW * hidden;
            depthwise.depthwiseRows(e, new Padding.Geometry(i1 - i0, W, o1 - o0, outW, k, s, i0 - (o0 * s - g.padTop()), g.padLeft()), band.data);
            SiLU.apply(band.data, 0, values);
            sumRows(band.data, 0, o0, o1, outW, hidden, rowSums);
            System.arraycopy(band.data, 0, d, o0 * outW * hidden, values);
        }
        Scratch.release(expanded);
        Scratch.release(band);
    }

    // rowSums[r] += Σ over the pixels of output row r, for rows [r0, r1) held in v from offset at
    private static void sumRows(float[] v, int at, int r0, int r1, int outW, int C, float[][] rowSums) {
        for (int r = r0; r < r1; r++) {
            for (int p = 0; p < outW; p++, at += C) ChannelOps.sumRow(v, null, at, C, rowSums[r]);
        }
    }

    // the squeeze (the mean over the image, row sums added in order) through the excitation: (C) -> scale (C)
    private float[] excitation(float[][] rowSums, int pixels) {
        int C = depthwise.in;
        float[] mean = new float[C];
        for (float[] r : rowSums) for (int c = 0; c < C; c++) mean[c] += r[c];
        for (int c = 0; c < C; c++) mean[c] /= pixels;
        Tensor t = se.fc1().forward(new Tensor(mean, 1, 1, 1, C));
        t = se.child("activation").forward(t);
        t = se.fc2().forward(t);
        return se.child("scale_activation").forward(t).data;
    }

    @Override public Tensor backward(Tensor dy) {
        throw new UnsupportedOperationException("a fused block is for inference only");
    }
}
