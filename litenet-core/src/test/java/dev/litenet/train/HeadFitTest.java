package dev.litenet.train;

import dev.litenet.LrSchedule;
import dev.litenet.TrainEvent;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The head-training loop: it learns, early stopping keeps the best epoch, schedules and label smoothing do what torch's do. */
class HeadFitTest {
    /** Two Gaussian blobs in dim dimensions, centres ±shift on the first axis. */
    static Features blobs(int n, int dim, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][dim];
        int[] y = new int[n];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < dim; j++) x[i][j] = (float) (r.nextGaussian() + (j == 0 ? (y[i] == 0 ? -shift : shift) : 0));
            files.add(Path.of("p" + i + ".jpg"));
        }
        return new Features(x, y, files);
    }

    static HeadOptions options(int epochs, double lr, double wd, double holdout) {
        return new HeadOptions(epochs, 16, lr, wd, "adam", LrSchedule.CONSTANT, 0, false, holdout, 3, 0);
    }

    static double accuracy(Tensor logits, int[] labels) { return (double) dev.litenet.eval.Accuracy.correct(logits, labels) / labels.length; }

    @Test
    void learnsSeparableDataAndTheReturnedHeadReadsRawFeatures() {
        Features train = blobs(200, 8, 2, 1), test = blobs(200, 8, 2, 2);
        HeadFit.Fitted f = HeadFit.fit(train, null, 2, options(10, 1e-2, 0, 0), null, e -> {});
        assertThat(f.history()).hasSize(10);
        assertThat(accuracy(HeadFit.logits(f.head(), test, null), test.labels())).isGreaterThan(0.95);
    }

    @Test
    void earlyStoppingStopsOnTheHoldoutAndKeepsItsBestEpoch() {
        // random labels in many dimensions: the head memorizes, so the holdout loss rises after the first epochs
        Features noise = blobs(240, 200, 0, 3);
        List<String> notes = new ArrayList<>();
        HeadFit.Fitted f = HeadFit.fit(noise, null, 2, options(60, 1e-2, 0, 0.25), null, e -> {
            if (e instanceof TrainEvent.Note n) notes.add(n.text());
        });
        assertThat(f.history().size()).isLessThan(60);
        assertThat(f.bestEpoch()).isEqualTo(f.history().size() - 3);               // patience 3
        assertThat(notes).anyMatch(n -> n.startsWith("early stop after epoch " + f.history().size()));
    }

    @Test
    void mirroredViewsTrainOnBothAndScoreTheirMean() {
        Features plain = blobs(100, 6, 2, 4), mirror = blobs(100, 6, 2, 5);
        HeadOptions o = new HeadOptions(5, 16, 1e-2, 0, "adam", LrSchedule.COSINE, 0, true, 0, 1, 0);
        HeadFit.Fitted f = HeadFit.fit(plain, mirror, 2, o, null, e -> {});
        Tensor mean = HeadFit.logits(f.head(), plain, mirror), a = HeadFit.logits(f.head(), plain, null), b = HeadFit.logits(f.head(), mirror, null);
        for (int i = 0; i < mean.data.length; i++) assertThat(mean.data[i]).isCloseTo(0.5f * (a.data[i] + b.data[i]), within(1e-4f));
    }

    @Test
    void schedulesFollowTorch() {
        assertThat(LrSchedule.CONSTANT.factor(7, 10)).isEqualTo(1.0);
        assertThat(LrSchedule.COSINE.factor(0, 100)).isEqualTo(1.0);
        assertThat(LrSchedule.COSINE.factor(50, 100)).isCloseTo(0.5, within(1e-12));
        assertThat(LrSchedule.COSINE.factor(99, 100)).isCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.99)), within(1e-12));
        assertThat(LrSchedule.STEP.factor(66, 100)).isEqualTo(1.0);
        assertThat(LrSchedule.STEP.factor(67, 100)).isEqualTo(0.1);
    }

    @Test
    void labelSmoothingGradientMatchesFiniteDifferences() {
        Tensor logits = Tensor.zeros(2, 3);
        float[] v = {0.3f, -1.2f, 2.0f, 0.5f, 0.1f, -0.4f};
        System.arraycopy(v, 0, logits.data, 0, v.length);
        int[] labels = {2, 0};
        double eps = 0.1;
        Tensor g = HeadFit.smoothedGradient(logits, labels, eps);
        for (int i = 0; i < v.length; i++) {
            double h = 1e-3;
            logits.data[i] = v[i] + (float) h;
            double up = smoothedLoss(logits, labels, eps);
            logits.data[i] = v[i] - (float) h;
            double down = smoothedLoss(logits, labels, eps);
            logits.data[i] = v[i];
            assertThat(g.data[i]).isCloseTo((float) ((up - down) / (2 * h)), within(2e-4f));
        }
        assertThat(HeadFit.smoothedGradient(logits, labels, 0).data).isEqualTo(CrossEntropy.gradient(logits, labels).data);
    }

    /** torch's F.cross_entropy(logits, labels, label_smoothing=eps), written out. */
    static double smoothedLoss(Tensor logits, int[] labels, double eps) {
        Tensor p = CrossEntropy.softmax(logits);
        int n = labels.length, k = logits.size() / n;
        double loss = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) loss -= (eps / k + (j == labels[i] ? 1 - eps : 0)) * Math.log(p.data[i * k + j]);
        return loss / n;
    }
}
