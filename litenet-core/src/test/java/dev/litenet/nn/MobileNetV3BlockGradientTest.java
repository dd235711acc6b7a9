package dev.litenet.nn;

import dev.litenet.models.MobileNetV3;
import dev.litenet.models.MobileNetV3Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;

/**
 * MobileNetV3's block backward (expand, depthwise, squeeze-and-excitation, projection, residual; ReLU or
 * Hardswish) against numeric derivatives, on tiny rows of the table's kinds, in eval mode and in training.
 */
class MobileNetV3BlockGradientTest {
    @ParameterizedTest(name = "in {0}, k {1}, exp {2}, out {3}, SE {4}, {5}, stride {6}, training {7}")
    @CsvSource({
            "4, 3, 8, 4, false, RE, 1, false",     // residual, no SE
            "4, 3, 8, 4, true,  HS, 1, true",      // residual with SE, batch statistics
            "4, 5, 8, 6, false, HS, 2, true",      // stride 2, 5x5 depthwise
            "4, 3, 4, 6, true,  RE, 2, false",     // no expansion (as features.1 of small), SE
            "4, 5, 12, 4, true, HS, 1, false"})    // residual with SE, 5x5, Hardswish
    void blockMatchesNumericDerivatives(int in, int k, int exp, int out, boolean se, MobileNetV3.Activation act,
                                        int stride, boolean training) {
        var row = new MobileNetV3.InvertedResidualConfig(in, k, exp, out, se, act, stride, 1);
        MobileNetV3Block block = randomized(new MobileNetV3Block(row), 31L * in + 7L * exp + k);
        block.train(training);
        check(block, randomTensor(41L + exp, 2, 5, 5, in), 3e-2, 1e-3f);
    }
}
