package dev.litenet.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ShuffleNetV2's split, concat and channel shuffle: torchvision's order by hand, and the round trips that are their backward. */
class ChannelsTest {
    /** (1, 2, 1, C) with pixel p, channel c holding 100·p + c. */
    static Tensor numbered(int C) {
        Tensor t = Tensor.zeros(1, 2, 1, C);
        for (int p = 0; p < 2; p++) for (int c = 0; c < C; c++) t.data[p * C + c] = 100 * p + c;
        return t;
    }

    /** torchvision: view (N, g, C/g, H, W), transpose(1, 2): channels 0..5 in 2 groups become 0 3 1 4 2 5. */
    @Test void shuffleAsTorchvision() {
        Tensor y = Channels.shuffle(numbered(6), 2);
        assertThat(y.shape).containsExactly(1, 2, 1, 6);
        assertThat(y.data).containsExactly(0, 3, 1, 4, 2, 5, 100, 103, 101, 104, 102, 105);
        assertThat(Channels.shuffle(numbered(6), 3).data).containsExactly(0, 2, 4, 1, 3, 5, 100, 102, 104, 101, 103, 105);
        assertThat(Channels.shuffle(numbered(6), 1).data).isEqualTo(numbered(6).data);
    }

    @Test void shuffleWithCOverGroupsGroupsUndoesIt() {
        Tensor x = random(2, 3, 4, 12);
        for (int g : new int[]{1, 2, 3, 4, 6, 12}) {
            assertThat(Channels.shuffle(Channels.shuffle(x, g), 12 / g).data).as("groups %d", g).isEqualTo(x.data);
        }
        assertThatThrownBy(() -> Channels.shuffle(x, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test void splitAndConcatByHandAndRoundTrip() {
        Tensor[] parts = Channels.split(numbered(5), 2);
        assertThat(parts[0].shape).containsExactly(1, 2, 1, 2);
        assertThat(parts[0].data).containsExactly(0, 1, 100, 101);
        assertThat(parts[1].shape).containsExactly(1, 2, 1, 3);
        assertThat(parts[1].data).containsExactly(2, 3, 4, 102, 103, 104);
        assertThat(Channels.concat(parts[0], parts[1]).data).isEqualTo(numbered(5).data);

        Tensor a = random(2, 3, 3, 4), b = random(2, 3, 3, 7);
        Tensor ab = Channels.concat(a, b);
        assertThat(ab.shape).containsExactly(2, 3, 3, 11);
        Tensor[] back = Channels.split(ab, 4);
        assertThat(back[0].data).isEqualTo(a.data);
        assertThat(back[1].data).isEqualTo(b.data);
        assertThat(Channels.split(ab, 0)[1].data).isEqualTo(ab.data);             // the empty ends are allowed
        assertThatThrownBy(() -> Channels.concat(a, random(2, 3, 4, 7))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channels.split(a, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random values of a shape, as KernelsTest makes them. */
    static Tensor random(int... shape) {
        return new Tensor(KernelsTest.random((int) Tensor.numel(shape), shape.length * 31L + shape[shape.length - 1]), shape);
    }
}
