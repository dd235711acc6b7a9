package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Dropout;
import dev.litenet.nn.GlobalAvgPool;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Parameter;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * MobileNetV2 exactly as torchvision builds it (Sandler et al. 2018, Table 2): {@code features} (stem, 17
 * inverted residual blocks, 1×1 conv to 1280), global average pool, {@code classifier} (Dropout 0.2, Linear).
 * Module and parameter names are torchvision's, so a torchvision state_dict loads by name.
 * in (N,H,W,3) -> logits (N, numClasses).
 */
public final class MobileNetV2 extends Layer {
    /** The paper's table: expansion t, output channels c, repeats n, first stride s. */
    static final int[][] INVERTED_RESIDUAL_SETTING = {
            // t, c, n, s
            {1, 16, 1, 1},
            {6, 24, 2, 2},
            {6, 32, 3, 2},
            {6, 64, 4, 2},
            {6, 96, 3, 1},
            {6, 160, 3, 2},
            {6, 320, 1, 1},
    };

    public final float widthMult;
    public final int lastChannel;
    private final Sequential features;
    private int featureH, featureW;

    public MobileNetV2(int numClasses, float widthMult) {
        this.widthMult = widthMult;
        int inputChannel = makeDivisible(32 * widthMult, 8);
        lastChannel = makeDivisible(1280 * Math.max(1f, widthMult), 8);
        ConvBNReLU stem = new ConvBNReLU(3, inputChannel, 3, 2, 1);
        stem.conv().setInputGradient(false);                          // nothing below the image to pass gradients to
        features = new Sequential(stem);
        for (int[] row : INVERTED_RESIDUAL_SETTING) {
            int t = row[0], c = row[1], n = row[2], s = row[3];
            int outputChannel = makeDivisible(c * widthMult, 8);
            for (int i = 0; i < n; i++) {
                features.add(new InvertedResidual(inputChannel, outputChannel, i == 0 ? s : 1, t));
                inputChannel = outputChannel;
            }
        }
        features.add(new ConvBNReLU(inputChannel, lastChannel, 1, 1, 1));
        addChild("features", features);
        addChild("classifier", new Sequential(new Dropout(0.2f), new Linear(lastChannel, numClasses)));
    }

    public MobileNetV2(int numClasses) { this(numClasses, 1f); }

    /**
     * Rounds channels to a multiple of the divisor, as the TF-slim original and torchvision's
     * {@code _make_divisible} do, but never more than 10 % below the requested value.
     */
    public static int makeDivisible(float v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2f) / divisor * divisor);
        if (newV < 0.9f * v) newV += divisor;                         // never round down by more than 10 %
        return newV;
    }

    public Sequential features() { return features; }

    public Layer classifier() { return child("classifier"); }

    /** Replaces the classifier, as the lesson's {@code model.classifier = nn.Linear(1280, 2)}. */
    public void setClassifier(Layer head) { replaceChild("classifier", head); }

    /** The classes the classifier scores: the outputs of its (last) linear layer. */
    public int numClasses() {
        Layer head = classifier();
        if (head instanceof Sequential s) head = s.get(s.size() - 1);
        return ((Linear) head).out;
    }

    /** The padding of every conv (see {@link #setPadding}). */
    public Padding padding() { return ((ConvBNReLU) features.get(0)).conv().padding(); }

    /** Sets the padding of every conv: torchvision's symmetric padding, or TF SAME for TFLite weights. */
    public void setPadding(Padding padding) {
        forEachConv(features, padding);
    }

    private static void forEachConv(Layer layer, Padding padding) {
        if (layer instanceof Conv2d c) c.setPadding(padding);
        layer.children().values().forEach(ch -> forEachConv(ch, padding));
    }

    /** The 1280-d pooled features of the backbone: (N,H,W,3) -> (N, lastChannel). */
    public Tensor embed(Tensor x) {
        Tensor f = features.call(x);
        featureH = f.dim(1);
        featureW = f.dim(2);
        return Pool.globalAverage(f);
    }

    @Override public Tensor forward(Tensor x) { return classifier().call(embed(x)); }

    /** Inference twin: folded features, global average pool, classifier without dropout. */
    @Override public Layer fused() {
        return new Sequential(features.fused(), new GlobalAvgPool(), classifier().fused());
    }

    /** Inference twin of the backbone only: (N,H,W,3) -> (N, lastChannel) features. */
    public Layer fusedEmbedding() { return new Sequential(features.fused(), new GlobalAvgPool()); }

    /** Fills the parameter gradients; returns null, as the image needs no gradient. */
    @Override public Tensor backward(Tensor dy) {
        Tensor dPooled = classifier().backward(dy);
        return features.backward(Pool.globalAverageBackward(dPooled, featureH, featureW));
    }

    /**
     * torchvision's init: convs Kaiming-normal with fan_out, BatchNorm weight 1 / bias 0, Linear N(0, 0.01)
     * with bias 0.
     */
    public MobileNetV2 initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        init(this, random);
        return this;
    }

    private static void init(Layer layer, SplittableRandom random) {
        switch (layer) {
            case Conv2d c -> {
                double std = Math.sqrt(2.0 / (c.out * c.k * c.k));
                normal(c.weight, std, random);
                if (c.bias != null) c.bias.fill(0f);
            }
            case BatchNorm2d bn -> { bn.weight.fill(1f); bn.bias.fill(0f); }
            case Linear l -> { normal(l.weight, 0.01, random); l.bias.fill(0f); }
            default -> { }
        }
        layer.children().values().forEach(ch -> init(ch, random));
    }

    private static void normal(Parameter p, double std, SplittableRandom random) {
        for (int i = 0; i < p.data.length; i++) p.data[i] = (float) (gaussian(random) * std);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
