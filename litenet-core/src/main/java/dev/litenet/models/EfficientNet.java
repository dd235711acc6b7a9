package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Dropout;
import dev.litenet.nn.Init;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Sequential;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * EfficientNet exactly as torchvision 0.14 builds it (Tan & Le 2019, Table 1; {@code models/efficientnet.py}):
 * {@code features.0} stem (3×3 stride-2 conv to 32, BN, SiLU), {@code features.1..7} one stage of {@link MBConv}
 * blocks per row of {@link #STAGES}, {@code features.8} 1×1 conv to 4× the last stage's channels (BN, SiLU),
 * {@code avgpool}, {@code classifier} (Dropout, Linear). A member of the family is a {@link Scaling} of the one
 * table: B0 is width 1.0, depth 1.0, dropout 0.2 (5,288,548 parameters at 1000 classes). Names, BatchNorm eps and
 * momentum (torch's defaults for B0-B7), padding and rounding are torchvision's, so its state_dict loads by name.
 * The units fine-tuning unfreezes from are the stem, each MBConv block and the last conv ({@code features.0},
 * {@code features.1.0}, {@code features.2.0}, ..., {@code features.7.0}, {@code features.8}: 18 for B0).
 * in (N,H,W,3) -> logits (N, classes).
 */
public final class EfficientNet extends Network {
    /**
     * One stage of MBConv blocks, torchvision's {@code MBConvConfig}: expansion ratio, depthwise kernel, the first
     * block's stride, input and output channels, number of blocks.
     */
    public record MBConvConfig(double expandRatio, int kernel, int stride, int inputChannels, int outChannels, int numLayers) {
        /** This stage under a compound scaling: channels through {@link #adjustChannels}, depth through {@link #adjustDepth}. */
        public MBConvConfig scaled(double widthMult, double depthMult) {
            return new MBConvConfig(expandRatio, kernel, stride, adjustChannels(inputChannels, widthMult),
                    adjustChannels(outChannels, widthMult), adjustDepth(numLayers, depthMult));
        }

        /** The config of the stage's i-th block: after the first, it reads the stage's output at stride 1. */
        public MBConvConfig block(int i) {
            return i == 0 ? this : new MBConvConfig(expandRatio, kernel, 1, outChannels, outChannels, numLayers);
        }

        /** The channels the block expands to: {@code adjust_channels(input_channels, expand_ratio)}. */
        public int expandedChannels() { return adjustChannels(inputChannels, expandRatio); }

        /** The squeeze-and-excitation bottleneck: a quarter of the block's input channels, at least 1. */
        public int squeezeChannels() { return Math.max(1, inputChannels / 4); }
    }

    /** EfficientNet-B0's stages (the paper's Table 1, torchvision's {@code _efficientnet_conf}), which B1-B7 scale. */
    public static final List<MBConvConfig> STAGES = List.of(
            //              expand, kernel, stride, in, out, layers
            new MBConvConfig(1, 3, 1, 32, 16, 1),
            new MBConvConfig(6, 3, 2, 16, 24, 2),
            new MBConvConfig(6, 5, 2, 24, 40, 2),
            new MBConvConfig(6, 3, 2, 40, 80, 3),
            new MBConvConfig(6, 5, 1, 80, 112, 3),
            new MBConvConfig(6, 5, 2, 112, 192, 4),
            new MBConvConfig(6, 3, 1, 192, 320, 1));

    /** A member of the family: compound-scaling multipliers of width and depth, and the classifier's dropout. */
    public record Scaling(double widthMult, double depthMult, float dropout) {}

    /** torchvision's {@code efficientnet_b0}. */
    public static final Scaling B0 = new Scaling(1.0, 1.0, 0.2f);

    /** The stochastic depth probability the last blocks approach (torchvision's default {@code stochastic_depth_prob}). */
    public static final double STOCHASTIC_DEPTH_PROB = 0.2;

    /** torchvision's {@code norm_layer} for B0-B7: {@code nn.BatchNorm2d} with torch's eps 1e-5 and momentum 0.1. */
    static final IntFunction<BatchNorm2d> NORM_LAYER = c -> new BatchNorm2d(c, BatchNorm2d.EPS, BatchNorm2d.MOMENTUM);

    public final Scaling scaling;
    private final Sequential features;

    public EfficientNet(Architecture.Config config, Scaling scaling) { this(config, scaling, STOCHASTIC_DEPTH_PROB); }

    /** With another stochastic depth probability, as torchvision's {@code stochastic_depth_prob} (0: none). */
    public EfficientNet(Architecture.Config config, Scaling scaling, double stochasticDepthProb) {
        super(config);
        this.scaling = scaling;
        List<MBConvConfig> stages = STAGES.stream().map(s -> s.scaled(scaling.widthMult(), scaling.depthMult())).toList();
        Conv2dNormActivation stem = new Conv2dNormActivation(3, stages.getFirst().inputChannels(), 3, 2, 1, NORM_LAYER, MBConv::silu);
        stem.conv().setInputGradient(false);                          // nothing below the image to pass gradients to
        features = new Sequential(stem);
        int totalBlocks = stages.stream().mapToInt(MBConvConfig::numLayers).sum(), blockId = 0;
        for (MBConvConfig s : stages) {
            Sequential stage = new Sequential();
            for (int i = 0; i < s.numLayers(); i++, blockId++) {
                MBConv block = new MBConv(s.block(i), stochasticDepthProb(stochasticDepthProb, blockId, totalBlocks), NORM_LAYER);
                block.setStochasticDepthSeed(config.seed() * 1_000_003L + blockId);      // its own draws, from the network's seed
                stage.add(block);
            }
            features.add(stage);
        }
        int lastIn = stages.getLast().outChannels(), lastOut = 4 * lastIn;
        features.add(new Conv2dNormActivation(lastIn, lastOut, 1, 1, 1, NORM_LAYER, MBConv::silu));
        trunk("features", features, true);
        for (int i = 1; i <= stages.size(); i++) stage("features." + i);
        pool("avgpool");
        classifier("classifier", new Sequential(new Dropout(scaling.dropout()), new Linear(lastOut, config.numClasses())));
    }

    /** EfficientNet-B0, torchvision's {@code efficientnet_b0}. */
    public static EfficientNet b0(Architecture.Config config) { return new EfficientNet(config, B0); }

    public static EfficientNet b0(int numClasses) { return b0(new Architecture.Config("efficientnet_b0", numClasses)); }

    /**
     * torchvision's {@code _make_divisible(channels * width_mult, 8)}: the nearest multiple of 8, never more than
     * 10 % below ({@link MobileNetV2#makeDivisible}).
     */
    static int adjustChannels(int channels, double widthMult) { return MobileNetV2.makeDivisible((float) (channels * widthMult), 8); }

    /** torchvision's {@code adjust_depth}: {@code ceil(num_layers * depth_mult)} blocks. */
    static int adjustDepth(int numLayers, double depthMult) { return (int) Math.ceil(numLayers * depthMult); }

    /**
     * The drop probability of block {@code blockId} of {@code totalBlocks}, growing linearly from 0 at the first
     * block towards {@code prob} (torchvision: {@code sd_prob = stochastic_depth_prob * float(stage_block_id) /
     * total_stage_blocks}; B0's last block drops with 0.2·15/16 = 0.1875).
     */
    static float stochasticDepthProb(double prob, int blockId, int totalBlocks) {
        return (float) (prob * blockId / totalBlocks);
    }

    public Sequential features() { return features; }

    /**
     * torchvision's init: convs (the squeeze-and-excitation's too) Kaiming-normal with fan_out and zero bias,
     * BatchNorm weight 1 / bias 0, Linear U(±1/√out) with bias 0.
     */
    @Override public EfficientNet initialize(long seed) {
        super.initialize(seed);
        return this;
    }

    /** torchvision's EfficientNet: the Linear U(±1/√out), zero bias. */
    @Override protected void initLinear(Linear l, SplittableRandom random) {
        Init.uniform(l.weight, 1 / Math.sqrt(l.out), random);
        l.bias.fill(0f);
    }
}
