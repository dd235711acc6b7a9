package dev.litenet.nn;

import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ReLU, MaxPool2d, Flatten and unpadded convs: hand-computed values, torch's shape rules, numeric gradients. */
class LessonLayersTest {
    /** Distinct values 0.01 apart, none near 0, shuffled: a step of 1e-3 never changes the max or crosses a kink. */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.data[i] = (i - t.size() / 2) * 0.01f + 0.005f;
        for (int i = t.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float tmp = t.data[i]; t.data[i] = t.data[j]; t.data[j] = tmp;
        }
        return t;
    }

    static Tensor image(int h, int w, float... values) { return new Tensor(values, 1, h, w, 1); }

    @Test void reluValuesAndGradient() {
        Tensor y = new ReLU().forward(new Tensor(new float[]{-2f, 0f, 3f, -0.5f, 7f}, 1, 5));
        assertThat(y.data).containsExactly(0f, 0f, 3f, 0f, 7f);
        Tensor x = distinct(1, 2, 3, 3, 2);                                // no value within 1e-3 of the kink
        check(new ReLU(), x, 2e-2, 1e-3f);
    }

    @Test void maxPoolTwoByTwoByHand() {
        Tensor x = image(4, 4,
                1, 2, 5, 6,
                3, 4, 8, 7,
                -1, -2, 0, 0,
                -3, -4, 0, 9);
        Tensor y = new MaxPool2d(2, 2, 0).forward(x);
        assertThat(y.shape).containsExactly(1, 2, 2, 1);
        assertThat(y.data).containsExactly(4f, 8f, -1f, 9f);
    }

    @Test void maxPoolPaddingNeverWins() {
        // all negative: torch pads with -inf, so the border outputs are still input values
        Tensor x = image(3, 3, -9, -8, -7, -6, -5, -4, -3, -2, -1);
        Tensor y = new MaxPool2d(3, 2, 1).forward(x);
        assertThat(y.shape).containsExactly(1, 2, 2, 1);                   // (3 + 2 - 3) / 2 + 1 = 2
        assertThat(y.data).containsExactly(-5f, -4f, -2f, -1f);
    }

    @Test void maxPoolShapesAsTorch() {
        MaxPool2d resnetPool = new MaxPool2d(3, 2, 1);
        assertThat(resnetPool.forward(Tensor.zeros(1, 112, 112, 2)).shape).containsExactly(1, 56, 56, 2);
        assertThat(resnetPool.forward(Tensor.zeros(1, 7, 7, 1)).shape).containsExactly(1, 4, 4, 1);
        assertThat(new MaxPool2d(2, 2, 0).forward(Tensor.zeros(2, 5, 5, 3)).shape).containsExactly(2, 2, 2, 3);   // floor mode
        assertThatThrownBy(() -> new MaxPool2d(3, 2, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("half");
    }

    @Test void maxPoolTieGoesToTheFirstAndOverlapsAdd() {
        MaxPool2d pool = new MaxPool2d(2, 1, 0);
        pool.setRecording(true);
        Tensor x = image(2, 3, 5, 5, 1, 5, 0, 1);
        Tensor y = pool.forward(x);
        assertThat(y.data).containsExactly(5f, 5f);
        Tensor dx = pool.backward(new Tensor(new float[]{1f, 10f}, 1, 1, 2, 1));
        // window 1 sees 5, 5 / 5, 0: its first max is (0,0); window 2 sees 5, 1 / 0, 1: its max is (0,1)
        assertThat(dx.data).containsExactly(1f, 10f, 0f, 0f, 0f, 0f);

        Tensor y2 = pool.forward(image(2, 3, 1, 9, 2, 0, 0, 0));              // both windows pick the 9
        assertThat(y2.data).containsExactly(9f, 9f);
        assertThat(pool.backward(new Tensor(new float[]{1f, 10f}, 1, 1, 2, 1)).data).containsExactly(0f, 11f, 0f, 0f, 0f, 0f);
    }

    @Test void maxPoolGradients() {
        check(new MaxPool2d(3, 2, 1), distinct(2, 2, 5, 6, 3), 2e-2, 1e-3f);
        check(new MaxPool2d(2, 2, 0), distinct(3, 1, 4, 4, 2), 2e-2, 1e-3f);
    }

    @Test void flattenUsesTorchChannelFirstOrder() {
        // x[0, h, w, c] = 100c + 10h + w: torch's flatten of NCHW lists channel 0's pixels first
        Tensor x = Tensor.zeros(1, 2, 2, 3);
        for (int h = 0; h < 2; h++) for (int w = 0; w < 2; w++) for (int c = 0; c < 3; c++) x.data[(h * 2 + w) * 3 + c] = 100 * c + 10 * h + w;
        Tensor y = new Flatten().forward(x);
        assertThat(y.shape).containsExactly(1, 12);
        assertThat(y.data).containsExactly(0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211);
        check(new Flatten(), randomTensor(4, 2, 3, 2, 4), 1e-2);
        check(new Flatten(), randomTensor(5, 3, 4, 4, 1), 1e-2);
    }

    @Test void unpaddedConvAsTheLessons() {
        Conv2d c = new Conv2d(1, 9, 5, 1, 1, true);
        c.setPad(0);
        assertThat(c.forward(Tensor.zeros(2, 28, 28, 1)).shape).containsExactly(2, 24, 24, 9);
        assertThat(c.toString()).isEqualTo("Conv2d(1, 9, kernel_size=(5, 5), stride=(1, 1))");
        // a 3x3 box filter without padding, by hand: each output is the sum of its window
        Conv2d box = new Conv2d(1, 1, 3, 1, 1, false);
        box.setPad(0);
        box.weight.fill(1f);
        Tensor y = box.forward(image(3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        assertThat(y.shape).containsExactly(1, 1, 2, 1);
        assertThat(y.data).containsExactly(54f, 63f);
        Conv2d g = randomized(new Conv2d(3, 4, 3, 2, 1, true), 6);
        g.setPad(0);
        check(g, randomTensor(7, 2, 7, 6, 3), 2e-2);
    }
}
