package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.data.Preprocess;
import dev.litenet.io.TfliteModel;
import dev.litenet.io.TfliteModel.Activation;
import dev.litenet.io.TfliteModel.Op;
import dev.litenet.io.TfliteModel.Operator;
import dev.litenet.io.TfliteModel.Options;
import dev.litenet.io.TfliteModel.Padding;
import dev.litenet.io.TfliteModel.Tensor;
import dev.litenet.nn.Conv2d;
import dev.litenet.tensor.TorchTensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What the TFLite importers ({@link TfliteMobileNetV2}, {@link TfliteMobileNetV1}) share: a graph's conv operators
 * matched one by one against the convs of a network built for the purpose (its {@link Slot}s), their dequantized
 * weights put into torch's layout under the network's names, BatchNorm as identity plus the bias TFLite folded into
 * each conv, and the input tensor's quantization read as the preprocessing.
 */
final class TfliteConvs {
    private TfliteConvs() {}

    /** One conv of the network: its weight key prefix, its BatchNorm prefix (null for the classifier), its geometry. */
    record Slot(String conv, String bn, boolean depthwise, int in, int out, int kernel, int stride, boolean relu6) {}

    /** The slot of a conv followed by the BatchNorm named {@code bn} (ReLU6 after it when {@code relu6}). */
    static Slot slot(String conv, String bn, Conv2d c, boolean relu6) {
        return new Slot(conv, bn, c.depthwise(), c.in, c.out, c.k, c.stride, relu6);
    }

    /** Checks one conv operator (CONV_2D or DEPTHWISE_CONV_2D) against its slot; returns its weight tensor. */
    static Tensor check(TfliteModel model, Slot slot, Operator op) {
        String where = op + " as " + slot.conv() + ": ";
        Options.Conv o = (Options.Conv) op.options();
        Activation activation = slot.relu6() ? Activation.RELU6 : Activation.NONE;
        boolean paddingOk = o.padding() == Padding.SAME || slot.kernel() == 1;
        if (o.strideH() != slot.stride() || o.strideW() != slot.stride() || o.dilationH() != 1 || o.dilationW() != 1
                || !paddingOk || o.activation() != activation || (slot.depthwise() && o.depthMultiplier() != 1)) {
            throw new BadInputException(model.file(), where + "expected stride " + slot.stride() + ", SAME padding, "
                    + activation + " activation, found " + o);
        }
        if (slot.depthwise() != (op.op() == Op.DEPTHWISE_CONV_2D)) {
            throw new BadInputException(model.file(), where + "expected a " + (slot.depthwise() ? "depthwise" : "regular") + " conv");
        }
        if (op.inputs().length < 3 || op.inputs()[1] < 0 || op.inputs()[2] < 0) {
            throw new BadInputException(model.file(), where + "needs input, weight and bias");
        }
        int[] input = model.tensor(op.inputs()[0]).shape();
        Tensor weight = model.tensor(op.inputs()[1]), bias = model.tensor(op.inputs()[2]);
        int k = slot.kernel();
        int[] weightShape = slot.depthwise() ? new int[] {1, k, k, slot.out()} : new int[] {slot.out(), k, k, slot.in()};
        expect(model, where + "input channels", input.length == 0 ? -1 : input[input.length - 1], slot.in());
        expectShape(model, where + "weight", weight, weightShape);
        expectShape(model, where + "bias", bias, new int[] {slot.out()});
        return weight;
    }

    /**
     * Puts a checked conv's weights under its slot's names: the classifier's as a Linear {@code [out, in]} with its
     * bias, any other as a torch conv weight and an identity BatchNorm ({@code bnEps} its eps) carrying the bias.
     */
    static void put(LinkedHashMap<String, TorchTensor> stateDict, Slot slot, Tensor weight, float[] bias, float bnEps) {
        if (slot.bn() == null) {
            stateDict.put(slot.conv() + ".weight", new TorchTensor(new int[] {slot.out(), slot.in()}, weight.values()));
            stateDict.put(slot.conv() + ".bias", new TorchTensor(new int[] {slot.out()}, bias));
        } else {
            stateDict.put(slot.conv() + ".weight", slot.depthwise() ? depthwiseToTorch(weight) : convToTorch(weight));
            putFoldedBatchNorm(stateDict, slot.bn(), bias, bnEps);
        }
    }

    static void expect(TfliteModel model, String what, int found, int expected) {
        if (found != expected) throw new BadInputException(model.file(), what + " " + found + ", expected " + expected);
    }

