package dev.litenet.models;

import dev.litenet.nn.Dropout;
import dev.litenet.nn.Hardsigmoid;
import dev.litenet.nn.Hardswish;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;
import dev.litenet.nn.SqueezeExcitation;

import java.util.List;

/**
 * MobileNetV3 exactly as torchvision 0.14 builds it ({@code models/mobilenetv3.py}; Howard et al. 2019,
 * "Searching for MobileNetV3", Tables 1 and 2): {@code features} = stem (3×3 stride-2 conv to 16, BN, Hardswish),
 * one {@link MobileNetV3Block} per row of the variant's table, last conv (1×1 to 6× the last block's channels,
 * BN, Hardswish); {@code avgpool}; {@code classifier} = Linear to the last channel (1280 large, 1024 small),
 * Hardswish, Dropout 0.2, Linear to the classes (the head; the first three are the neck). Every BatchNorm has
 * eps 0.001 and momentum 0.01. Names are torchvision's ({@code features.4.block.2.fc1.weight}), so a torchvision
 * state_dict loads by name. in (N,H,W,3) -> logits (N, classes).
 */
public final class MobileNetV3 extends Network {
    /** torchvision's {@code partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)} for every BatchNorm of the network. */
    static final float BN_EPS = 1e-3f, BN_MOMENTUM = 0.01f;
    /** The classifier's dropout before the head. */
    static final float DROPOUT = 0.2f;

    /** A block's nonlinearity, the paper's NL column: ReLU ("RE") or hard swish ("HS"). */
    public enum Activation {
        RE, HS;

        /** A new layer of this activation. */
        Layer layer() { return this == RE ? new ReLU() : new Hardswish(true); }
    }

    /**
     * One row of the paper's tables, torchvision's {@code InvertedResidualConfig}: input channels, depthwise
     * kernel, expanded channels, output channels, squeeze-and-excitation, activation, stride, dilation
     * (1 for classification).
     */
    public record InvertedResidualConfig(int inputChannels, int kernel, int expandedChannels, int outChannels,
                                         boolean useSe, Activation activation, int stride, int dilation) {
        /** The row at a width multiplier: every channel count through {@link #adjustChannels}. */
        InvertedResidualConfig scaled(float widthMult) {
            return new InvertedResidualConfig(adjustChannels(inputChannels, widthMult), kernel,
                    adjustChannels(expandedChannels, widthMult), adjustChannels(outChannels, widthMult),
                    useSe, activation, stride, dilation);
        }
    }

    /** A variant: its table (at width 1) and the channels of the classifier's hidden layer. */
    public record Variant(String name, List<InvertedResidualConfig> blocks, int lastChannel) {}

    private static final Activation RE = Activation.RE, HS = Activation.HS;

    private static InvertedResidualConfig bneck(int in, int k, int exp, int out, boolean se, Activation nl, int s) {
        return new InvertedResidualConfig(in, k, exp, out, se, nl, s, 1);
    }

    /** MobileNetV3-Large, the paper's Table 1 (torchvision's {@code _mobilenet_v3_conf("mobilenet_v3_large")}). */
    public static final Variant LARGE = new Variant("mobilenet_v3_large", List.of(
            // in, k, exp, out, SE, NL, s
            bneck(16, 3, 16, 16, false, RE, 1),
            bneck(16, 3, 64, 24, false, RE, 2),       // C1
            bneck(24, 3, 72, 24, false, RE, 1),
            bneck(24, 5, 72, 40, true, RE, 2),        // C2
            bneck(40, 5, 120, 40, true, RE, 1),
            bneck(40, 5, 120, 40, true, RE, 1),
            bneck(40, 3, 240, 80, false, HS, 2),      // C3
            bneck(80, 3, 200, 80, false, HS, 1),
            bneck(80, 3, 184, 80, false, HS, 1),
            bneck(80, 3, 184, 80, false, HS, 1),
            bneck(80, 3, 480, 112, true, HS, 1),
            bneck(112, 3, 672, 112, true, HS, 1),
            bneck(112, 5, 672, 160, true, HS, 2),     // C4
            bneck(160, 5, 960, 160, true, HS, 1),
            bneck(160, 5, 960, 160, true, HS, 1)),
            1280);                                    // C5

