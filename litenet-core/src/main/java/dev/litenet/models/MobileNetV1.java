package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Dropout;
import dev.litenet.nn.Init;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Parameter;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Padding;

import java.util.List;
import java.util.SplittableRandom;

/**
 * MobileNet V1 as TF-slim builds it (Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for
 * Mobile Vision Applications"; tensorflow/models {@code research/slim/nets/mobilenet_v1.py}). torchvision has no
 * MobileNet V1, so the structure and every constant are TF-slim's: a 3×3 stride-2 conv, then 13 depthwise-separable
 * pairs (3×3 depthwise, 1×1 pointwise), each conv followed by BatchNorm (eps 0.001, decay 0.9997) and ReLU6, TF
 * SAME padding, average pooling, dropout with keep_prob 0.999 and the 1×1 logits conv with bias. The width
 * multiplier alpha ({@code depth_multiplier}) thins every layer by {@link #depth}.
 *
 * <p>The names are torch-style and follow TF-slim's scopes (under {@code MobilenetV1/}), so a state_dict made
 * from TF-slim's weights ({@link TfliteMobileNetV1}) loads by name:
 * <table>
 *   <caption>LiteNet's names and TF-slim's scopes</caption>
 *   <tr><th>LiteNet</th><th>TF-slim</th></tr>
 *   <tr><td>{@code features.0} (ConvBNReLU: {@code .0} conv, {@code .1} BatchNorm)</td><td>{@code Conv2d_0}</td></tr>
 *   <tr><td>{@code features.N.0}, N = 1..13 (ConvBNReLU, depthwise)</td><td>{@code Conv2d_N_depthwise}</td></tr>
 *   <tr><td>{@code features.N.1} (ConvBNReLU, 1×1)</td><td>{@code Conv2d_N_pointwise}</td></tr>
 *   <tr><td>functional mean over H and W</td><td>{@code Logits/AvgPool_1a}</td></tr>
 *   <tr><td>{@code classifier.0} (Dropout p = 0.001)</td><td>{@code Logits/Dropout_1b}</td></tr>
 *   <tr><td>{@code classifier.1} (Linear: the head)</td><td>{@code Logits/Conv2d_1c_1x1}</td></tr>
 * </table>
 * {@code features} is a trunk stage: its 14 children are the units fine-tuning unfreezes from. TF-slim pools with a
 * fixed {@code min(7, H) x min(7, W)} window, which at the sizes its weights come in (128 to 224) covers the whole
 * 4×4 to 7×7 map: the global mean used here.
 *
 * <p>in (N,H,W,3) -> logits (N, numClasses); {@link #embed}: (N,H,W,3) -> (N, depth(1024)).
 */
public final class MobileNetV1 extends Network {
    /** One row of TF-slim's {@code MOBILENETV1_CONV_DEFS}: a 3×3 conv or a depthwise-separable pair, its stride and depth. */
    record ConvDef(boolean separable, int stride, int depth) {}

    private static ConvDef conv(int stride, int depth) { return new ConvDef(false, stride, depth); }

    private static ConvDef depthSepConv(int stride, int depth) { return new ConvDef(true, stride, depth); }

    /** TF-slim's {@code MOBILENETV1_CONV_DEFS} (the paper's Table 1), every kernel 3×3. */
    static final List<ConvDef> CONV_DEFS = List.of(
            conv(2, 32),
            depthSepConv(1, 64),
            depthSepConv(2, 128),
            depthSepConv(1, 128),
            depthSepConv(2, 256),
            depthSepConv(1, 256),
            depthSepConv(2, 512),
            depthSepConv(1, 512),
            depthSepConv(1, 512),
            depthSepConv(1, 512),
            depthSepConv(1, 512),
            depthSepConv(1, 512),
            depthSepConv(2, 1024),
            depthSepConv(1, 1024));

