package dev.litenet.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The one shuffle: a permutation, the same for a seed, and pinned, since splits and cross-validation results depend on it. */
class OrdersTest {
    @Test void shuffledIsAPinnedPermutationForASeed() {
        assertThat(Orders.shuffled(10, new SplittableRandom(42))).containsExactly(3, 4, 7, 0, 8, 5, 9, 2, 6, 1);
        assertThat(Orders.shuffled(50, new SplittableRandom(7))).isEqualTo(Orders.shuffled(50, new SplittableRandom(7)))
                .containsExactlyInAnyOrder(Orders.identity(50));
        assertThat(Orders.shuffled(0, new SplittableRandom(1))).isEmpty();
        assertThat(Orders.identity(4)).containsExactly(0, 1, 2, 3);
    }

    @Test void shuffleInPlaceIsShuffledOfTheSameValues() {
        int[] order = Orders.identity(10);
        Orders.shuffle(order, new SplittableRandom(42));
        assertThat(order).containsExactly(3, 4, 7, 0, 8, 5, 9, 2, 6, 1);
    }
}
