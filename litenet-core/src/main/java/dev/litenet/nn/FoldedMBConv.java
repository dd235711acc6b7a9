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
        int P = g.outH() * g.outW(), hidden = depthwise.in;
        Tensor y = Scratch.uninitialized(N, g.outH(), g.outW(), project.out);
        float[] d = Scratch.floats(P * hidden), rowSums = Scratch.floats(g.outH() * hidden);
        for (int n = 0; n < N; n++) image(x, n, g, d, rowSums, y);
        Scratch.release(d);
        Scratch.release(rowSums);
        return y;
    }

    // image n of x into image n of y, d (P, hidden) and rowSums (outH, hidden) its buffers
    private void image(Tensor x, int n, Padding.Geometry g, float[] d, float[] rowSums, Tensor y) {
        int H = x.dim(1), W = x.dim(2), in = x.dim(3), outH = g.outH(), P = outH * g.outW(), out = project.out;
        int xOff = n * H * W * in, yOff = n * P * out;
        Arrays.fill(rowSums, 0f);
        if (expand != null) {
            if (Parallel.serial(outH, 1)) expandedBands(x.data, xOff, H, W, g, 0, outH, d, rowSums);
            else Parallel.range(outH, 1, Parallel.call(FoldedMBConv::expandedBands).objects(this, x.data, g, d, rowSums).ints(xOff, H, W, 0));
        } else {
            float[] image = x.dim(0) == 1 ? x.data : Scratch.floats(H * W * in);
            if (image != x.data) System.arraycopy(x.data, xOff, image, 0, H * W * in);
            depthwise.depthwiseRows(image, g, d);
            if (image != x.data) Scratch.release(image);
            if (Parallel.serial(outH, 1)) activatedRows(d, g, 0, outH, rowSums);
            else Parallel.range(outH, 1, Parallel.call(FoldedMBConv::activatedRows).objects(this, d, g, rowSums, null));
        }
        Tensor scale = excitation(rowSums, outH, P);
        if (residual) System.arraycopy(x.data, xOff, y.data, yOff, P * out);
        project(d, scale.data, P, y.data, yOff);
        Scratch.release(scale);
    }

    // the split calls of the three methods below: the block, then their operands
    private static void expandedBands(Parallel.Call c, int from, int to) {
        ((FoldedMBConv) c.o0).expandedBands((float[]) c.o1, c.i0, c.i1, c.i2, (Padding.Geometry) c.o2, from, to, (float[]) c.o3, (float[]) c.o4);
    }

    private static void activatedRows(Parallel.Call c, int from, int to) {
        ((FoldedMBConv) c.o0).activatedRows((float[]) c.o1, (Padding.Geometry) c.o2, from, to, (float[]) c.o3);
    }

    private static void scalePixels(Parallel.Call c, int from, int to) {
        ((FoldedMBConv) c.o0).scalePixels((float[]) c.o1, (float[]) c.o2, (float[]) c.o3, from, to);
    }

    // output rows [from, to) of the depthwise output d: SiLU in place, then their channel sums
    private void activatedRows(float[] d, Padding.Geometry g, int from, int to, float[] rowSums) {
        int hidden = depthwise.in, outW = g.outW();
        SiLU.apply(d, from * outW * hidden, to * outW * hidden);
        sumRows(d, from * outW * hidden, from, to, outW, hidden, rowSums);
    }

    // y[yOff..] (+)= (d · diag(scale)) · W + bias: the scale folded into the weights or onto d, whichever costs less
    private void project(float[] d, float[] scale, int P, float[] y, int yOff) {
        int hidden = depthwise.in, out = project.out;
        Gemm.Epilogue e = project.epilogue(residual);                     // the bias; the residual is in y already
        if (out <= P) {                                                     // scale the weights: hidden·out multiplies
            float[] w = project.weight.data, scaled = Scratch.floats(hidden * out);
            for (int c = 0; c < hidden; c++) {
                float s = scale[c];
                for (int o = c * out; o < (c + 1) * out; o++) scaled[o] = w[o] * s;
            }
            Gemm.multiply(P, out, hidden, d, 0, hidden, 1, scaled, 0, out, y, yOff, out, e);
            Scratch.release(scaled);
        } else {                                                            // scale the activations: P·hidden multiplies
            float[] zero = Scratch.floats(hidden);
            Arrays.fill(zero, 0f);
            if (Parallel.serial(P, 64)) scalePixels(d, scale, zero, 0, P);
            else Parallel.range(P, 64, Parallel.call(FoldedMBConv::scalePixels).objects(this, d, scale, zero, null));
            Scratch.release(zero);
            Gemm.multiply(P, out, hidden, d, 0, hidden, 1, project.weight.data, 0, out, y, yOff, out, e);
        }
    }

    // pixels [from, to) of d (P, hidden) times the scale, channel by channel
    private void scalePixels(float[] d, float[] scale, float[] zero, int from, int to) {
        int hidden = depthwise.in;
        for (int p = from; p < to; p++) ChannelOps.affineRow(d, scale, zero, -INF, INF, d, p * hidden, hidden);
    }

    // output rows [rowFrom, rowTo) of one image into d, with their channel sums: expand + SiLU, depthwise + SiLU
    private void expandedBands(float[] x, int xOff, int H, int W, Padding.Geometry g, int rowFrom, int rowTo, float[] d, float[] rowSums) {
        int in = expand.in, hidden = depthwise.in, s = g.stride(), k = g.k(), outW = g.outW();
        int rows = Math.max(1, Math.min(g.outH(), BAND_BYTES / (4 * s * W * hidden)));       // output rows per band
        float[] e = Scratch.floats(((rows - 1) * s + k) * W * hidden), band = Scratch.floats(rows * outW * hidden);
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
            depthwise.depthwiseRows(e, depthwise.band(g, i0, i1, o0, o1), band);
            SiLU.apply(band, 0, values);
            sumRows(band, 0, o0, o1, outW, hidden, rowSums);
            System.arraycopy(band, 0, d, o0 * outW * hidden, values);
        }
        Scratch.release(e);
        Scratch.release(band);
    }

    // rowSums[r·C ..] += Σ over the pixels of output row r, for rows [r0, r1) held in v from offset at
    private static void sumRows(float[] v, int at, int r0, int r1, int outW, int C, float[] rowSums) {
        for (int r = r0; r < r1; r++) {
            for (int p = 0; p < outW; p++, at += C) ChannelOps.sumRow(v, null, at, C, rowSums, r * C);
        }
    }

    // the squeeze (the mean over the image, row sums added in order) through the excitation: (rows, C) row sums ->
    // scale (1,1,1,C), from Scratch
    private Tensor excitation(float[] rowSums, int rows, int pixels) {
        int C = depthwise.in;
        Tensor means = Scratch.uninitialized(1, 1, 1, C);
        float[] mean = means.data;
        Arrays.fill(mean, 0f);
        for (int r = 0; r < rows; r++) for (int c = 0; c < C; c++) mean[c] += rowSums[r * C + c];
        for (int c = 0; c < C; c++) mean[c] /= pixels;
        return se.excite(means);
    }

    @Override public Tensor backward(Tensor dy) {
        throw new UnsupportedOperationException("a fused block is for inference only");
    }
}
