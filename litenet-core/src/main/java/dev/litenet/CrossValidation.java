package dev.litenet;

import dev.litenet.data.BatchLoader;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Preprocess;
import dev.litenet.data.Sample;
import dev.litenet.models.Model;
import dev.litenet.models.Pretrained;
import dev.litenet.train.Features;
import dev.litenet.train.Folds;
import dev.litenet.train.HeadFit;
import dev.litenet.train.HeadOptions;
import dev.litenet.train.TrainOptions;
import dev.litenet.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Stratified k-fold cross-validation of a transfer-learning recipe over all labelled photos: {@code train/} and
 * {@code val/} pooled (or the class folders alone). Each photo is in exactly one test fold; for each fold the head
 * is trained on the other folds only (early stopping, when on, holds out part of those), then scored on the fold.
 * Backbone features come from the same cache as {@link TransferLearning}, so recipes that share weights and
 * input size share the costly part. The folds depend on the photos and {@link #seed} only, so every recipe run
 * with the same data, folds and seed is compared on the same folds.
 *
 * <pre>{@code
 * CrossValidation.Result r = CrossValidation.of(TransferLearning.from("mobilenet_v2_1.0_224_quant")
 *         .data(Path.of("cats-dogs")).epochs(5)).folds(5).run();
 * System.out.println(r.accuracy().mean() + " ± " + r.accuracy().sd());
 * }</pre>
 *
 * <p>Only frozen-backbone recipes are cross-validated (fine-tuning and random-crop augmentation recompute the
 * backbone for every fold and epoch).
 */
public final class CrossValidation {
    private final TransferLearning recipe;
    /** Folds unless told otherwise. */
    public static final int DEFAULT_FOLDS = 5;

    private int folds = DEFAULT_FOLDS;
    private long seed;

    private CrossValidation(TransferLearning recipe) { this.recipe = recipe; }

    /**
     * Cross-validation of a recipe.
     *
     * @param recipe the transfer-learning recipe (its data folder, weights and head options); its run folder,
     *               validation split and resume settings are not used
     * @return a cross-validation with 5 folds and seed 0
     */
    public static CrossValidation of(TransferLearning recipe) { return new CrossValidation(Objects.requireNonNull(recipe, "recipe")); }

    /**
     * The number of folds.
     *
     * @param k 2 to 100 (default 5)
     * @return this
     */
    public CrossValidation folds(int k) {
        if (k < 2 || k > 100) throw new BadInputException("folds must be between 2 and 100, got " + k);
        this.folds = k;
        return this;
    }

    /**
     * The seed of the fold assignment, independent of the recipe's seed.
     *
     * @param seed any value (default 0)
     * @return this
     */
    public CrossValidation seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Mean and sample standard deviation (n - 1) over the folds.
     *
     * @param mean the mean
     * @param sd   the sample standard deviation (0 for one value)
     */
    public record Stat(double mean, double sd) {
        static Stat of(double[] v) {
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN), ss = 0;
            for (double x : v) ss += (x - mean) * (x - mean);
            return new Stat(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
        }
    }

    /**
     * One fold.
     *
     * @param fold        its number, from 1
     * @param trainPhotos photos the head was trained on (the other folds; early stopping holds out part of them)
     * @param testPhotos  photos of this fold, scored once at the end
     * @param accuracy    accuracy on this fold
     * @param logLoss     mean cross-entropy on this fold
     * @param epochsRun   epochs the head ran
     * @param epochKept   the epoch whose head was kept (the last, unless early stopping chose another)
     * @param confusion   {@code confusion[actual][predicted]} on this fold
     */
    public record Fold(int fold, int trainPhotos, int testPhotos, double accuracy, double logLoss, int epochsRun, int epochKept,
                       int[][] confusion) {}

    /**
     * The outcome: per fold and mean ± sd; {@code misclassified} lists every photo its own fold got wrong.
     *
     * @param classes       class names
     * @param photos        photos cross-validated (unreadable ones left out and listed in {@code skipped})
     * @param seed          seed of the fold assignment
     * @param folds         per fold
     * @param accuracy      accuracy over the folds
     * @param logLoss       mean cross-entropy over the folds
     * @param pooledAccuracy correct answers over all photos
     * @param seconds       wall time, feature extraction included
     * @param misclassified photos their test fold got wrong
     * @param skipped       photos that could not be read
     */
    public record Result(List<String> classes, int photos, long seed, List<Fold> folds, Stat accuracy, Stat logLoss,
                         double pooledAccuracy, double seconds, List<Evaluation.Misclassified> misclassified,
                         List<dev.litenet.data.BadImage> skipped) {
        /**
         * As JSON-ready values.
         *
         * @return the result as maps, lists, strings and numbers
         */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("classes", classes);
            m.put("photos", photos);
            m.put("folds", folds.size());
            m.put("seed", seed);
            m.put("accuracy_mean", accuracy.mean());
            m.put("accuracy_sd", accuracy.sd());
            m.put("log_loss_mean", logLoss.mean());
            m.put("log_loss_sd", logLoss.sd());
            m.put("pooled_accuracy", pooledAccuracy);
            m.put("seconds", seconds);
            m.put("per_fold", folds.stream().map(f -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("fold", f.fold());
                e.put("train_photos", f.trainPhotos());
                e.put("test_photos", f.testPhotos());
                e.put("accuracy", f.accuracy());
                e.put("log_loss", f.logLoss());
                e.put("epochs_run", f.epochsRun());
                e.put("epoch_kept", f.epochKept());
                e.put("confusion", java.util.Arrays.stream(f.confusion()).map(r -> java.util.Arrays.stream(r).boxed().toList()).toList());
                return (Object) e;
            }).toList());
            m.put("misclassified", misclassified.stream().map(w -> Map.of("file", w.file().toString(), "actual", w.actual(),
                    "predicted", w.predicted(), "probability", w.probability())).toList());
            m.put("skipped", skipped.stream().map(b -> Map.of("file", b.path().toString(), "reason", b.reason())).toList());
            return m;
        }
    }

    /**
     * Runs the k folds.
     *
     * @return per-fold and mean ± sd accuracy and log-loss
     * @throws BadInputException for a missing data folder, fewer than 2 classes, a class with fewer photos than
     *                           folds, or a recipe that fine-tunes or augments
     */
    public Result run() {
        long start = System.nanoTime();
        Path data = recipe.data();
        if (data == null) throw new BadInputException("no data folder: call data(folder) on the recipe first");
        if (!Files.isDirectory(data)) throw new BadInputException(data, "data folder not found");
        TrainOptions o = recipe.options(ImageClassifier.weightsFile(recipe.weights()), null, false);
        if (o.unfreezeFrom() >= 0 || o.augment()) {
            throw new BadInputException("cross-validation covers frozen-backbone recipes (cached features); drop --unfreeze-from and --augment");
        }
        ImageFolder all = pooled(data);
        int classes = all.classes().size();
        checkFolds(all, classes);
        Consumer<TrainEvent> listener = recipe.listener();
        List<dev.litenet.data.BadImage> skipped = new ArrayList<>();
        Consumer<TrainEvent> events = e -> {
            if (e instanceof TrainEvent.Skipped s) skipped.add(s.image());
            if (!(e instanceof TrainEvent.EpochEnd)) listener.accept(e);
        };
        Model pre = Pretrained.load(o.weights(), o.architecture());
        Preprocess preprocess = o.preprocess(pre.preprocess());
        var loading = new BatchLoader.Options(32, false, 0, 2, 2, o.badImages(), b -> {});
        Trainer.View view = Trainer.View.of("features", all.samples(), preprocess, pre.network().fusedEmbedding(),
                loading, Trainer.View.caches(o.cacheDir(), pre, preprocess, o.mirrored()), events);
        Folded f = folds(view.plain(), view.mirror(), all.classes(), folds, seed, o.head(), events);
        return new Result(all.classes(), view.plain().size(), seed, f.folds(), f.accuracy(), f.logLoss(), f.pooledAccuracy(),
                (System.nanoTime() - start) / 1e9, f.misclassified(), List.copyOf(skipped));
    }

    /** What the fold loop gives back. */
    record Folded(List<Fold> folds, Stat accuracy, Stat logLoss, double pooledAccuracy, List<Evaluation.Misclassified> misclassified) {}

    /**
     * The fold loop on features: for each fold, a head fitted on the other folds' rows only, scored on this fold.
     * in features (N, dim) [+ mirrors (N, dim)] -> per fold accuracy and log-loss
     */
    static Folded folds(Features plain, Features mirror, List<String> classes, int k, long seed, HeadOptions head,
                        Consumer<TrainEvent> events) {
        int[] fold = Folds.assign(plain.labels(), classes.size(), k, seed);
        List<Fold> perFold = new ArrayList<>();
        List<Evaluation.Misclassified> wrong = new ArrayList<>();
        int correct = 0;
        for (int f = 0; f < k; f++) {
            final int test = f;
            int[] trainRows = IntStream.range(0, fold.length).filter(i -> fold[i] != test).toArray();
            int[] testRows = IntStream.range(0, fold.length).filter(i -> fold[i] == test).toArray();
            HeadFit.Fitted fitted = HeadFit.fit(plain.select(trainRows), mirror == null ? null : mirror.select(trainRows),
                    classes.size(), head, null, e -> {});
            Features testPlain = plain.select(testRows);
            Evaluation e = Evaluation.of(classes, HeadFit.logits(fitted.head(), testPlain, mirror == null ? null : mirror.select(testRows)),
                    testPlain.labels(), testPlain.files(), List.of());
            perFold.add(new Fold(f + 1, trainRows.length, testRows.length, e.accuracy(), e.loss(), fitted.history().size(),
                    fitted.bestEpoch(), e.confusion()));
            wrong.addAll(e.misclassified());
            correct += e.correct();
            events.accept(new TrainEvent.Note(String.format("fold %d/%d: accuracy %.4f, log-loss %.4f (%d test photos)",
                    f + 1, k, e.accuracy(), e.loss(), testRows.length)));
        }
        double[] acc = perFold.stream().mapToDouble(Fold::accuracy).toArray(), loss = perFold.stream().mapToDouble(Fold::logLoss).toArray();
        return new Folded(List.copyOf(perFold), Stat.of(acc), Stat.of(loss), (double) correct / plain.size(), List.copyOf(wrong));
    }

    /** {@code train/} and {@code val/} together when both exist (same classes), else the class folders of {@code data}. */
    static ImageFolder pooled(Path data) {
        Path train = data.resolve("train"), val = data.resolve("val");
        if (!(Files.isDirectory(train) && Files.isDirectory(val))) return ImageFolder.open(data);
        ImageFolder a = ImageFolder.open(train), b = ImageFolder.open(val);
        if (!a.classes().equals(b.classes())) {
            throw new BadInputException(data, "train and val have different classes: " + a.classes() + " and " + b.classes());
        }
        List<Sample> samples = new ArrayList<>(a.samples());
        samples.addAll(b.samples());
        return new ImageFolder(data, a.classes(), samples);
    }

    private void checkFolds(ImageFolder all, int classes) {
        if (classes < 2) throw new BadInputException(all.root(), "cross-validation needs at least 2 classes, found " + all.classes());
        int[] count = new int[classes];
        for (Sample s : all.samples()) count[s.label()]++;
        for (int c = 0; c < classes; c++) {
            if (count[c] < folds) {
                throw new BadInputException(all.root(), "class '" + all.classes().get(c) + "' has " + count[c]
                        + " photos, fewer than the " + folds + " folds");
            }
        }
    }
}