    static void expectShape(TfliteModel model, String what, Tensor t, int[] shape) {
        if (!t.isConstant() || !Arrays.equals(t.shape(), shape)) {
            throw new BadInputException(model.file(), what + (t.isConstant() ? "" : " (not constant)") + " " + t
                    + ", expected " + Arrays.toString(shape));
        }
    }

    /** TF {@code [out, kh, kw, in]} -> torch {@code [out, in, kh, kw]}. */
    static TorchTensor convToTorch(Tensor weight) {
        int[] s = weight.shape();
        int out = s[0], kh = s[1], kw = s[2], in = s[3];
        float[] src = weight.values(), dst = new float[src.length];
        for (int o = 0; o < out; o++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int i = 0; i < in; i++)
                        dst[((o * in + i) * kh + y) * kw + x] = src[((o * kh + y) * kw + x) * in + i];
        return new TorchTensor(new int[] {out, in, kh, kw}, dst);
    }

    /** TF depthwise {@code [1, kh, kw, C]} -> torch {@code [C, 1, kh, kw]}. */
    static TorchTensor depthwiseToTorch(Tensor weight) {
        int[] s = weight.shape();
        int kh = s[1], kw = s[2], c = s[3];
        float[] src = weight.values(), dst = new float[src.length];
        for (int y = 0; y < kh; y++)
            for (int x = 0; x < kw; x++)
                for (int ch = 0; ch < c; ch++)
                    dst[(ch * kh + y) * kw + x] = src[(y * kw + x) * c + ch];
        return new TorchTensor(new int[] {c, 1, kh, kw}, dst);
    }

    /**
     * BatchNorm2d that computes {@code x + bias} in eval mode: the conv's folded bias becomes the BN bias, weight 1,
     * running_mean 0 and running_var {@code 1 - eps} (so {@code var + eps = 1}).
     */
    static void putFoldedBatchNorm(LinkedHashMap<String, TorchTensor> stateDict, String prefix, float[] bias, float eps) {
        int c = bias.length;
        float[] ones = new float[c], variance = new float[c];
        Arrays.fill(ones, 1f);
        Arrays.fill(variance, 1f - eps);
        stateDict.put(prefix + ".weight", new TorchTensor(new int[] {c}, ones));
        stateDict.put(prefix + ".bias", new TorchTensor(new int[] {c}, bias.clone()));
        stateDict.put(prefix + ".running_mean", new TorchTensor(new int[] {c}, new float[c]));
        stateDict.put(prefix + ".running_var", new TorchTensor(new int[] {c}, variance));
        stateDict.put(prefix + ".num_batches_tracked", new TorchTensor(new int[0], new float[] {0f}));
    }

    /**
     * The input tensor's quantization is the preprocessing, {@code real = scale * (pixel - zeroPoint)}, after TF-slim's
     * eval crop (the central {@code cropFraction}) and a resize to {@code size x size}. The input must be uint8
     * {@code [1, size, size, 3]} with one scale and zero point.
     */
    static Preprocess preprocessing(TfliteModel model, int size, double cropFraction) {
        if (model.inputs().length != 1) throw new BadInputException(model.file(), model.inputs().length + " inputs, expected 1");
        Tensor input = model.tensor(model.inputs()[0]);
        if (!Arrays.equals(input.shape(), new int[] {1, size, size, 3})) {
            throw new BadInputException(model.file(), "input " + input + ", expected [1, " + size + ", " + size + ", 3]");
        }
        var q = input.quantization();
        if (input.type() != TfliteModel.Type.UINT8 || q.scale().length != 1 || !(q.scale()[0] > 0)
                || !Float.isFinite(q.scale()[0]) || !Float.isFinite((float) (1.0 / q.scale()[0]))
                || q.zeroPoint().length != 1 || q.zeroPoint()[0] < 0 || q.zeroPoint()[0] > 255) {
            throw new BadInputException(model.file(), "input " + input + " is not uint8 with one scale and zero point;"
                    + " its preprocessing is unknown");
        }
        return Preprocess.tfCentralCrop(cropFraction, size, q.zeroPoint()[0], 1.0 / q.scale()[0]);
    }

    /** The labels found with a file: none, or one a class. */
    static List<String> checkedLabels(Path file, List<String> labels, int classes) {
        if (!labels.isEmpty() && labels.size() != classes) {
            throw new BadInputException(file, "labels: " + labels.size() + " lines, expected " + classes);
        }
        return labels;
    }
}