    /** MobileNetV3-Small, the paper's Table 2 (torchvision's {@code _mobilenet_v3_conf("mobilenet_v3_small")}). */
    public static final Variant SMALL = new Variant("mobilenet_v3_small", List.of(
            // in, k, exp, out, SE, NL, s
            bneck(16, 3, 16, 16, true, RE, 2),        // C1
            bneck(16, 3, 72, 24, false, RE, 2),       // C2
            bneck(24, 3, 88, 24, false, RE, 1),
            bneck(24, 5, 96, 40, true, HS, 2),        // C3
            bneck(40, 5, 240, 40, true, HS, 1),
            bneck(40, 5, 240, 40, true, HS, 1),
            bneck(40, 5, 120, 48, true, HS, 1),
            bneck(48, 5, 144, 48, true, HS, 1),
            bneck(48, 5, 288, 96, true, HS, 2),       // C4
            bneck(96, 5, 576, 96, true, HS, 1),
            bneck(96, 5, 576, 96, true, HS, 1)),
            1024);                                    // C5

    public final Variant variant;
    private final Sequential features;

    /** The variant's network at the config's width and classes (uninitialized: see {@link #initialize}). */
    public MobileNetV3(Architecture.Config config, Variant variant) {
        super(config);
        this.variant = variant;
        float width = config.widthMult();
        List<InvertedResidualConfig> rows = variant.blocks().stream().map(r -> r.scaled(width)).toList();
        int firstConv = rows.getFirst().inputChannels();
        Conv2dNormActivation stem = new Conv2dNormActivation(3, firstConv, 3, 2, 1, BN_EPS, BN_MOMENTUM, new Hardswish(true));
        stem.conv().setInputGradient(false);                          // nothing below the image to pass gradients to
        features = new Sequential(stem);
        for (InvertedResidualConfig row : rows) features.add(new MobileNetV3Block(row));
        int lastConvIn = rows.getLast().outChannels(), lastConvOut = 6 * lastConvIn;
        features.add(new Conv2dNormActivation(lastConvIn, lastConvOut, 1, 1, 1, BN_EPS, BN_MOMENTUM, new Hardswish(true)));
        trunk("features", features, true);
        pool("avgpool");
        int lastChannel = adjustChannels(variant.lastChannel(), width);
        classifier("classifier", new Sequential(new Linear(lastConvOut, lastChannel), new Hardswish(true), new Dropout(DROPOUT),
                new Linear(lastChannel, config.numClasses())));
    }

    public static MobileNetV3 large(Architecture.Config config) { return new MobileNetV3(config, LARGE); }

    public static MobileNetV3 small(Architecture.Config config) { return new MobileNetV3(config, SMALL); }

    public static MobileNetV3 large(int numClasses) { return large(new Architecture.Config(LARGE.name(), numClasses)); }

    public static MobileNetV3 small(int numClasses) { return small(new Architecture.Config(SMALL.name(), numClasses)); }

    public Sequential features() { return features; }

    /** torchvision's {@code InvertedResidualConfig.adjust_channels}: channels times the width, rounded to a multiple of 8. */
    static int adjustChannels(int channels, float widthMult) { return MobileNetV2.makeDivisible(channels * widthMult, 8); }

    /**
     * The block's squeeze-and-excitation: squeeze to {@code _make_divisible(expanded // 4, 8)} channels (integer
     * division first, then the rounding), ReLU, excite, Hardsigmoid as the scale activation (torchvision's
     * {@code partial(SElayer, scale_activation=nn.Hardsigmoid)}; the paper's §5.3 fixes the squeeze at a quarter).
     */
    static SqueezeExcitation squeezeExcitation(int expandedChannels) {
        int squeeze = MobileNetV2.makeDivisible(expandedChannels / 4, 8);
        return new SqueezeExcitation(expandedChannels, squeeze, new ReLU(), new Hardsigmoid());
    }

    /**
     * torchvision's init: convs Kaiming-normal with fan_out and zero bias (the SE convs have one), BatchNorm
     * weight 1 / bias 0, Linear N(0, 0.01) with bias 0: {@link Network}'s default.
     */
    @Override public MobileNetV3 initialize(long seed) {
        super.initialize(seed);
        return this;
    }
}
