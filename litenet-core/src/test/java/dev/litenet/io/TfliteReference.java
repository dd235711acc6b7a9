package dev.litenet.io;

import dev.litenet.BadInputException;

import dev.litenet.io.TfliteModel.Activation;
import dev.litenet.io.TfliteModel.Operator;
import dev.litenet.io.TfliteModel.Options;
import dev.litenet.io.TfliteModel.Padding;

import java.util.Arrays;

/**
 * Test oracle: runs a parsed TFLite graph op by op in float with plain loops, straight from TFLite's own
 * layouts (NHWC activations, dequantized weights), independent of the torch-layout state_dict and of the
 * engine. Quantization of activations is ignored (QUANTIZE is the identity in float), so this is the float
 * model the quantized file approximates.
 */
final class TfliteReference {
    private TfliteReference() {}

    /**
     * The pooled features (input of the classifier conv, 1280 values), the logits (input of SOFTMAX, 1001
     * values, index 0 = background) and every tensor's float value by tensor index.
     */
    record Result(float[] features, float[] logits, float[][] tensors) {
        int top1() {
            int best = 0;
            for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
            return best;
        }
    }

    /** input (1,224,224,3) NHWC, already preprocessed to the model's real-valued input range. */
    static Result run(TfliteModel model, float[] input) {
        float[][] values = new float[model.tensors().size()][];
        for (var t : model.tensors()) if (t.isConstant()) values[t.index()] = t.values();
        int in = model.inputs()[0];
        if (input.length != model.tensor(in).numel()) throw new IllegalArgumentException("input needs " + model.tensor(in).numel() + " values");
        values[in] = input;
        float[] features = null, logits = null;
        for (Operator op : model.operators()) {
            float[] x = values[op.inputs()[0]];
            float[] out = switch (op.op()) {
                case CONV_2D -> conv(model, op, values);
                case DEPTHWISE_CONV_2D -> depthwise(model, op, values);
                case ADD -> add(x, values[op.inputs()[1]], ((Options.Add) op.options()).activation());
                case AVERAGE_POOL_2D -> averagePool(model, op, x);
                case MEAN -> spatialMean(model, op, x);
                case RESHAPE, QUANTIZE -> x.clone();
                case SOFTMAX -> softmax(x, ((Options.Softmax) op.options()).beta());
                default -> throw new BadInputException(model.file(), "the reference cannot run " + op);
            };
            if (out.length != model.tensor(op.outputs()[0]).numel()) throw new IllegalStateException(op + ": output size " + out.length);
            switch (op.op()) {
                case AVERAGE_POOL_2D, MEAN -> features = out;
                case SOFTMAX -> logits = x;
                default -> { }
            }
            values[op.outputs()[0]] = out;
        }
        return new Result(features, logits, values);
    }

