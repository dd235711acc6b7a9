package dev.litenet.nn;

import dev.litenet.models.ConvBNReLU;
import dev.litenet.models.MobileNetV1;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MobileNet V1's depthwise-separable pair (3×3 depthwise, BatchNorm, ReLU6, 1×1 pointwise, BatchNorm, ReLU6, TF SAME
 * padding) backward against numeric derivatives, on a tiny network (alpha 0.1: 8 channels) and even input sizes,
 * where TF SAME pads the stride-2 depthwise conv at the bottom and right only. A central difference across a ReLU6
 * kink is not a derivative, so each case first checks that no pre-activation lies within 5 steps of 0 or 6 (with
 * random weights some seeds put one within 0.001, and only those disagree).
 */
class MobileNetV1GradientTest {
    private static final float STEP = 1e-3f;

    /** {@code features.2} of alpha 0.1, randomized: depthwise 8 channels with stride 2, pointwise 8 -> 12. */
    static Layer pair(long seed) {
        return randomized(new MobileNetV1(3, 0.1f).features().get(2), seed);
    }

    @Test void depthwiseSeparablePairInEvalMode() {
        Layer pair = pair(36);
        pair.train(false);
        Tensor x = randomTensor(136, 1, 6, 8, 8);
        assertThat(kinkMargin(pair, x)).isGreaterThan(5 * STEP);
        check(pair, x, 3e-2, STEP);
    }

    @Test void depthwiseSeparablePairInTraining() {
        Layer pair = pair(41);
        pair.train(true);                                        // BatchNorm over the batch: every input moves every output
        Tensor x = randomTensor(141, 2, 6, 6, 8);
        assertThat(kinkMargin(pair, x)).isGreaterThan(5 * STEP);
        check(pair, x, 3e-2, STEP);
    }

    /** The smallest distance of any BatchNorm output (a ReLU6 input) in the pair from ReLU6's kinks at 0 and 6. */
    static double kinkMargin(Layer pair, Tensor x) {
        double margin = Double.MAX_VALUE;
        Tensor t = x.copy();
        for (Layer layer : pair.children().values()) {
            ConvBNReLU block = (ConvBNReLU) layer;
            Tensor z = block.bn().forward(block.conv().forward(t.copy())).copy();
            for (int i = 0; i < z.data.length; i++) {
                margin = Math.min(margin, Math.min(Math.abs(z.data[i]), Math.abs(z.data[i] - 6)));
                z.data[i] = Math.min(Math.max(z.data[i], 0f), 6f);
            }
            t = z;
        }
        return margin;
    }
}
