package dev.litenet.nn;

import dev.litenet.tensor.ChannelOps;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * Batch normalization over (N,H,W) per channel, as torch's {@code BatchNorm2d(C, eps=1e-5, momentum=0.1)} (other
 * eps and momentum as the architecture asks: MobileNetV3 and TF-slim's MobileNet V1 use eps 1e-3).
 * Training: normalize with the batch's mean and biased variance; update the running stats with the unbiased
 * variance. Eval: normalize with the running stats. in (N,H,W,C) -> out (N,H,W,C).
 */
public final class BatchNorm2d extends Layer {
    /** torch's defaults. */
    public static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    public final int channels;
    /** Added to the variance before its square root; the weight of a batch in the running statistics. */
    public final float eps, momentum;
    public final Parameter weight, bias, runningMean, runningVar, numBatchesTracked;
    private static final int ROWS = 512;    // rows per task
    private Tensor savedX;
    private float[] savedMean, savedInvStd;

    public BatchNorm2d(int channels) { this(channels, EPS, MOMENTUM); }

    public BatchNorm2d(int channels, float eps, float momentum) {
        if (!(eps > 0) || !(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("eps " + eps + ", momentum " + momentum);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        weight = addParameter("weight", Parameter.of(true, channels));
        bias = addParameter("bias", Parameter.of(true, channels));
        runningMean = addBuffer("running_mean", Parameter.of(false, channels));
        runningVar = addBuffer("running_var", Parameter.of(false, channels));
        numBatchesTracked = addBuffer("num_batches_tracked", Parameter.of(false));
        weight.fill(1f);
        runningVar.fill(1f);
    }

    @Override public Tensor forward(Tensor x) {
        int C = channels, M = x.size() / C;
        if (x.dim(-1) != C) throw new IllegalArgumentException("BatchNorm2d expects " + C + " channels, got " + x.shapeString());
        float[] mean = new float[C], invStd = new float[C];
        if (training) {
            double[] s = channelSums(x.data, null, C, M);
            for (int c = 0; c < C; c++) mean[c] = (float) (s[c] / M);
            double[] ss = channelSums(x.data, mean, C, M);
            for (int c = 0; c < C; c++) {
                double var = ss[c] / M;
                invStd[c] = (float) (1.0 / Math.sqrt(var + eps));
                runningMean.data[c] = (1 - momentum) * runningMean.data[c] + momentum * mean[c];
                runningVar.data[c] = (float) ((1 - momentum) * runningVar.data[c] + momentum * var * M / Math.max(1, M - 1));
            }
            numBatchesTracked.data[0] += 1;
        } else {
            for (int c = 0; c < C; c++) {
                mean[c] = runningMean.data[c];
                invStd[c] = (float) (1.0 / Math.sqrt(runningVar.data[c] + eps));
            }
        }
        float[][] ab = affine(mean, invStd);
        float[] alpha = ab[0], beta = ab[1];
        Tensor y = recording ? Tensor.zeros(x.shape) : Scratch.uninitialized(x.shape);
        float[] xv = x.data, yv = y.data;
        float inf = Float.POSITIVE_INFINITY;
        Parallel.range(M, ROWS, (from, to) -> {
            for (int i = from * C; i < to * C; i += C) ChannelOps.affineRow(xv, alpha, beta, -inf, inf, yv, i, C);
        });
        savedX = recording ? x : null;
        savedMean = mean;
        savedInvStd = invStd;
        return y;
    }

    // y = x·α + β with α = invStd·γ, β = b − mean·α (the same rounding as torch's CPU kernel)
    private float[][] affine(float[] mean, float[] invStd) {
        float[] alpha = new float[channels], beta = new float[channels];
        for (int c = 0; c < channels; c++) {
            alpha[c] = invStd[c] * weight.data[c];
            beta[c] = bias.data[c] - mean[c] * alpha[c];
        }
        return new float[][]{alpha, beta};
    }

    /** The last recorded forward's output again, clamped to [lo, hi], computed as forward did from the input kept for backward. */
    public float[] recomputeClamped(float lo, float hi) {
        requireRecorded(savedX);
        int C = channels, M = savedX.size() / C;
        float[][] ab = affine(savedMean, savedInvStd);
        float[] alpha = ab[0], beta = ab[1], xv = savedX.data, yv = new float[xv.length];
        Parallel.range(M, ROWS, (from, to) -> {
            for (int i = from * C; i < to * C; i += C) ChannelOps.affineRow(xv, alpha, beta, lo, hi, yv, i, C);
        });
        return yv;
    }

    @Override public Tensor backward(Tensor dy) {
        return backward(dy, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /**
     * Backward through {@code clamp(this(x), lo, hi)} in one pass: the gradient passes where lo < y < hi (ReLU6's
     * rule, torch's hardtanh_backward), y computed again from the kept input, then BatchNorm's own backward.
     */
    public Tensor backward(Tensor dy, float lo, float hi) {
        requireRecorded(savedX);
        int C = channels, M = dy.size() / C;
        float[] x = savedX.data, mean = savedMean, invStd = savedInvStd, g = weight.data, d = dy.data;
        float[][] ab = affine(mean, invStd);
        float[] alpha = ab[0], beta = ab[1];
        double[][] sums = gradientSums(d, x, alpha, beta, lo, hi, mean, C, M);
        double[] dBeta = sums[0], dGamma = sums[1];                             // Σ dz, Σ dz·(x − mean)
        for (int c = 0; c < C; c++) dGamma[c] *= invStd[c];                    // Σ dz·x̂
        if (weight.trainable()) { float[] gw = weight.grad(); for (int c = 0; c < C; c++) gw[c] += (float) dGamma[c]; }
        if (bias.trainable()) { float[] gb = bias.grad(); for (int c = 0; c < C; c++) gb[c] += (float) dBeta[c]; }
        Tensor dx = Tensor.zeros(dy.shape);
        float[] out = dx.data;
        // training: dx = γ·invStd/M · (M·dz − Σdz − x̂·Σ(dz·x̂)); eval: dx = dz·γ·invStd (k·(dz − 0 − 0))
        float[] k = new float[C], b = new float[C], h = new float[C];
        for (int c = 0; c < C; c++) {
            k[c] = g[c] * invStd[c];
            b[c] = training ? (float) (dBeta[c] / M) : 0f;
            h[c] = training ? (float) (dGamma[c] / M) * invStd[c] : 0f;
        }
        Parallel.range(M, ROWS, (from, to) -> {
            for (int i = from * C; i < to * C; i += C) {
                ChannelOps.inputGradientRow(d, x, alpha, beta, lo, hi, k, b, mean, h, out, i, C);
            }
        });
        savedX = null;                           // backward runs once per forward: let the memory go
        return dx;
    }

    /** Σ dz and Σ dz·(x − mean) per channel, dz as in {@link ChannelOps#inputGradientRow}, in double, rows split over threads. */
    private static double[][] gradientSums(float[] d, float[] x, float[] alpha, float[] beta, float lo, float hi,
                                           float[] mean, int C, int M) {
        double[][] total = new double[2][C];
        Parallel.range(M, ROWS, (from, to) -> {
            double[] s0 = new double[C], s1 = new double[C];
            float[] p0 = new float[C], p1 = new float[C];
            for (int r0 = from; r0 < to; r0 += 64) {                 // float partial sums of ≤ 64 rows, then double
                java.util.Arrays.fill(p0, 0f);
                java.util.Arrays.fill(p1, 0f);
                for (int i = r0 * C; i < Math.min(to, r0 + 64) * C; i += C) {
                    ChannelOps.gradientSumsRow(d, x, alpha, beta, lo, hi, mean, i, C, p0, p1);
                }
                for (int c = 0; c < C; c++) { s0[c] += p0[c]; s1[c] += p1[c]; }
            }
            synchronized (total) {
                for (int c = 0; c < C; c++) { total[0][c] += s0[c]; total[1][c] += s1[c]; }
            }
        });
        return total;
    }

    /** Per-channel sums over the M rows of v (M, C), in double, rows split over threads: Σ v, or Σ (v − center)². */
    private static double[] channelSums(float[] v, float[] center, int C, int M) {
        double[] total = new double[C];
        Parallel.range(M, ROWS, (from, to) -> {
            double[] s = new double[C];
            float[] part = new float[C];
            for (int r0 = from; r0 < to; r0 += 64) {                 // float partial sums of ≤ 64 rows, then double
                java.util.Arrays.fill(part, 0f);
                for (int i = r0 * C; i < Math.min(to, r0 + 64) * C; i += C) ChannelOps.sumRow(v, center, i, C, part);
                for (int c = 0; c < C; c++) s[c] += part[c];
            }
            synchronized (total) {
                for (int c = 0; c < C; c++) total[c] += s[c];
            }
        });
        return total;
    }

    /** Per-channel scale and shift of eval mode: y = x·scale + shift, for folding into the preceding conv. */
    public float[][] evalScaleShift() {
        float[] scale = new float[channels], shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (weight.data[c] / Math.sqrt(runningVar.data[c] + eps));
            shift[c] = bias.data[c] - runningMean.data[c] * scale[c];
        }
        return new float[][]{scale, shift};
    }

    /** A float as Python's {@code repr} prints it: 0.1, 0.0003, 1e-05 (exponents from -5 down). */
    static String torchFloat(float v) {
        java.math.BigDecimal d = new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros();
        if (v == 0 || Math.abs(v) >= 1e-4) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        int exponent = d.precision() - d.scale() - 1;
        String mantissa = d.movePointRight(-exponent).toPlainString();
        return mantissa + "e-" + String.format("%02d", -exponent);
    }

    @Override public String toString() { return "BatchNorm2d(" + channels + ", eps=" + torchFloat(eps) + ", momentum=" + torchFloat(momentum) + ")"; }
}
