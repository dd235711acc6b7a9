package dev.litenet.nn;

import dev.litenet.models.EfficientNet.MBConvConfig;
import dev.litenet.models.MBConv;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * EfficientNet's block backward (expansion or none, 3×3 or 5×5 depthwise, stride 1 or 2, with or without the
 * residual, squeeze-and-excitation with SiLU and Sigmoid, BatchNorm in training or eval mode) against numeric
 * derivatives on tiny shapes, stochastic depth off. The step is 1e-2: SiLU and Sigmoid have no kinks, and at 1e-3
 * the float rounding of the loss moves the squeeze-and-excitation's small fc1 derivatives by several percent.
 */
class MBConvGradientTest {
    @ParameterizedTest(name = "expand {0}, k {1}, stride {2}, {3} -> {4} channels, training {5}")
    @CsvSource({
            "1, 3, 1, 8, 8, true",          // residual, no expansion (B0's first block)
            "1, 5, 2, 4, 6, false",
            "6, 3, 1, 4, 4, false",         // residual with expansion
            "6, 5, 1, 4, 4, true",
            "6, 3, 2, 4, 8, true",
            "6, 5, 2, 4, 6, false",
    })
    void matchesNumericDerivatives(int expand, int kernel, int stride, int in, int out, boolean training) {
        MBConv block = randomized(new MBConv(new MBConvConfig(expand, kernel, stride, in, out, 1), 0f, BatchNorm2d::new), 31 + kernel);
        assertThat(block.useResidual).isEqualTo(stride == 1 && in == out);
        block.train(training);
        check(block, randomTensor(32, 2, 5, 6, in), 3e-2, 1e-2f);      // nothing kinks; at h = 1e-3 float rounding shows
    }

    /** In eval mode stochastic depth is the identity; in training it drops whole samples and routes gradients the same way. */
    @org.junit.jupiter.api.Test
    void stochasticDepthDropsWholeSamplesInTrainingOnly() {
        MBConv block = randomized(new MBConv(new MBConvConfig(6, 3, 1, 4, 4, 1), 0.5f, BatchNorm2d::new), 41);
        block.setStochasticDepthSeed(7);
        int n = 16, per = 3 * 3 * 4;
        Tensor x = randomTensor(42, n, 3, 3, 4);
        block.train(false);
        Tensor branch = block.block().forward(x.copy());
        Tensor eval = block.forward(x.copy());
        for (int i = 0; i < x.size(); i++) assertThat(eval.data[i]).isEqualTo(x.data[i] + branch.data[i]);

        block.train(true);
        block.block().train(false);                        // BatchNorm per sample, so a dropped sample's branch is untouched
        block.setRecording(true);
        Tensor y = block.forward(x.copy());
        Tensor dy = randomTensor(43, n, 3, 3, 4);
        Tensor dx = block.backward(dy.copy());
        int dropped = 0;
        for (int s = 0; s < n; s++) {
            boolean drop = true, keep = true, gradientPassesStraight = true;
            for (int i = s * per; i < (s + 1) * per; i++) {
                drop &= y.data[i] == x.data[i];
                keep &= Math.abs(y.data[i] - (x.data[i] + 2 * branch.data[i])) <= 1e-5f * (1 + Math.abs(y.data[i]));
                gradientPassesStraight &= dx.data[i] == dy.data[i];
            }
            assertThat(drop ^ keep).as("sample %d is either dropped or kept with its branch scaled by 1/(1-p)", s).isTrue();
            assertThat(gradientPassesStraight).as("sample %d's gradient skips the branch exactly when it is dropped", s).isEqualTo(drop);
            if (drop) dropped++;
        }
        assertThat(dropped).isBetween(3, 13);
    }
}
