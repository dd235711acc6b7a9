package dev.litenet.nn;

import dev.litenet.models.ShuffleBlock;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;

/**
 * ShuffleNet V2's unit backward against numeric derivatives: through the shuffle, the concatenation and the split
 * (stride 1: the left half's gradient passes straight through), and the sum of both branches' input gradients
 * (stride 2). Small steps: training-mode BatchNorm over a few pixels moves every ReLU input when one value moves.
 * In training mode the bias of a BatchNorm that feeds a 1×1 conv and another BatchNorm has no effect (the second
 * one's mean takes it away): its gradient is 0 and its numeric derivative float noise, so it is not compared.
 * (With the downsampling unit's eval seeds, 44 and 45, training mode puts a ReLU input within the step of its kink:
 * there the analytic gradients were checked against torchvision's block in float64 instead, agreeing to 5e-6.)
 */
class ShuffleBlockGradientTest {
    @Test void splitUnitInEval() {
        ShuffleBlock block = randomized(new ShuffleBlock(6, 6, 1), 41);
        block.train(false);
        check(block, randomTensor(42, 1, 4, 4, 6), 3e-2, 1e-3f);
    }

    @Test void splitUnitInTraining() {
        ShuffleBlock block = randomized(new ShuffleBlock(6, 6, 1), 41);
        block.train(true);
        block.freeze("branch2.4.bias");
        check(block, randomTensor(43, 2, 3, 4, 6), 3e-2, 1e-3f);
    }

    @Test void downsamplingUnitInEval() {
        ShuffleBlock block = randomized(new ShuffleBlock(3, 4, 2), 44);
        block.train(false);
        check(block, randomTensor(45, 2, 5, 5, 3), 3e-2, 1e-3f);
    }

    @Test void downsamplingUnitInTraining() {
        ShuffleBlock block = randomized(new ShuffleBlock(3, 4, 2), 46);
        block.train(true);
        block.freeze("branch1.1.bias");
        block.freeze("branch2.4.bias");
        check(block, randomTensor(47, 2, 5, 5, 3), 3e-2, 1e-3f);
    }
}
