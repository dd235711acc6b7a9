package dev.litenet.nn;

import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** StochasticDepth: identity where torchvision's is, its mask's statistics, determinism from a seed, backward through the same mask. */
class StochasticDepthTest {
    static Tensor ones(int... shape) {
        Tensor t = Tensor.zeros(shape);
        Arrays.fill(t.data, 1f);
        return t;
    }

    @Test void identityInEvalModeAndAtZero() {
        Tensor x = randomTensor(80, 4, 2, 2, 3);
        StochasticDepth eval = new StochasticDepth(0.5f, StochasticDepth.Mode.ROW);
        eval.setRecording(true);
        assertThat(eval.forward(x)).isSameAs(x);
        assertThat(eval.backward(x)).isSameAs(x);
        StochasticDepth zero = new StochasticDepth(0f, StochasticDepth.Mode.ROW);
        zero.train(true);
        assertThat(zero.forward(x)).isSameAs(x);
        assertThat(new StochasticDepth(0.2f, StochasticDepth.Mode.ROW).fused().forward(x)).isSameAs(x);
    }

    /** Each sample is all zero or all 1/(1 − p), kept about 1 − p of the time; backward routes dy through the same scales. */
    @Test void rowModeKeepsWholeSamplesWithProbabilityOneMinusP() {
        StochasticDepth sd = new StochasticDepth(0.2f, StochasticDepth.Mode.ROW);
        sd.train(true);
        sd.setRecording(true);
        int N = 4000;
        Tensor y = sd.forward(ones(N, 1, 1, 3));
        int kept = 0;
        for (int n = 0; n < N; n++) {
            float v = y.data[3 * n];
            assertThat(v).isIn(0f, 1f / 0.8f);
            assertThat(y.data[3 * n + 1]).isEqualTo(v);
            assertThat(y.data[3 * n + 2]).isEqualTo(v);
            if (v != 0f) kept++;
        }
        assertThat(kept / (double) N).isCloseTo(0.8, within(0.02));        // about 3 standard deviations
        Tensor dx = sd.backward(randomTensor(81, N, 1, 1, 3));
        Tensor dy = randomTensor(81, N, 1, 1, 3);
        for (int i = 0; i < dx.size(); i++) assertThat(dx.data[i]).isEqualTo(dy.data[i] * y.data[i]);
    }

    @Test void batchModeDrawsOnceForTheBatch() {
        StochasticDepth sd = new StochasticDepth(0.5f, StochasticDepth.Mode.BATCH);
        sd.train(true);
        int zeroed = 0;
        for (int run = 0; run < 400; run++) {
            float[] y = sd.forward(ones(5, 2)).data;
            for (float v : y) assertThat(v).isEqualTo(y[0]).isIn(0f, 2f);
            if (y[0] == 0f) zeroed++;
        }
        assertThat(zeroed / 400.0).isCloseTo(0.5, within(0.08));
    }

    @Test void aSeedGivesTheSameMasks() {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            StochasticDepth sd = new StochasticDepth(0.5f, StochasticDepth.Mode.ROW);
            sd.train(true);
            sd.setSeed(7);
            runs[r] = sd.forward(ones(64, 2)).data;
        }
        assertThat(runs[1]).isEqualTo(runs[0]);
        StochasticDepth other = new StochasticDepth(0.5f, StochasticDepth.Mode.ROW);
        other.train(true);
        other.setSeed(8);
        assertThat(other.forward(ones(64, 2)).data).isNotEqualTo(runs[0]);
    }

    @Test void allDroppedAtOneAndBadProbabilitiesRejected() {
        StochasticDepth sd = new StochasticDepth(1f, StochasticDepth.Mode.ROW);
        sd.train(true);
        assertThat(sd.forward(ones(10, 3)).data).containsOnly(0f);
        assertThatThrownBy(() -> new StochasticDepth(1.5f, StochasticDepth.Mode.ROW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StochasticDepth(Float.NaN, StochasticDepth.Mode.ROW)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sd.toString()).isEqualTo("StochasticDepth(p=1.0, mode=row)");
    }

    /**
     * Numeric gradients in training (the wrapper reseeds before every forward, so each difference sees the same mask,
     * some samples kept and some dropped) and in eval.
     */
    @Test void gradientsMatchFiniteDifferences() {
        StochasticDepth sd = new StochasticDepth(0.5f, StochasticDepth.Mode.ROW);
        Layer reseeding = new Layer() {
            { addChild("sd", sd); }
            @Override public Tensor forward(Tensor x) { sd.setSeed(3); return sd.forward(x); }
            @Override public Tensor backward(Tensor dy) { return sd.backward(dy); }
        };
        reseeding.train(true);
        sd.setSeed(3);
        float[] y = sd.forward(ones(6, 2, 2, 1)).data;
        assertThat(y).contains(0f, 2f);                                       // both kinds of sample
        check(reseeding, randomTensor(82, 6, 2, 2, 1), 1e-2);
        reseeding.train(false);
        check(reseeding, randomTensor(83, 6, 2, 2, 1), 1e-2);
    }
}
