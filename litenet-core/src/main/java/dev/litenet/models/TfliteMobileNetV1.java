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
import dev.litenet.models.TfliteConvs.Slot;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.TorchTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Turns a TF-slim MobileNet V1 TFLite file into a state_dict with {@link MobileNetV1}'s names: Google's uint8
 * quantization-aware ImageNet classifiers ({@code mobilenet_v1_<alpha>_<size>_quant}: 1001 classes) and Coral's
 * {@code mobilenet_v1_1.0_224_quant_embedding_extractor}, the same network cut after the average pool (no
 * classifier: no {@code classifier.*} entries, {@link TfliteImport#numClasses()} 0).
 *
 * <p>What the file must be, read from the file itself: one chain of operators from the input, a uint8
 * {@code [1, S, S, 3]} input (S is the input size; its quantization is the preprocessing), then the 27 convs of
 * {@link MobileNetV1} at some width (the stem, then 13 depthwise and pointwise pairs, each with TF SAME padding, its
 * stride and a fused ReLU6), one average pool over the whole map, and optionally the 1×1 logits conv followed by
 * RESHAPE and SOFTMAX. The width alpha is read off the last pointwise conv ({@code 1024·alpha} channels) and the
 * classes off the logits conv; the convs of a MobileNetV1 built at that width are then matched one by one against
 * the graph's, kernel, stride, channels and output size, and the first that differs rejects the file with one
 * {@link BadInputException} naming it.
 *
 * <p>TFLite has folded BatchNorm into each conv, so every BatchNorm comes out as identity plus the conv's bias:
 * weight 1, running_mean 0, running_var {@code 1 - 0.001} (TF-slim's eps, so {@code var + eps = 1}).
 */
public final class TfliteMobileNetV1 {
    private TfliteMobileNetV1() {}

    /** TF-slim's eval preprocessing keeps the central 87.5 % of the image before resizing. */
    private static final double CROP_FRACTION = 0.875;
    private static final Set<Op> SUPPORTED = EnumSet.of(Op.CONV_2D, Op.DEPTHWISE_CONV_2D, Op.AVERAGE_POOL_2D, Op.MEAN,
            Op.RESHAPE, Op.SOFTMAX, Op.QUANTIZE);

    /**
     * Whether a graph is a MobileNet V1 rather than a MobileNetV2 ({@link TfliteMobileNetV2}): it has depthwise convs
     * and no ADD operator (MobileNet V1 is a plain stack; MobileNetV2's inverted residuals add, 10 ADD operators in
     * Google's files). Cheap; {@link #toStateDict} then checks the graph conv by conv.
     */
    public static boolean recognizes(TfliteModel model) {
        boolean depthwise = false;
        for (Operator op : model.operators()) {
            if (op.op() == Op.ADD) return false;
            depthwise |= op.op() == Op.DEPTHWISE_CONV_2D;
        }
        return depthwise;
    }

    /** The state_dict, width, padding, preprocessing and labels of a MobileNet V1 file; any other graph is bad input. */
    public static TfliteImport toStateDict(TfliteModel model) {
        Preprocess preprocess = preprocessing(model);
        Graph graph = graph(model);
        int channels = channels(model, graph.trunk());
        float alpha = channels / 1024f;
        int classes = graph.logits() == null ? 0 : classes(model, graph.logits(), channels);
        // the trunk's slots, read off a network whose size the file's last conv vouches for (its head is the file's)
        MobileNetV1 layout = new MobileNetV1(1, alpha);
        List<Slot> trunk = slots(layout);

        LinkedHashMap<String, TorchTensor> stateDict = new LinkedHashMap<>();
        int h = preprocess.outputSize(), w = h;
        for (int i = 0; i < Math.max(graph.trunk().size(), trunk.size()); i++) {
            if (i >= graph.trunk().size()) {
                throw new BadInputException(model.file(), "not a MobileNet V1: " + graph.trunk().size()
                        + " convolutions before the pooling, expected " + trunk.size() + " (the next would be " + trunk.get(i).conv() + ")");
            }
            Operator op = graph.trunk().get(i);
            if (i >= trunk.size()) {
                throw new BadInputException(model.file(), "not a MobileNet V1: " + op + " follows the last of its "
                        + trunk.size() + " convolutions before the pooling");
            }
            Slot slot = trunk.get(i);
            Tensor weight = TfliteConvs.check(model, slot, op);
            var g = dev.litenet.tensor.Padding.TF_SAME.geometry(h, w, slot.kernel(), slot.stride());
            h = g.outH();
            w = g.outW();
            expectOutput(model, op, slot.conv(), new int[] {1, h, w, slot.out()});
            TfliteConvs.put(stateDict, slot, weight, model.tensor(op.inputs()[2]).values(), MobileNetV1.BN_EPS);
        }
        checkPool(model, graph.pool(), new int[] {1, h, w, trunk.getLast().out()});
        if (graph.logits() != null) {
            Slot head = new Slot(layout.headName(), null, false, channels, classes, 1, 1, false);
            Tensor weight = TfliteConvs.check(model, head, graph.logits());
            TfliteConvs.put(stateDict, head, weight, model.tensor(graph.logits().inputs()[2]).values(), MobileNetV1.BN_EPS);
        }
        List<String> labels = classes == 0 ? List.of() : TfliteConvs.checkedLabels(model.file(), model.labels(), classes);
        return new TfliteImport("mobilenet_v1", alpha, stateDict, dev.litenet.tensor.Padding.TF_SAME, preprocess, labels);
    }

    /** The convs before the pooling, the pooling, and the logits conv (null in an embedding extractor). */
    private record Graph(List<Operator> trunk, Operator pool, Operator logits) {}

    /** Splits the graph at its pooling after checking every operator is one MobileNet V1 uses, in one chain. */
    private static Graph graph(TfliteModel model) {
        List<Operator> trunk = new ArrayList<>();
        Operator pool = null, logits = null;
        int previous = model.inputs()[0];
        for (Operator op : model.operators()) {
            if (!SUPPORTED.contains(op.op()) || !op.customCode().isEmpty()) {
                throw new BadInputException(model.file(), "not a MobileNet V1: unsupported operator " + op.name()
                        + " (operator " + op.index() + "); a MobileNet V1 uses only " + SUPPORTED);
            }
            if (op.inputs().length == 0 || op.inputs()[0] != previous || op.outputs().length != 1 || op.outputs()[0] < 0) {
                throw new BadInputException(model.file(), "not a MobileNet V1: " + op + " does not take the output of the"
                        + " operator before it (a MobileNet V1 is one chain of operators)");
            }
            previous = op.outputs()[0];
            switch (op.op()) {
                case CONV_2D, DEPTHWISE_CONV_2D -> {
                    if (pool == null) trunk.add(op);
                    else if (logits == null && op.op() == Op.CONV_2D) logits = op;
                    else throw new BadInputException(model.file(), "not a MobileNet V1: " + op + " after the pooling"
                                + (logits == null ? "" : " and the logits conv"));
                }
                case AVERAGE_POOL_2D, MEAN -> {
                    if (pool != null) throw new BadInputException(model.file(), "not a MobileNet V1: a second pooling, " + op);
                    pool = op;
                }
                case RESHAPE, SOFTMAX -> {
                    if (pool == null) throw new BadInputException(model.file(), "not a MobileNet V1: " + op + " before the pooling");
                    if (op.options() instanceof Options.Softmax s && s.beta() != 1f) {
                        throw new BadInputException(model.file(), op + ": softmax beta " + s.beta() + ", expected 1");
                    }
                }
                default -> { }                                     // QUANTIZE: the identity in float
            }
        }
        if (trunk.isEmpty() || pool == null) {
            throw new BadInputException(model.file(), "not a MobileNet V1: " + trunk.size() + " convolutions and "
                    + (pool == null ? "no" : "one") + " pooling; expected convolutions, then an average pool");
        }
        if (Arrays.stream(model.outputs()).noneMatch(o -> o == model.operators().getLast().outputs()[0])) {
            throw new BadInputException(model.file(), "not a MobileNet V1: the graph's output is not its last operator's");
        }
        return new Graph(trunk, pool, logits);
    }

    /** The input quantization after a central 87.5 % crop and a resize to the file's own input size. */
    private static Preprocess preprocessing(TfliteModel model) {
        if (model.inputs().length != 1) throw new BadInputException(model.file(), model.inputs().length + " inputs, expected 1");
        Tensor input = model.tensor(model.inputs()[0]);
        int[] s = input.shape();
        boolean square = s.length == 4 && s[0] == 1 && s[1] == s[2] && s[3] == 3 && s[1] >= 1 && s[1] <= Preprocess.MAX_SIZE;
        if (!square) {
            throw new BadInputException(model.file(), "input " + input + ", expected [1, S, S, 3]: one square RGB image"
                    + " of at most " + Preprocess.MAX_SIZE + " pixels a side");
        }
        return TfliteConvs.preprocessing(model, s[1], CROP_FRACTION);
    }

    /**
     * The channels of the last conv before the pooling, Conv2d_13_pointwise: {@code depth(1024)} in and out, so
     * {@code alpha = channels / 1024}. Its weight must be constant, so a file cannot claim a width whose weights it
     * does not hold.
     */
    private static int channels(TfliteModel model, List<Operator> trunk) {
        Operator last = trunk.getLast();
        Tensor weight = last.inputs().length > 1 && last.inputs()[1] >= 0 ? model.tensor(last.inputs()[1]) : null;
        int lo = MobileNetV1.depth(1024, Architecture.MIN_WIDTH), hi = MobileNetV1.depth(1024, Architecture.MAX_WIDTH);
        int[] s = weight == null ? new int[0] : weight.shape();
        int channels = s.length == 4 ? s[0] : -1;
        if (last.op() != Op.CONV_2D || weight == null || !weight.isConstant()
                || !Arrays.equals(s, new int[] {channels, 1, 1, channels}) || channels < lo || channels > hi) {
            throw new BadInputException(model.file(), "not a MobileNet V1: its last conv before the pooling, " + last
                    + (weight == null ? "" : " with weight " + weight + (weight.isConstant() ? "" : " (not constant)"))
                    + ", is not a pointwise conv of "
                    + lo + " to " + hi + " channels in and out (1024 times a width of " + Architecture.MIN_WIDTH + " to "
                    + Architecture.MAX_WIDTH + ")");
        }
        return channels;
    }

    /** The classes, from the logits conv's constant {@code [classes, 1, 1, channels]} weight. */
    private static int classes(TfliteModel model, Operator logits, int channels) {
        Tensor weight = logits.inputs().length > 1 && logits.inputs()[1] >= 0 ? model.tensor(logits.inputs()[1]) : null;
        int[] s = weight == null ? new int[0] : weight.shape();
        int classes = s.length == 4 ? s[0] : -1;
        if (weight == null || !weight.isConstant() || !Arrays.equals(s, new int[] {classes, 1, 1, channels})
                || classes < 1 || classes > Architecture.MAX_CLASSES) {
            throw new BadInputException(model.file(), logits + " as classifier.1: weight "
                    + (weight == null ? "missing" : weight + (weight.isConstant() ? "" : " (not constant)"))
                    + ", expected [classes, 1, 1, " + channels + "] with 1 to " + Architecture.MAX_CLASSES + " classes");
        }
        return classes;
    }

    /** The stem and the depthwise and pointwise convs of the 13 pairs, in forward order, read off a built network. */
    static List<Slot> slots(MobileNetV1 net) {
        List<Slot> slots = new ArrayList<>();
        for (Network.Unit unit : net.units()) {
            switch (unit.layer()) {
                case ConvBNReLU c -> slots.add(TfliteConvs.slot(unit.name() + ".0", unit.name() + ".1", c.conv(), true));
                case Sequential pair -> {
                    for (int i = 0; i < pair.size(); i++) {
                        String p = unit.name() + "." + i;
                        slots.add(TfliteConvs.slot(p + ".0", p + ".1", ((ConvBNReLU) pair.get(i)).conv(), true));
                    }
                }
                default -> throw new IllegalStateException("unexpected unit " + unit.name());
            }
        }
        return slots;
    }

    private static void expectOutput(TfliteModel model, Operator op, String slot, int[] shape) {
        Tensor out = model.tensor(op.outputs()[0]);
        if (!Arrays.equals(out.shape(), shape)) {
            throw new BadInputException(model.file(), op + " as " + slot + ": output " + out + ", expected "
                    + Arrays.toString(shape) + " (TF SAME padding)");
        }
    }

    /** An average over the whole {@code [1, h, w, c]} map: a VALID window of its size, or MEAN over height and width. */
    private static void checkPool(TfliteModel model, Operator pool, int[] input) {
        int[] found = model.tensor(pool.inputs()[0]).shape();
        if (!Arrays.equals(found, input)) {
            throw new BadInputException(model.file(), pool + ": input " + Arrays.toString(found) + ", expected "
                    + Arrays.toString(input));
        }
        boolean global = switch (pool.options()) {
            case Options.Pool o -> o.padding() == Padding.VALID && o.filterH() == input[1] && o.filterW() == input[2]
                    && o.activation() == Activation.NONE;
            default -> pool.inputs().length > 1 && pool.inputs()[1] >= 0
                    && Arrays.equals(model.tensor(pool.inputs()[1]).values(), new float[] {1, 2});
        };
        if (!global) {
            throw new BadInputException(model.file(), "not a MobileNet V1: " + pool + " " + pool.options()
                    + " is not an average over the whole " + input[1] + "x" + input[2] + " map");
        }
    }
}
