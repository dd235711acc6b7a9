package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.GlobalAvgPool;
import dev.litenet.nn.Init;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An image classification network as torchvision builds one: a <b>trunk</b> of convolutional children run in
 * order, global average pooling (a module named {@code avgpool}, or torch's functional mean), and a
 * <b>classifier</b> whose last layer is a Linear: the <b>head</b> that transfer learning replaces. What comes
 * between the pooling and the head (MobileNetV3's {@code Linear, Hardswish, Dropout}) is the <b>neck</b>; its
 * output is the embedding a new head learns from. Every {@link Architecture} builds one of these, naming the
 * children as its reference does, so the reference's state_dict loads by name.
 *
 * <p>The trunk is also a list of <b>units</b>, the blocks fine-tuning unfreezes from ({@code features.0} ...
 * {@code features.18} for MobileNetV2, {@code conv1} ... {@code layer4.1} for ResNet-18): a trunk child declared as
 * a stage contributes its children, any other child itself, and a child {@link #stage declared a stage} below it
 * contributes its own children in turn. Running the units in order is running the trunk.
 *
 * <p>in (N,H,W,3) -> logits (N, classes); {@link #embed}: (N,H,W,3) -> (N, {@link #embeddingSize()}).
 */
public class Network extends Layer {
    /** One block of the trunk with its state_dict prefix. */
    public record Unit(String name, Layer layer) {}

    private final Architecture.Config config;
    private final List<String> trunk = new ArrayList<>();
    private final List<String> stages = new ArrayList<>();
    private String pool, classifier;
    private int featureH, featureW;

    /** Subclasses add their children through {@link #trunk}, {@link #pool} and {@link #classifier}, in order. */
    protected Network(Architecture.Config config) { this.config = config; }

    // ---- structure, declared by the builder -------------------------------------------------------------------

    /** Adds a trunk child; a {@code stage}'s children are units of their own. */
    protected final <L extends Layer> L trunk(String name, L layer, boolean stage) {
        trunk.add(name);
        if (stage) stages.add(name);
        return addChild(name, layer);
    }

    /** Pools through a child module of this name (torchvision's {@code avgpool}); without one the pooling is functional. */
    protected final void pool(String name) {
        pool = name;
        addChild(name, new GlobalAvgPool());
    }

    /** The classifier child: a Linear (the head), or a Sequential whose last child is the head. */
    protected final <L extends Layer> L classifier(String name, L layer) {
        classifier = name;
        addChild(name, layer);
        head();                                              // fails early on a classifier without a Linear at its end
        return layer;
    }

    /**
     * Declares a container below a trunk stage (a path such as {@code features.1}) a stage too: its children become
     * units in its place. EfficientNet's blocks sit two levels down, in stages inside {@code features}.
     */
    protected final void stage(String path) { stages.add(path); }

    /** The configuration this network was built from (its architecture's name, classes, width). */
    public final Architecture.Config config() { return config; }

    /** The architecture this network is an instance of. */
    public final Architecture architecture() { return Architectures.get(config.architecture()); }

    /** The trunk's units in forward order. */
    public final List<Unit> units() {
        List<Unit> out = new ArrayList<>();
        for (String t : trunk) addUnits(t, child(t), out);
        return out;
    }

    private void addUnits(String path, Layer layer, List<Unit> out) {
        if (stages.contains(path)) layer.children().forEach((n, c) -> addUnits(path + "." + n, c, out));
        else out.add(new Unit(path, layer));
    }

    /** The classifier child's name: {@code classifier}, {@code fc}. */
    public final String classifierName() { return classifier; }

    /** The classifier child (head and neck). */
    public final Layer classifier() { return child(classifier); }

    /** The Linear that scores the classes. */
    public final Linear head() {
        Layer c = classifier();
        if (c instanceof Sequential s && s.size() > 0) c = s.get(s.size() - 1);
        if (!(c instanceof Linear l)) throw new IllegalStateException("the classifier of " + config.architecture() + " does not end in a Linear");
        return l;
    }

    /** The head's state_dict prefix: {@code classifier.1}, {@code fc}. */
    public final String headName() {
        return classifier() instanceof Sequential s ? classifier + "." + (s.size() - 1) : classifier;
    }

    /** The layers between the pooling and the head, in order (often none). */
    public final List<Layer> neck() {
        if (!(classifier() instanceof Sequential s)) return List.of();
        List<Layer> out = new ArrayList<>(s.children().values());
        out.removeLast();
        return out;
    }

    /** Replaces the head with a new {@code Linear(embeddingSize, classes)}, initialized as torch does, from the seed. */
    public final Linear replaceHead(int classes, long seed) {
        Linear head = new Linear(embeddingSize(), classes);
        Init.linear(head, new SplittableRandom(seed ^ 0x5DEECE66DL));
        if (classifier() instanceof Sequential s) s.set(s.size() - 1, head);
        else replaceChild(classifier, head);
        return head;
    }

    /** The classes the head scores. */
    public final int numClasses() { return head().out; }

    /** The length of the embedding: what the head reads. */
    public final int embeddingSize() { return head().in; }

    /** The padding of the convs (all share one: see {@link #setPadding}). */
    public final Padding padding() {
        for (Unit u : units()) {
            Conv2d c = firstConv(u.layer());
            if (c != null) return c.padding();
        }
        return Padding.TORCH;
    }

    /** Sets the padding of every conv: the reference's symmetric padding, or TF SAME for TFLite weights. */
    public final void setPadding(Padding padding) { forEachConv(this, padding); }

    private static void forEachConv(Layer layer, Padding padding) {
        if (layer instanceof Conv2d c) c.setPadding(padding);
        layer.children().values().forEach(ch -> forEachConv(ch, padding));
    }

    private static Conv2d firstConv(Layer layer) {
        if (layer instanceof Conv2d c) return c;
        for (Layer ch : layer.children().values()) {
            Conv2d c = firstConv(ch);
            if (c != null) return c;
        }
        return null;
    }

    // ---- forward and backward ---------------------------------------------------------------------------------

    /** The trunk's output pooled: (N,H,W,3) -> (N, channels of the last unit). */
    public final Tensor features(Tensor x) {
        for (String t : trunk) x = child(t).call(x);
        featureH = x.dim(1);
        featureW = x.dim(2);
        return pool == null ? Pool.globalAverage(x) : child(pool).call(x);
    }

    /** The embedding a head learns from: pooled features through the neck. (N,H,W,3) -> (N, embeddingSize). */
    public final Tensor embed(Tensor x) {
        Tensor f = features(x);
        for (Layer l : neck()) f = l.call(f);
        return f;
    }

    @Override public Tensor forward(Tensor x) { return classifier().call(features(x)); }

    /** Fills the parameter gradients; returns dL/d(input), or null when the first conv needs none. */
    @Override public Tensor backward(Tensor dy) {
        Tensor d = classifier().backward(dy);
        d = pool == null ? Pool.globalAverageBackward(d, featureH, featureW) : child(pool).backward(d);
        for (int i = trunk.size() - 1; i >= 0 && d != null; i--) d = child(trunk.get(i)).backward(d);
        return d;
    }

    // ---- inference twins --------------------------------------------------------------------------------------

    /** Inference twin: folded trunk, global average pool, classifier without dropout. */
    @Override public Layer fused() { return new Sequential(fusedTrunk(), new GlobalAvgPool(), classifier().fused()); }

    /** Inference twin of the trunk, pooling and neck: (N,H,W,3) -> (N, embeddingSize) embeddings. */
    public final Layer fusedEmbedding() {
        Sequential s = new Sequential(fusedTrunk(), new GlobalAvgPool());
        for (Layer l : neck()) s.add(l);
        return s.fused();
    }

    /** The folded twin of the units before {@code unit} (null when there are none): the frozen part of a fine-tune. */
    public final Layer fusedPrefix(int unit) {
        if (unit == 0) return null;
        Sequential s = new Sequential();
        units().subList(0, unit).forEach(u -> s.add(u.layer()));
        return s.fused();
    }

    private Layer fusedTrunk() {
        Sequential s = new Sequential();
        for (String t : trunk) s.add(child(t));              // one Sequential, so a top-level Conv, BN, ReLU run folds
        return s.fused();
    }

    // ---- initialization ---------------------------------------------------------------------------------------

    /**
     * The reference's init, from a seed: every Conv2d, BatchNorm2d and Linear below this network in order, each as
     * {@link #initConv} and {@link #initLinear} say (torchvision's usual: convs Kaiming-normal with fan_out, Linear
     * N(0, 0.01), biases 0) and BatchNorm weight 1 and bias 0. Architectures whose reference does otherwise override
     * the two hooks.
     */
    public Network initialize(long seed) {
        initialize(this, new SplittableRandom(seed));
        return this;
    }

    private void initialize(Layer layer, SplittableRandom random) {
        switch (layer) {
            case Conv2d c -> initConv(c, random);
            case BatchNorm2d bn -> { bn.weight.fill(1f); bn.bias.fill(0f); }
            case Linear l -> initLinear(l, random);
            default -> { }
        }
        layer.children().values().forEach(ch -> initialize(ch, random));
    }

    /** torchvision's {@code kaiming_normal_(mode="fan_out")} with a zero bias. */
    protected void initConv(Conv2d c, SplittableRandom random) { Init.kaimingNormalFanOut(c, random); }

    /** torchvision's {@code normal_(0, 0.01)} with a zero bias. */
    protected void initLinear(Linear l, SplittableRandom random) {
        for (int i = 0; i < l.weight.data.length; i++) l.weight.data[i] = (float) (Init.gaussian(random) * 0.01);
        l.bias.fill(0f);
    }

    @Override public String typeName() { return getClass().getSimpleName(); }
}
