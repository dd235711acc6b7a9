package dev.litenet;

import dev.litenet.train.Features;
import dev.litenet.train.HeadFit;
import dev.litenet.train.HeadOptions;
import dev.litenet.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Cross-validation: no photo of a test fold reaches its head, the folds are the same for every recipe, the
 * figures are the folds' own, bad data gets a clear error, and a mirrored run predicts as it was scored.
 */
class CrossValidationTest {
    @TempDir static Path tmp;
    static Path data, weights, cache;

    @BeforeAll static void tinyDataset() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 8, 4);
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
    }

    static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Random features with random labels: only memorizing a photo can predict it. */
    static Features noise(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][dim];
        int[] y = new int[n];
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(2);
            for (int j = 0; j < dim; j++) x[i][j] = (float) r.nextGaussian();
            files.add(Path.of("photo" + i + ".jpg"));
        }
        return new Features(x, y, files);
    }

    static HeadOptions memorizer(double holdout) {
        return new HeadOptions(40, 16, 1e-2, 0, "adam", LrSchedule.CONSTANT, 0, false, holdout, 40, 0);
    }

    @Test
    void noTestPhotoReachesItsFoldsHead() {
        Features x = noise(200, 300, 1);
        // control: a head that has seen every photo knows the labels of any fold
        HeadFit.Fitted all = HeadFit.fit(x, null, 2, memorizer(0), null, e -> {});
        assertThat((double) dev.litenet.eval.Accuracy.correct(HeadFit.logits(all.head(), x, null), x.labels()) / x.size()).isGreaterThan(0.95);
        // cross-validated, the same memorizer is at chance: the test folds (and the holdout) never leaked in
        for (double holdout : new double[]{0, 0.2}) {
            CrossValidation.Folded f = CrossValidation.folds(x, null, List.of("a", "b"), 5, 0, memorizer(holdout), e -> {});
            assertThat(f.accuracy().mean()).isBetween(0.35, 0.65);
            assertThat(f.folds()).allSatisfy(fold -> assertThat(fold.trainPhotos() + fold.testPhotos()).isEqualTo(200));
        }
    }

    @Test
    void realPhotosGiveFoldFiguresAndTheirMeanAndSd() {
        List<String> notes = new ArrayList<>();
        CrossValidation.Result r = CrossValidation.of(TransferLearning.from(weights.toString()).data(data).inputSize(96)
                .featureCache(cache).epochs(3).listener(e -> { if (e instanceof TrainEvent.Note n) notes.add(n.text()); }))
                .folds(3).run();
        assertThat(r.photos()).isEqualTo(24);                                          // train/ and val/ pooled
        assertThat(r.folds()).hasSize(3).allSatisfy(f -> {
            assertThat(f.testPhotos()).isEqualTo(8);
            assertThat(f.trainPhotos()).isEqualTo(16);
            assertThat(f.confusion()[0][0] + f.confusion()[0][1]).isEqualTo(4);         // stratified: 4 cats per fold
            assertThat(f.accuracy()).isEqualTo((f.confusion()[0][0] + f.confusion()[1][1]) / 8.0);
        });
        double mean = r.folds().stream().mapToDouble(CrossValidation.Fold::accuracy).average().orElseThrow();
        assertThat(r.accuracy().mean()).isCloseTo(mean, within(1e-12));
        double ss = r.folds().stream().mapToDouble(f -> (f.accuracy() - mean) * (f.accuracy() - mean)).sum();
        assertThat(r.accuracy().sd()).isCloseTo(Math.sqrt(ss / 2), within(1e-12));
        assertThat(r.misclassified()).hasSize((int) Math.round(24 * (1 - r.pooledAccuracy())));
        assertThat(notes).anyMatch(n -> n.startsWith("fold 3/3: accuracy"));
        // another recipe, same photos, same fold seed: the same folds (same cats in each)
        CrossValidation.Result other = CrossValidation.of(TransferLearning.from(weights.toString()).data(data).inputSize(96)
                .featureCache(cache).epochs(1).weightDecay(0.5)).folds(3).run();
        for (int k = 0; k < 3; k++) {
            assertThat(other.folds().get(k).confusion()[0][0] + other.folds().get(k).confusion()[0][1])
                    .isEqualTo(r.folds().get(k).confusion()[0][0] + r.folds().get(k).confusion()[0][1]);
        }
    }

    @Test
    void badDataAndRecipesGetClearErrors() throws IOException {
        Path oneClass = Files.createDirectories(tmp.resolve("one/cat"));
        copy(data.resolve("train/cat").toFile().listFiles()[0].toPath(), oneClass.resolve("a.jpg"));
        copy(data.resolve("train/cat").toFile().listFiles()[1].toPath(), oneClass.resolve("b.jpg"));
        assertThatThrownBy(() -> CrossValidation.of(TransferLearning.from(weights.toString()).data(tmp.resolve("one"))).folds(2).run())
                .isInstanceOf(BadInputException.class).hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> CrossValidation.of(TransferLearning.from(weights.toString()).data(data)).folds(13).run())
                .isInstanceOf(BadInputException.class).hasMessageContaining("class 'cat' has 12 photos, fewer than the 13 folds");
        assertThatThrownBy(() -> CrossValidation.of(TransferLearning.from(weights.toString()).data(data).unfreezeFrom(17)).run())
                .isInstanceOf(BadInputException.class).hasMessageContaining("frozen-backbone");
        assertThatThrownBy(() -> CrossValidation.of(TransferLearning.from(weights.toString()).data(data)).folds(1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("folds must be between 2 and 100");
    }

    @Test
    void aMirroredRunStoresItsTestTimeFlipAndPredictsAsItWasScored() {
        Path run = tmp.resolve("mirrored-run");
        TransferLearning.Training t = TransferLearning.from(weights.toString()).data(data).inputSize(96).featureCache(cache)
                .epochs(2).mirrored(true).runFolder(run).fit();
        assertThat(t.classifier().preprocess().flipAverage()).isTrue();
        ImageClassifier loaded = ImageClassifier.load(run);
        assertThat(loaded.preprocess().flipAverage()).isTrue();
        Evaluation e = loaded.evaluate(data.resolve("val"));
        assertThat(e.loss()).isCloseTo(t.validation().loss(), within(1e-4));
        assertThat(e.accuracy()).isEqualTo(t.validation().accuracy());
        // without the flip, the same head scores differently: the stored flip is what made them agree
        ImageClassifier plain = new ImageClassifier(loaded.model().withPreprocess(loaded.preprocess().withFlipAverage(false)));
        assertThat(plain.evaluate(data.resolve("val")).loss()).isNotCloseTo(t.validation().loss(), within(1e-4));
    }
}
