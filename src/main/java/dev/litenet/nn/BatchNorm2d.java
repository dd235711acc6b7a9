package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/**
 * Batch normalization over (N,H,W) per channel, as torch's {@code BatchNorm2d(C, eps=1e-5, momentum=0.1)}.
 * Training: normalize with the batch's mean and biased variance; update the running stats with the unbiased
 * variance. Eval: normalize with the running stats. in (N,H,W,C) -> out (N,H,W,C).
 */
public final class BatchNorm2d extends Layer {
    public static final float EPS = 1e-5f, MOMENTUM = 0.1f;
    public final int channels;
    public final Parameter weight, bias, runningMean, runningVar, numBatchesTracked;
    private float[] savedXhat, savedInvStd;

    public BatchNorm2d(int channels) {
        this.channels = channels;
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
            double[] s = new double[C], ss = new double[C];
            for (int i = 0; i < x.data.length; i += C) for (int c = 0; c < C; c++) s[c] += x.data[i + c];
            for (int c = 0; c < C; c++) mean[c] = (float) (s[c] / M);
            for (int i = 0; i < x.data.length; i += C) for (int c = 0; c < C; c++) { double d = x.data[i + c] - mean[c]; ss[c] += d * d; }
            for (int c = 0; c < C; c++) {
                double var = ss[c] / M;
                invStd[c] = (float) (1.0 / Math.sqrt(var + EPS));
                runningMean.data[c] = (1 - MOMENTUM) * runningMean.data[c] + MOMENTUM * mean[c];
                runningVar.data[c] = (float) ((1 - MOMENTUM) * runningVar.data[c] + MOMENTUM * var * M / Math.max(1, M - 1));
            }
            numBatchesTracked.data[0] += 1;
        } else {
            for (int c = 0; c < C; c++) {
                mean[c] = runningMean.data[c];
                invStd[c] = (float) (1.0 / Math.sqrt(runningVar.data[c] + EPS));
            }
        }
        // y = x·α + β with α = invStd·γ, β = b − mean·α (the same rounding as torch's CPU kernel)
        float[] alpha = new float[C], beta = new float[C];
        for (int c = 0; c < C; c++) {
            alpha[c] = invStd[c] * weight.data[c];
            beta[c] = bias.data[c] - mean[c] * alpha[c];
        }
        Tensor y = Tensor.zeros(x.shape);
        float[] xhat = recording ? new float[x.size()] : null;
        for (int i = 0; i < x.data.length; i += C) {
            for (int c = 0; c < C; c++) {
                if (xhat != null) xhat[i + c] = (x.data[i + c] - mean[c]) * invStd[c];
                y.data[i + c] = x.data[i + c] * alpha[c] + beta[c];
            }
        }
        savedXhat = xhat;
        savedInvStd = invStd;
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedXhat);
        int C = channels, M = dy.size() / C;
        float[] xhat = savedXhat, g = weight.data;
        double[] dGamma = new double[C], dBeta = new double[C];
        for (int i = 0; i < dy.data.length; i += C) {
            for (int c = 0; c < C; c++) { dGamma[c] += dy.data[i + c] * xhat[i + c]; dBeta[c] += dy.data[i + c]; }
        }
        if (weight.trainable()) { float[] gw = weight.grad(); for (int c = 0; c < C; c++) gw[c] += (float) dGamma[c]; }
        if (bias.trainable()) { float[] gb = bias.grad(); for (int c = 0; c < C; c++) gb[c] += (float) dBeta[c]; }
        Tensor dx = Tensor.zeros(dy.shape);
        if (training) {
            // dx = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂))
            for (int i = 0; i < dy.data.length; i += C) {
                for (int c = 0; c < C; c++) {
                    dx.data[i + c] = (float) (g[c] * savedInvStd[c] / M * (M * dy.data[i + c] - dBeta[c] - xhat[i + c] * dGamma[c]));
                }
            }
        } else {
            for (int i = 0; i < dy.data.length; i += C) for (int c = 0; c < C; c++) dx.data[i + c] = dy.data[i + c] * g[c] * savedInvStd[c];
        }
        return dx;
    }

    /** Per-channel scale and shift of eval mode: y = x·scale + shift, for folding into the preceding conv. */
    public float[][] evalScaleShift() {
        float[] scale = new float[channels], shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (weight.data[c] / Math.sqrt(runningVar.data[c] + EPS));
            shift[c] = bias.data[c] - runningMean.data[c] * scale[c];
        }
        return new float[][]{scale, shift};
    }

    @Override public String toString() { return "BatchNorm2d(" + channels + ", eps=1e-05, momentum=0.1)"; }
}
