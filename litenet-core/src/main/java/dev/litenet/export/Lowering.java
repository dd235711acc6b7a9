package dev.litenet.export;

import dev.litenet.BadInputException;
import dev.litenet.export.Graph.Act;
import dev.litenet.export.Graph.Origin;
import dev.litenet.export.Graph.Unary;
import dev.litenet.export.Graph.Value;
import dev.litenet.models.BasicBlock;
import dev.litenet.models.Bottleneck;
import dev.litenet.models.Conv2dNormActivation;
import dev.litenet.models.ConvBNReLU;
import dev.litenet.models.InvertedResidual;
import dev.litenet.models.MBConv;
import dev.litenet.models.MobileNetV3Block;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.ShuffleBlock;
import dev.litenet.nn.AdaptiveAvgPool2d;
import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.ChannelShuffle;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Dropout;
import dev.litenet.nn.Flatten;
import dev.litenet.nn.GlobalAvgPool;
import dev.litenet.nn.Hardsigmoid;
import dev.litenet.nn.Hardswish;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.MaxPool2d;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.ReLU6;
import dev.litenet.nn.Sequential;
import dev.litenet.nn.SiLU;
import dev.litenet.nn.Sigmoid;
import dev.litenet.nn.SqueezeExcitation;
import dev.litenet.nn.StochasticDepth;
import dev.litenet.tensor.Channels;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model's network as a {@link Graph}: one lowering per layer type, looked up by the layer's exact class (a subclass
 * with a forward of its own is not silently taken for its parent), each saying in graph ops what the layer's eval-mode
 * forward computes. A conv followed by its BatchNorm becomes one conv with the BatchNorm folded in
 * ({@link Conv2d#foldedWith}); dropout and stochastic depth vanish. A layer type without a lowering is an error naming
 * the type and where it sits: a new block needs its lowering here before its architecture can be exported.
 *
 * <p>The graph: the image (N,S,S,3), already preprocessed; optionally an input affine (per-channel normalization an
 * integer input cannot carry); with {@code bothViews} the image and its mirror stacked on the batch; the trunk's units;
 * the global mean; the neck; with {@code bothViews} the mean of the two views' embeddings; the head ({@code logits});
 * their softmax ({@code probabilities}). Google's "background" output is left out, as {@code ImageClassifier} does.
 */
public final class Lowering {
    /** Lowers one layer: x is its input, the result its output. */
    @FunctionalInterface
    interface Rule { Value lower(Lowering g, String path, Layer layer, Value x); }

    private static final Map<Class<? extends Layer>, Rule> RULES = Map.ofEntries(
            Map.entry(Sequential.class, (g, p, l, x) -> g.sequence(p, l, x)),
            Map.entry(ConvBNReLU.class, (g, p, l, x) -> g.sequence(p, l, x)),
            Map.entry(Conv2dNormActivation.class, (g, p, l, x) -> g.sequence(p, l, x)),
            Map.entry(Conv2d.class, (g, p, l, x) -> g.conv(p, (Conv2d) l, null, null, x)),
            Map.entry(BatchNorm2d.class, (g, p, l, x) -> g.batchNorm(p, (BatchNorm2d) l, x)),
            Map.entry(ReLU.class, (g, p, l, x) -> g.unary(p, Unary.RELU, x)),
            Map.entry(ReLU6.class, (g, p, l, x) -> g.unary(p, Unary.RELU6, x)),
            Map.entry(Hardswish.class, (g, p, l, x) -> g.unary(p, Unary.HARDSWISH, x)),
            Map.entry(Hardsigmoid.class, (g, p, l, x) -> g.unary(p, Unary.HARDSIGMOID, x)),
            Map.entry(Sigmoid.class, (g, p, l, x) -> g.unary(p, Unary.SIGMOID, x)),
            Map.entry(SiLU.class, (g, p, l, x) -> g.unary(p, Unary.SILU, x)),
            Map.entry(Dropout.class, (g, p, l, x) -> x),
            Map.entry(StochasticDepth.class, (g, p, l, x) -> x),
            Map.entry(MaxPool2d.class, (g, p, l, x) -> g.maxPool(p, (MaxPool2d) l, x)),
            Map.entry(GlobalAvgPool.class, (g, p, l, x) -> g.mean(p, x, false)),
            Map.entry(AdaptiveAvgPool2d.class, (g, p, l, x) -> g.mean(p, x, true)),
            Map.entry(Linear.class, (g, p, l, x) -> g.dense(p, (Linear) l, x, 0)),
            Map.entry(Flatten.class, (g, p, l, x) -> g.flatten(p, x)),
            Map.entry(ChannelShuffle.class, (g, p, l, x) -> g.shuffle(p, ((ChannelShuffle) l).groups, x)),
            Map.entry(SqueezeExcitation.class, (g, p, l, x) -> g.squeezeExcitation(p, (SqueezeExcitation) l, x)),
            Map.entry(InvertedResidual.class, (g, p, l, x) -> {
                InvertedResidual r = (InvertedResidual) l;
                Value y = g.lower(p + ".conv", r.conv(), x);
                return r.useResidual ? g.add(p, x, y) : y;
            }),
            Map.entry(MBConv.class, (g, p, l, x) -> {
                MBConv b = (MBConv) l;
                Value y = g.lower(p + ".block", b.block(), x);
                return b.useResidual ? g.add(p, x, y) : y;
            }),
            Map.entry(MobileNetV3Block.class, (g, p, l, x) -> {
                MobileNetV3Block b = (MobileNetV3Block) l;
                Value y = g.lower(p + ".block", b.block(), x);
                return b.useResidual ? g.add(p, x, y) : y;
            }),
            Map.entry(BasicBlock.class, (g, p, l, x) -> g.basicBlock(p, (BasicBlock) l, x)),
            Map.entry(Bottleneck.class, (g, p, l, x) -> g.bottleneck(p, (Bottleneck) l, x)),
            Map.entry(ShuffleBlock.class, (g, p, l, x) -> g.shuffleBlock(p, (ShuffleBlock) l, x)));

    private final Graph graph = new Graph();
    private final String architecture;

    private Lowering(String architecture) { this.architecture = architecture; }

    /** Whether a layer type has a lowering. */
    public static boolean supports(Class<? extends Layer> type) { return RULES.containsKey(type); }

    /**
     * The model as a graph for one image of its input size.
     *
     * @param bothViews   stack the mirrored image on the batch and average the two embeddings (test-time flip)
     * @param inputAffine per-channel {@code [scale, shift]} applied to the input first, or null
     * @throws BadInputException naming the layer type and its path if a layer has no lowering, or if the model has no
     *                           classifier (an embedding extractor)
     */
    public static Graph lower(Model model, boolean bothViews, float[][] inputAffine) {
        if (model.headless()) {
            throw new BadInputException(model.origin() + " is an embedding extractor, without a classifier: train a head on it before exporting");
        }
        Network net = model.network();
        net.train(false);
        Lowering g = new Lowering(model.architecture());
        int s = model.preprocess().outputSize();
        Value x = g.graph.value("image", 1, s, s, 3);
        g.graph.setInput(x);
        if (inputAffine != null) x = g.affine("input_normalization", x, inputAffine[0], inputAffine[1]);
        if (bothViews) {
            Value mirrored = g.graph.value("image_mirrored", x.shape());
            g.graph.add(new Graph.Reverse("test_time_flip.mirror", x, mirrored, 2));
            Value both = g.graph.value("views", 2, s, s, 3);
            g.graph.add(new Graph.Concat("test_time_flip.views", List.of(x, mirrored), both, 0));
            x = both;
        }
        List<Map.Entry<String, Layer>> units = new ArrayList<>();
        for (Network.Unit u : net.units()) units.add(Map.entry(u.name(), u.layer()));
        x = g.sequence(units, x);
        x = g.mean("pool", x, false);
        List<Layer> neck = net.neck();
        String classifier = net.classifierName();
        for (int i = 0; i < neck.size(); i++) x = g.lower(classifier + "." + i, neck.get(i), x);
        if (bothViews) {
            int e = x.channels();
            Value pairs = g.graph.value("view_embeddings", 2, 1, e);
            g.graph.add(new Graph.Reshape("test_time_flip.pairs", x, pairs, new int[] {2, -1, e}));
            Value mean = g.graph.value("embedding", 1, e);
            g.graph.add(new Graph.Mean("test_time_flip.mean", pairs, mean, new int[] {0}, false));
            x = mean;
        }
        boolean background = !model.labels().isEmpty() && model.labels().getFirst().equals("background");
        Value logits = g.dense(net.headName(), net.head(), x, background ? 1 : 0, "logits");
        Value probabilities = g.graph.value("probabilities", logits.shape());
        g.graph.add(new Graph.Softmax("softmax", logits, probabilities));
        g.graph.addOutput(logits);
        g.graph.addOutput(probabilities);
        g.graph.fuseActivations();
        return g.graph;
    }

    // ---- the rules -------------------------------------------------------------------------------------------

    private Value lower(String path, Layer layer, Value x) {
        Rule rule = RULES.get(layer.getClass());
        if (rule == null) {
            throw new BadInputException("cannot export " + architecture + ": layer type " + layer.getClass().getSimpleName()
                    + " (" + path + ") has no export yet");
        }
        return rule.lower(this, path, layer, x);
    }

    private Value sequence(String path, Layer container, Value x) {
        List<Map.Entry<String, Layer>> children = new ArrayList<>();
        container.children().forEach((n, c) -> children.add(Map.entry(path + "." + n, c)));
        return sequence(children, x);
    }

    /** Children in order, each conv followed by a BatchNorm folded with it. */
    private Value sequence(List<Map.Entry<String, Layer>> children, Value x) {
        for (int i = 0; i < children.size(); i++) {
            var e = children.get(i);
            if (e.getValue() instanceof Conv2d conv && i + 1 < children.size() && children.get(i + 1).getValue() instanceof BatchNorm2d bn) {
                x = conv(e.getKey(), conv, bn, children.get(i + 1).getKey(), x);
                i++;
            } else {
                x = lower(e.getKey(), e.getValue(), x);
            }
        }
        return x;
    }

    private Value conv(String path, Conv2d conv, BatchNorm2d bn, String bnPath, Value x) {
        if (x.rank() != 4 || x.channels() != conv.in) throw new IllegalStateException(path + ": " + conv + " cannot take " + x);
        Conv2d c = bn == null ? conv : conv.foldedWith(bn, false);
        int h = x.shape()[1], w = x.shape()[2];
        Padding.Geometry g = c.geometry(h, w);
        int[] pads = {g.padTop(), g.padLeft(), endPad(h, g.outH(), conv.k, conv.stride, g.padTop()), endPad(w, g.outW(), conv.k, conv.stride, g.padLeft())};
        float[] bias = c.bias == null ? new float[conv.out] : c.bias.data.clone();
        Value y = graph.value(path, x.shape()[0], g.outH(), g.outW(), conv.out);
        graph.add(new Graph.Conv(path, x, y, c.weight.toTorch().data(), bias, conv.k, conv.stride, conv.groups, pads, Act.NONE,
                new Origin(path, bnPath)));
        return y;
    }

    /** The padding after the last row (or column) that gives {@code out} rows: none when the last input rows go unread. */
    static int endPad(int in, int out, int k, int stride, int start) { return Math.max(0, (out - 1) * stride + k - in - start); }

    private Value batchNorm(String path, BatchNorm2d bn, Value x) {
        float[][] ss = bn.evalScaleShift();
        return affine(path, x, ss[0], ss[1]);
    }

    private Value affine(String path, Value x, float[] scale, float[] shift) {
        Value y = graph.value(path, x.shape());
        graph.add(new Graph.Affine(path, x, y, scale.clone(), shift.clone()));
        return y;
    }

    private Value unary(String path, Unary kind, Value x) {
        Value y = graph.value(path, x.shape());
        graph.add(new Graph.Activation(path, kind, x, y));
        return y;
    }

    private Value add(String path, Value a, Value b) {
        Value y = graph.value(path + ".add", a.shape());
        graph.add(new Graph.Add(path + ".add", a, b, y, Act.NONE));
        return y;
    }

    private Value maxPool(String path, MaxPool2d pool, Value x) {
        int h = x.shape()[1], w = x.shape()[2];
        Padding.Geometry g = pool.geometry(h, w);
        int[] pads = {g.padTop(), g.padLeft(), endPad(h, g.outH(), pool.k, pool.stride, g.padTop()), endPad(w, g.outW(), pool.k, pool.stride, g.padLeft())};
        Value y = graph.value(path, x.shape()[0], g.outH(), g.outW(), x.channels());
        graph.add(new Graph.MaxPool(path, x, y, pool.k, pool.stride, pads));
        return y;
    }

    private Value mean(String path, Value x, boolean keepDims) {
        if (x.rank() != 4) throw new IllegalStateException(path + ": global pooling of " + x);
        Value y = keepDims ? graph.value(path, x.shape()[0], 1, 1, x.channels()) : graph.value(path, x.shape()[0], x.channels());
        graph.add(new Graph.Mean(path, x, y, new int[] {1, 2}, keepDims));
        return y;
    }

    private Value dense(String path, Linear linear, Value x, int skip) { return dense(path, linear, x, skip, path); }

    /** A Linear, its first {@code skip} outputs left out. */
    private Value dense(String path, Linear linear, Value x, int skip, String outName) {
        if (x.rank() != 2 || x.channels() != linear.in) throw new IllegalStateException(path + ": " + linear + " cannot take " + x);
        int out = linear.out - skip;
        float[] w = Arrays.copyOfRange(linear.weight.toTorch().data(), skip * linear.in, linear.out * linear.in);
        float[] b = Arrays.copyOfRange(linear.bias.data, skip, linear.out);
        Value y = graph.value(outName, x.shape()[0], out);
        graph.add(new Graph.Dense(path, x, y, w, b, Act.NONE, new Origin(path, null)));
        return y;
    }

    private Value flatten(String path, Value x) {
        if (x.rank() == 2) return x;
        if (x.rank() != 4 || x.shape()[1] * x.shape()[2] != 1) {
            throw new BadInputException("cannot export " + architecture + ": Flatten (" + path + ") of " + x + " (only of 1×1 images) has no export yet");
        }
        Value y = graph.value(path, x.shape()[0], x.channels());
        graph.add(new Graph.Reshape(path, x, y, new int[] {-1, x.channels()}));
        return y;
    }

    private Value shuffle(String path, int groups, Value x) {
        int c = x.channels();
        Tensor index = Tensor.zeros(1, 1, 1, c);
        for (int i = 0; i < c; i++) index.data[i] = i;
        float[] moved = Channels.shuffle(index, groups).data;
        int[] indices = new int[c];
        for (int i = 0; i < c; i++) indices[i] = (int) moved[i];
        Value y = graph.value(path, x.shape());
        graph.add(new Graph.Gather(path, x, y, 3, indices));
        return y;
    }

    private Value squeezeExcitation(String path, SqueezeExcitation se, Value x) {
        Value s = mean(path + ".avgpool", x, true);
        s = conv(path + ".fc1", se.fc1(), null, null, s);
        s = lower(path + ".activation", se.child("activation"), s);
        s = conv(path + ".fc2", se.fc2(), null, null, s);
        s = lower(path + ".scale_activation", se.child("scale_activation"), s);
        Value y = graph.value(path, x.shape());
        graph.add(new Graph.Mul(path + ".scale", x, s, y));
        return y;
    }

    private Value basicBlock(String path, BasicBlock block, Value x) {
        Value y = conv(path + ".conv1", (Conv2d) block.child("conv1"), (BatchNorm2d) block.child("bn1"), path + ".bn1", x);
        y = unary(path + ".relu", Unary.RELU, y);
        y = conv(path + ".conv2", (Conv2d) block.child("conv2"), (BatchNorm2d) block.child("bn2"), path + ".bn2", y);
        Value shortcut = block.hasDownsample() ? lower(path + ".downsample", block.child("downsample"), x) : x;
        return unary(path + ".relu_out", Unary.RELU, add(path, y, shortcut));
    }

    private Value bottleneck(String path, Bottleneck block, Value x) {
        Value y = conv(path + ".conv1", (Conv2d) block.child("conv1"), (BatchNorm2d) block.child("bn1"), path + ".bn1", x);
        y = unary(path + ".relu1", Unary.RELU, y);
        y = conv(path + ".conv2", (Conv2d) block.child("conv2"), (BatchNorm2d) block.child("bn2"), path + ".bn2", y);
        y = unary(path + ".relu2", Unary.RELU, y);
        y = conv(path + ".conv3", (Conv2d) block.child("conv3"), (BatchNorm2d) block.child("bn3"), path + ".bn3", y);
        Value shortcut = block.hasDownsample() ? lower(path + ".downsample", block.child("downsample"), x) : x;
        return unary(path + ".relu_out", Unary.RELU, add(path, y, shortcut));
    }

    /**
     * ShuffleNetV2's unit: stride 1 keeps the first half of the channels and runs branch2 on the second; stride 2 runs
     * branch1 and branch2 on the whole input; the two halves are joined and shuffled (2 groups).
     */
    private Value shuffleBlock(String path, ShuffleBlock block, Value x) {
        Value left, right;
        if (block.stride == 1) {
            int half = x.channels() / 2;
            Value a = graph.value(path + ".left", x.shape()[0], x.shape()[1], x.shape()[2], half);
            Value b = graph.value(path + ".right_in", x.shape()[0], x.shape()[1], x.shape()[2], x.channels() - half);
            graph.add(new Graph.Split(path + ".split", x, List.of(a, b), 3));
            left = a;
            right = lower(path + ".branch2", block.child("branch2"), b);
        } else {
            left = lower(path + ".branch1", block.child("branch1"), x);
            right = lower(path + ".branch2", block.child("branch2"), x);
        }
        int[] shape = left.shape().clone();
        shape[3] = left.channels() + right.channels();
        Value joined = graph.value(path + ".concat", shape);
        graph.add(new Graph.Concat(path + ".concat", List.of(left, right), joined, 3));
        return shuffle(path + ".shuffle", 2, joined);
    }
}
