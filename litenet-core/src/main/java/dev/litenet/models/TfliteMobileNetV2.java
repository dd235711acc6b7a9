package dev.litenet.models;

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
import dev.litenet.io.TfliteModel.Tensor;
import dev.litenet.models.TfliteConvs.Slot;

import java.util.ArrayList;
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
                case ConvBNReLU c -> slots.add(TfliteConvs.slot(p + ".0", p + ".1", c.conv(), true));
                case InvertedResidual r -> {
                    List<Layer> layers = List.copyOf(r.conv().children().values());
                    for (int i = 0; i < layers.size(); i++) {
                        String q = p + ".conv." + i;
                        if (layers.get(i) instanceof ConvBNReLU c) slots.add(TfliteConvs.slot(q + ".0", q + ".1", c.conv(), true));
                        else if (layers.get(i) instanceof Conv2d c) slots.add(TfliteConvs.slot(q, p + ".conv." + (i + 1), c, false));
                    }
                }
                default -> throw new IllegalStateException("unexpected block " + p);
            }
        }
        Linear head = (Linear) ((Sequential) net.classifier()).get(1);
        slots.add(new Slot("classifier.1", null, false, head.in, head.out, 1, 1, false));
        return slots;
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
            Tensor weight = TfliteConvs.check(model, slot, op);
            TfliteConvs.put(stateDict, slot, weight, model.tensor(op.inputs()[2]).values(), BN_EPS);
        }
        return new TfliteImport("mobilenet_v2", 1f, stateDict, dev.litenet.tensor.Padding.TF_SAME,
                TfliteConvs.preprocessing(model, INPUT, CROP_FRACTION), labels(model));
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

    private static List<String> labels(TfliteModel model) { return TfliteConvs.checkedLabels(model.file(), model.labels(), CLASSES); }

    /** The labels that come with a TFLite file ({@code imagenet_labels.txt} beside it or inside it): none, or one a class. */
    public static List<String> labels(java.nio.file.Path file) { return TfliteConvs.checkedLabels(file, TfliteFile.labels(file), CLASSES); }
}
