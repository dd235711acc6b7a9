package dev.litenet.train;

import dev.litenet.eval.Accuracy;
import dev.litenet.models.Models;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory training loop: it learns, it is repeatable from its seed, and batches hold the right rows. */
class ArrayTrainerTest {
    /** Class k: pixels of row 2k+4 bright, noise elsewhere; (n,28,28,1) in [0,1]. */
    static Tensor bands(int[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(labels.length, 28, 28, 1);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
            for (int p = 0; p < 784; p++) x.data[i * 784 + p] = p / 28 == 2 * labels[i] + 4 ? 0.8f + 0.2f * (float) r.nextDouble() : 0.3f * (float) r.nextDouble();
        }
        return x;
    }

    static float[] weights(Layer net) { return net.namedParameters().get("1.weight").data.clone(); }

    @Test void learnsAndRepeatsFromItsSeed() {
        int[] y = new int[256], yTest = new int[200];
        Tensor x = bands(y, 1), xTest = bands(yTest, 2);
        Layer a = Models.create("dense", new Models.Config(10, 1f, 5)), b = Models.create("dense", new Models.Config(10, 1f, 5));
        List<ArrayTrainer.EpochDone> seen = new ArrayList<>();
        List<ArrayTrainer.EpochDone> history = ArrayTrainer.fit(a, x, y, new ArrayTrainer.Settings(3, 32, 0.01, 7), seen::add);
        assertThat(seen).isEqualTo(history).hasSize(3);
        assertThat(history).extracting(ArrayTrainer.EpochDone::epoch).containsExactly(1, 2, 3);
        assertThat(history.getLast().meanLoss()).isLessThan(history.getFirst().meanLoss());
        assertThat(Accuracy.of(a, xTest, yTest, 64)).isGreaterThan(0.9);               // chance is 0.1
        assertThat(a.isTraining()).isFalse();

        ArrayTrainer.fit(b, x, y, new ArrayTrainer.Settings(3, 32, 0.01, 7), e -> { });
        assertThat(weights(b)).containsExactly(weights(a));
        Layer c = Models.create("dense", new Models.Config(10, 1f, 5));
        ArrayTrainer.fit(c, x, y, new ArrayTrainer.Settings(3, 32, 0.01, 8), e -> { });     // another shuffle
        assertThat(weights(c)).isNotEqualTo(weights(a));
    }

    @Test void gatherTakesTheShuffledRows() {
        Tensor x = new Tensor(new float[]{0, 1, 10, 11, 20, 21, 30, 31}, 4, 1, 2, 1);
        Tensor batch = ArrayTrainer.gather(x, new int[]{3, 0, 2, 1}, 1, 3);
        assertThat(batch.shape).containsExactly(2, 1, 2, 1);
        assertThat(batch.data).containsExactly(0, 1, 20, 21);
    }

    @Test void accuracyCountsFirstMaximum() {
        Tensor logits = new Tensor(new float[]{1, 3, 2, 5, 5, 0, 0, 0, 1}, 3, 3);
        assertThat(Accuracy.correct(logits, new int[]{1, 0, 2})).isEqualTo(3);
        assertThat(Accuracy.correct(logits, new int[]{2, 1, 0})).isZero();
    }
}
