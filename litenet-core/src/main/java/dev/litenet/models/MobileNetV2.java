package dev.litenet.models;

import dev.litenet.nn.Dropout;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Sequential;

/**
 * MobileNetV2 exactly as torchvision builds it (Sandler et al. 2018, Table 2): {@code features} (stem, 17
 * inverted residual blocks, 1×1 conv to 1280), global average pool, {@code classifier} (Dropout 0.2, Linear).
 * Module and parameter names are torchvision's, so a torchvision state_dict loads by name.
 * in (N,H,W,3) -> logits (N, numClasses).
 */
public final class MobileNetV2 extends Network {
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

    public MobileNetV2(Architecture.Config config) {
        super(config);
        this.widthMult = config.widthMult();
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
        trunk("features", features, true);
        classifier("classifier", new Sequential(new Dropout(0.2f), new Linear(lastChannel, config.numClasses())));
    }

    public MobileNetV2(int numClasses, float widthMult) { this(new Architecture.Config("mobilenet_v2", numClasses, widthMult)); }

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

    /** Replaces the whole classifier, as the lesson's {@code model.classifier = nn.Linear(1280, 2)}. */
    public void setClassifier(Layer head) { replaceChild("classifier", head); }

    /**
     * torchvision's init: convs Kaiming-normal with fan_out, BatchNorm weight 1 / bias 0, Linear N(0, 0.01)
     * with bias 0.
     */
    @Override public MobileNetV2 initialize(long seed) {
        super.initialize(seed);
        return this;
    }
}