    /** TF "SAME" output size and top/left padding: total {@code max((ceil(in/s)-1)*s + k - in, 0)}, extra at bottom/right. */
    static int[] outSizeAndPad(Padding padding, int in, int k, int stride) {
        if (padding == Padding.VALID) return new int[] {(in - k) / stride + 1, 0};
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + k - in, 0);
        return new int[] {out, total / 2};
    }

    // x (1,H,W,C), w (O,kh,kw,C), b (O) -> (1,OH,OW,O)
    private static float[] conv(TfliteModel m, Operator op, float[][] v) {
        Options.Conv o = (Options.Conv) op.options();
        int[] xs = m.tensor(op.inputs()[0]).shape(), ws = m.tensor(op.inputs()[1]).shape();
        int h = xs[1], w = xs[2], c = xs[3], outC = ws[0], kh = ws[1], kw = ws[2];
        int[] ph = outSizeAndPad(o.padding(), h, (kh - 1) * o.dilationH() + 1, o.strideH());
        int[] pw = outSizeAndPad(o.padding(), w, (kw - 1) * o.dilationW() + 1, o.strideW());
        float[] x = v[op.inputs()[0]], wt = v[op.inputs()[1]], b = v[op.inputs()[2]], out = new float[ph[0] * pw[0] * outC];
        for (int oy = 0; oy < ph[0]; oy++)
            for (int ox = 0; ox < pw[0]; ox++)
                for (int oc = 0; oc < outC; oc++) {
                    double sum = b[oc];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * o.strideH() - ph[1] + ky * o.dilationH();
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * o.strideW() - pw[1] + kx * o.dilationW();
                            if (ix < 0 || ix >= w) continue;
                            int xi = (iy * w + ix) * c, wi = ((oc * kh + ky) * kw + kx) * c;
                            for (int ic = 0; ic < c; ic++) sum += x[xi + ic] * wt[wi + ic];
                        }
                    }
                    out[(oy * pw[0] + ox) * outC + oc] = activate((float) sum, o.activation());
                }
        return out;
    }

    // x (1,H,W,C), w (1,kh,kw,C*m), b (C*m) -> (1,OH,OW,C*m); output channel c*m+j reads input channel c
    private static float[] depthwise(TfliteModel m, Operator op, float[][] v) {
        Options.Conv o = (Options.Conv) op.options();
        int[] xs = m.tensor(op.inputs()[0]).shape(), ws = m.tensor(op.inputs()[1]).shape();
        int h = xs[1], w = xs[2], c = xs[3], kh = ws[1], kw = ws[2], outC = ws[3], mult = outC / c;
        int[] ph = outSizeAndPad(o.padding(), h, (kh - 1) * o.dilationH() + 1, o.strideH());
        int[] pw = outSizeAndPad(o.padding(), w, (kw - 1) * o.dilationW() + 1, o.strideW());
        float[] x = v[op.inputs()[0]], wt = v[op.inputs()[1]], b = v[op.inputs()[2]], out = new float[ph[0] * pw[0] * outC];
        for (int oy = 0; oy < ph[0]; oy++)
            for (int ox = 0; ox < pw[0]; ox++)
                for (int oc = 0; oc < outC; oc++) {
                    double sum = b[oc];
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * o.strideH() - ph[1] + ky * o.dilationH();
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * o.strideW() - pw[1] + kx * o.dilationW();
                            if (ix >= 0 && ix < w) sum += x[(iy * w + ix) * c + oc / mult] * wt[(ky * kw + kx) * outC + oc];
                        }
                    }
                    out[(oy * pw[0] + ox) * outC + oc] = activate((float) sum, o.activation());
                }
        return out;
    }

    private static float[] add(float[] a, float[] b, Activation activation) {
        if (a.length != b.length) throw new IllegalArgumentException("ADD of " + a.length + " and " + b.length + " values");
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = activate(a[i] + b[i], activation);
        return out;
    }

    // x (1,H,W,C) -> (1,OH,OW,C); the average counts only cells inside the input (TFLite)
    private static float[] averagePool(TfliteModel m, Operator op, float[] x) {
        Options.Pool o = (Options.Pool) op.options();
        int[] xs = m.tensor(op.inputs()[0]).shape();
        int h = xs[1], w = xs[2], c = xs[3];
        int[] ph = outSizeAndPad(o.padding(), h, o.filterH(), o.strideH());
        int[] pw = outSizeAndPad(o.padding(), w, o.filterW(), o.strideW());
        float[] out = new float[ph[0] * pw[0] * c];
        for (int oy = 0; oy < ph[0]; oy++)
            for (int ox = 0; ox < pw[0]; ox++)
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    int count = 0;
                    for (int iy = oy * o.strideH() - ph[1]; iy < oy * o.strideH() - ph[1] + o.filterH(); iy++)
                        for (int ix = ox * o.strideW() - pw[1]; ix < ox * o.strideW() - pw[1] + o.filterW(); ix++)
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                sum += x[(iy * w + ix) * c + ch];
                                count++;
                            }
                    out[(oy * pw[0] + ox) * c + ch] = activate((float) (sum / count), o.activation());
                }
        return out;
    }

    // x (1,H,W,C), axes {1,2} -> (C) values
    private static float[] spatialMean(TfliteModel m, Operator op, float[] x) {
        float[] axes = m.tensor(op.inputs()[1]).values();
        if (!Arrays.equals(axes, new float[] {1, 2})) throw new BadInputException(m.file(), op + ": MEAN over axes " + Arrays.toString(axes));
        int[] xs = m.tensor(op.inputs()[0]).shape();
        int hw = xs[1] * xs[2], c = xs[3];
        float[] out = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int p = 0; p < hw; p++) sum += x[p * c + ch];
            out[ch] = (float) (sum / hw);
        }
        return out;
    }

    // x (1,N) -> (1,N)
    private static float[] softmax(float[] x, float beta) {
        float max = Float.NEGATIVE_INFINITY;
        for (float f : x) max = Math.max(max, f);
        double sum = 0;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) sum += out[i] = (float) Math.exp(beta * (x[i] - max));
        for (int i = 0; i < x.length; i++) out[i] /= (float) sum;
        return out;
    }

    private static float activate(float x, Activation a) {
        return switch (a) {
            case NONE -> x;
            case RELU -> Math.max(x, 0f);
            case RELU6 -> Math.min(Math.max(x, 0f), 6f);
            default -> throw new IllegalArgumentException("activation " + a);
        };
    }
}