    /** TF-slim's {@code min_depth}: no layer is thinned below 8 channels. */
    public static final int MIN_DEPTH = 8;
    /** {@code mobilenet_v1_arg_scope}'s {@code batch_norm_epsilon}. */
    public static final float BN_EPS = 1e-3f;
    /** torch's momentum for TF-slim's {@code batch_norm_decay} 0.9997: {@code 1 - decay}. */
    public static final float BN_MOMENTUM = 3e-4f;
    /** {@code mobilenet_v1}'s {@code dropout_keep_prob} 0.999 as torch's drop probability {@code 1 - keep_prob}. */
    public static final float DROPOUT = 1e-3f;
    /** {@code mobilenet_v1_arg_scope}'s {@code stddev}: the truncated normal every conv weight starts from. */
    static final double INIT_STDDEV = 0.09;

    public final float alpha;
    private final Sequential features;

    public MobileNetV1(Architecture.Config config) {
        super(config);
        alpha = config.widthMult();
        features = new Sequential();
        int in = 3;
        for (ConvDef def : CONV_DEFS) {
            int out = depth(def.depth(), alpha);
            if (def.separable()) {
                features.add(new Sequential(
                        convBnRelu6(in, in, 3, def.stride(), in),                // Conv2d_N_depthwise
                        convBnRelu6(in, out, 1, 1, 1)));                         // Conv2d_N_pointwise
            } else {
                features.add(convBnRelu6(in, out, 3, def.stride(), 1));         // Conv2d_0
            }
            in = out;
        }
        ((ConvBNReLU) features.get(0)).conv().setInputGradient(false);         // nothing below the image
        trunk("features", features, true);
        classifier("classifier", new Sequential(new Dropout(DROPOUT), new Linear(in, config.numClasses())));
        setPadding(Padding.TF_SAME);
    }

    public MobileNetV1(int numClasses, float alpha) { this(new Architecture.Config("mobilenet_v1", numClasses, alpha)); }

    /**
     * TF-slim's channel rule for MobileNet V1, {@code depth = lambda d: max(int(d * depth_multiplier), min_depth)}
     * ({@code mobilenet_v1_base}, min_depth 8): truncated, never rounded, and never below 8 channels. Not
     * MobileNetV2's {@link MobileNetV2#makeDivisible}. The product is taken in double, as Python does.
     */
    public static int depth(int d, float alpha) { return Math.max((int) (d * (double) alpha), MIN_DEPTH); }

    /**
     * Conv (no bias) → BatchNorm with TF-slim's eps and decay → ReLU6: {@code slim.conv2d} and
     * {@code slim.separable_conv2d} under {@code mobilenet_v1_arg_scope}.
     */
    private static ConvBNReLU convBnRelu6(int in, int out, int kernel, int stride, int groups) {
        ConvBNReLU block = new ConvBNReLU(in, out, kernel, stride, groups);
        block.set(1, new BatchNorm2d(out, BN_EPS, BN_MOMENTUM));
        return block;
    }

    /** The stem and the 13 depthwise-separable pairs. */
    public Sequential features() { return features; }

    /**
     * TF-slim's init ({@code mobilenet_v1_arg_scope}): every conv weight, the logits' included, from
     * {@code truncated_normal_initializer(stddev=0.09)}; biases 0; BatchNorm gamma 1, beta 0.
     */
    @Override public MobileNetV1 initialize(long seed) {
        super.initialize(seed);
        return this;
    }

    @Override protected void initConv(Conv2d c, SplittableRandom random) {
        truncatedNormal(c.weight, INIT_STDDEV, random);
        if (c.bias != null) c.bias.fill(0f);
    }

    @Override protected void initLinear(Linear l, SplittableRandom random) {
        truncatedNormal(l.weight, INIT_STDDEV, random);
        l.bias.fill(0f);
    }

    /**
     * TensorFlow's {@code truncated_normal_initializer}: N(0, stddev²), a value more than two standard deviations
     * from the mean drawn again.
     */
    static void truncatedNormal(Parameter p, double stddev, SplittableRandom random) {
        for (int i = 0; i < p.data.length; i++) {
            double g;
            do g = Init.gaussian(random); while (Math.abs(g) > 2);
            p.data[i] = (float) (g * stddev);
        }
    }
}
