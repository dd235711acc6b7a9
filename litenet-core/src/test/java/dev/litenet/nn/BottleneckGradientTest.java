package dev.litenet.nn;

import dev.litenet.models.Bottleneck;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;
import static org.assertj.core.api.Assertions.assertThat;

/** ResNet-50's block backward (three uses of one ReLU, the shortcut, the downsample) against numeric derivatives. */
class BottleneckGradientTest {
    @Test void identityShortcut() {
        Bottleneck block = randomized(new Bottleneck(8, 2, 1), 31);
        assertThat(block.hasDownsample()).isFalse();
        block.train(false);
        check(block, randomTensor(32, 1, 4, 4, 8), 3e-2, 1e-3f);
    }

    @Test void downsampleShortcutInTraining() {
        Bottleneck block = randomized(new Bottleneck(3, 2, 2), 33);
        assertThat(block.hasDownsample()).isTrue();
        block.train(true);
        check(block, randomTensor(34, 2, 5, 5, 3), 3e-2, 1e-2f);
    }
}
