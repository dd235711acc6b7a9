package dev.litenet.nn;

import dev.litenet.tensor.Channels;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;

/** ChannelShuffle as a layer: torchvision's permutation forward, its inverse backward. */
class ChannelShuffleTest {
    @Test void forwardIsTheShuffleAndBackwardItsInverse() {
        ChannelShuffle shuffle = new ChannelShuffle(2);
        Tensor x = randomTensor(90, 2, 3, 2, 8);
        Tensor y = shuffle.forward(x.copy());
        assertThat(y.data).isEqualTo(Channels.shuffle(x, 2).data);
        assertThat(shuffle.backward(y).data).isEqualTo(x.data);
        assertThat(shuffle.typeName()).isEqualTo("ChannelShuffle");
        assertThat(shuffle).hasToString("ChannelShuffle(groups=2)");
    }

    @Test void gradientsMatchFiniteDifferences() {
        check(new ChannelShuffle(3), randomTensor(91, 2, 2, 3, 6), 1e-2);
    }
}
