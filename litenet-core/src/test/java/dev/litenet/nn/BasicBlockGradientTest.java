package dev.litenet.nn;

import dev.litenet.models.BasicBlock;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;

/** ResNet's block backward (two uses of one ReLU, the shortcut, the downsample) against numeric derivatives. */
class BasicBlockGradientTest {
    @Test void identityShortcut() {
        BasicBlock block = randomized(new BasicBlock(3, 3, 1), 21);
        block.train(false);
        check(block, randomTensor(22, 1, 4, 4, 3), 3e-2, 1e-3f);
    }

    @Test void downsampleShortcutInTraining() {
        BasicBlock block = randomized(new BasicBlock(2, 4, 2), 23);
        block.train(true);
        check(block, randomTensor(24, 2, 4, 4, 2), 3e-2, 1e-3f);
    }
}
