package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteModel;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Sequential;

import dev.litenet.BadInputException;
import dev.litenet.tensor.TorchTensor;

import dev.litenet.io.TfliteModel.Activation;
import dev.litenet.io.TfliteModel.Op;
import dev.litenet.io.TfliteModel.Operator;
import dev.litenet.io.TfliteModel.Options;
import dev.litenet.io.TfliteModel.Padding;
import dev.litenet.io.TfliteModel.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Turns a TFLite MobileNetV2 1.0/224 ImageNet classifier (Google's uint8 QAT or int8 PTQ file) into a
 * state_dict with exactly torchvision's MobileNetV2 keys, for 1001 classes. The graph's convolutions, in
 * execution order, are matched one to one against torchvision's, built from the paper's (t, c, n, s) table;
 * each must have the expected kernel, channels, stride and activation, or the file is rejected.
 *
 * <p>TFLite has folded BatchNorm into each conv's weight and bias, so every BatchNorm comes out as identity
 * plus that bias: weight 1, running_mean 0, running_var {@code 1 - eps} (so {@code var + eps = 1}).
 */
public final class TfliteMobileNetV2 {
    private TfliteMobileNetV2() {}

    private static final int CLASSES = 1001, INPUT = 224;
    private static final float BN_EPS = 1e-5f, CROP_FRACTION = 0.875f;
    private static final Set<Op> SUPPORTED = EnumSet.of(Op.CONV_2D, Op.DEPTHWISE_CONV_2D, Op.ADD, Op.AVERAGE_POOL_2D,
            Op.MEAN, Op.RESHAPE, Op.SOFTMAX, Op.QUANTIZE);

    /** One torchvision conv: its weight key prefix, its BatchNorm prefix (null for the classifier), its geometry. */
    record Slot(String conv, String bn, boolean depthwise, int in, int out, int kernel, int stride, boolean relu6) {}

    /**
     * torchvision's 52 convs and the classifier, in forward order, read off a MobileNetV2 built from the paper's
     * table: the one description of the architecture.
     */
    static List<Slot> slots() { return Layout.SLOTS; }

    /** Residual additions: the blocks whose input and output shapes agree. */
    static int residualCount() { return Layout.RESIDUALS; }

    /** Read once, from one model built for the purpose (its weights are garbage right after). */
    private static final class Layout {
        static final List<Slot> SLOTS;
        static final int RESIDUALS;

        static {
            MobileNetV2 net = new MobileNetV2(CLASSES);
            SLOTS = List.copyOf(slots(net));
            RESIDUALS = (int) net.features().children().values().stream()
                    .filter(b -> b instanceof InvertedResidual r && r.useResidual).count();
        }
    }

    private static List<Slot> slots(MobileNetV2 net) {
        List<Slot> slots = new ArrayList<>();
        for (var block : net.features().children().entrySet()) {
            String p = "features." + block.getKey();
            switch (block.getValue()) {
                case ConvBNReLU c -> slots.add(slot(p + ".0", p + ".1", c.conv(), true));
                case InvertedResidual r -> {
                    List<Layer> layers = List.copyOf(r.conv().children().values());
                    for (int i = 0; i < layers.size(); i++) {
                        String q = p + ".conv." + i;
                        if (layers.get(i) instanceof ConvBNReLU c) slots.add(slot(q + ".0", q + ".1", c.conv(), true));
                        else if (layers.get(i) instanceof Conv2d c) slots.add(slot(q, p + ".conv." + (i + 1), c, false));
                    }
                }
                default -> throw new IllegalStateException("unexpected block " + p);
            }
        }
        Linear head = (Linear) ((Sequential) net.classifier()).get(1);
        slots.add(new Slot("classifier.1", null, false, head.in, head.out, 1, 1, false));
        return slots;
    }

    private static Slot slot(String conv, String bn, Conv2d c, boolean relu6) {
        return new Slot(conv, bn, c.depthwise(), c.in, c.out, c.k, c.stride, relu6);
    }

    public static TfliteImport toStateDict(TfliteModel model) {
        List<Operator> convs = checkOperators(model);
        List<Slot> slots = slots();
        if (convs.size() != slots.size()) {
            throw new BadInputException(model.file(), "not a MobileNetV2 1.0: " + convs.size()
                    + " convolutions, expected " + slots.size());
        }
        LinkedHashMap<String, TorchTensor> stateDict = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            Operator op = convs.get(i);
            Tensor weight = check(model, slot, op);
            float[] bias = model.tensor(op.inputs()[2]).values();
            if (slot.bn() == null) {
                stateDict.put(slot.conv() + ".weight", new TorchTensor(new int[] {slot.out(), slot.in()}, weight.values()));
                stateDict.put(slot.conv() + ".bias", new TorchTensor(new int[] {slot.out()}, bias));
            } else {
                stateDict.put(slot.conv() + ".weight", slot.depthwise() ? depthwiseToTorch(weight) : convToTorch(weight));
                putFoldedBatchNorm(stateDict, slot.bn(), bias);
            }
        }
        return new TfliteImport(stateDict, dev.litenet.tensor.Padding.TF_SAME, preprocessing(model), labels(model));
    }

    /** The conv operators in graph order, after checking every operator is one MobileNetV2 uses. */
    private static List<Operator> checkOperators(TfliteModel model) {
        List<Operator> convs = new ArrayList<>();
        int adds = 0, pools = 0;
        for (Operator op : model.operators()) {
            if (!SUPPORTED.contains(op.op()) || !op.customCode().isEmpty()) {
                throw new BadInputException(model.file(), "unsupported operator " + op.name() + " (operator " + op.index()
                        + "); a MobileNetV2 uses only " + SUPPORTED);
            }
            switch (op.op()) {
                case CONV_2D, DEPTHWISE_CONV_2D -> convs.add(op);
                case ADD -> {
                    adds++;
                    if (((Options.Add) op.options()).activation() != Activation.NONE) {
                        throw new BadInputException(model.file(), op + ": a residual addition has no activation");
                    }
                }
                case AVERAGE_POOL_2D, MEAN -> pools++;
                default -> { }
            }
        }
        if (adds != residualCount() || pools != 1) {
            throw new BadInputException(model.file(), "not a MobileNetV2 1.0: " + adds + " ADD and " + pools
                    + " pooling operators, expected " + residualCount() + " and 1");
        }
        return convs;
    }

    /** Checks one conv operator against torchvision's slot; returns its weight tensor. */
    private static Tensor check(TfliteModel model, Slot slot, Operator op) {
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

    private static void expect(TfliteModel model, String what, int found, int expected) {
        if (found != expected) throw new BadInputException(model.file(), what + " " + found + ", expected " + expected);
    }

    private static void expectShape(TfliteModel model, String what, Tensor t, int[] shape) {
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

    /** BatchNorm2d that computes {@code x + bias} in eval mode: the conv's folded bias becomes the BN bias. */
    private static void putFoldedBatchNorm(LinkedHashMap<String, TorchTensor> stateDict, String prefix, float[] bias) {
        int c = bias.length;
        float[] ones = new float[c], variance = new float[c];
        Arrays.fill(ones, 1f);
        Arrays.fill(variance, 1f - BN_EPS);
        stateDict.put(prefix + ".weight", new TorchTensor(new int[] {c}, ones));
        stateDict.put(prefix + ".bias", new TorchTensor(new int[] {c}, bias.clone()));
        stateDict.put(prefix + ".running_mean", new TorchTensor(new int[] {c}, new float[c]));
        stateDict.put(prefix + ".running_var", new TorchTensor(new int[] {c}, variance));
        stateDict.put(prefix + ".num_batches_tracked", new TorchTensor(new int[0], new float[] {0f}));
    }

    /** The input tensor's quantization is the preprocessing: {@code real = scale * (pixel - zeroPoint)}. */
    private static Preprocess preprocessing(TfliteModel model) {
        if (model.inputs().length != 1) throw new BadInputException(model.file(), model.inputs().length + " inputs, expected 1");
        Tensor input = model.tensor(model.inputs()[0]);
        if (!Arrays.equals(input.shape(), new int[] {1, INPUT, INPUT, 3})) {
            throw new BadInputException(model.file(), "input " + input + ", expected [1, 224, 224, 3]");
        }
        var q = input.quantization();
        if (input.type() != TfliteModel.Type.UINT8 || q.scale().length != 1 || !(q.scale()[0] > 0)
                || !Float.isFinite(q.scale()[0]) || !Float.isFinite((float) (1.0 / q.scale()[0]))
                || q.zeroPoint().length != 1 || q.zeroPoint()[0] < 0 || q.zeroPoint()[0] > 255) {
            throw new BadInputException(model.file(), "input " + input + " is not uint8 with one scale and zero point;"
                    + " its preprocessing is unknown");
        }
        return Preprocess.tfCentralCrop(CROP_FRACTION, INPUT, q.zeroPoint()[0], 1.0 / q.scale()[0]);
    }

    private static List<String> labels(TfliteModel model) { return checkedLabels(model.file(), model.labels()); }

    /** The labels that come with a TFLite file ({@code imagenet_labels.txt} beside it or inside it): none, or one a class. */
    public static List<String> labels(java.nio.file.Path file) { return checkedLabels(file, TfliteFile.labels(file)); }

    private static List<String> checkedLabels(java.nio.file.Path file, List<String> labels) {
        if (!labels.isEmpty() && labels.size() != CLASSES) {
            throw new BadInputException(file, "labels: " + labels.size() + " lines, expected " + CLASSES);
        }
        return labels;
    }
}
