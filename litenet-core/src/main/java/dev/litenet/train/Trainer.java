package dev.litenet.train;

import dev.litenet.TrainEvent;

import dev.litenet.data.BatchLoader;
import dev.litenet.eval.Accuracy;
import dev.litenet.data.Batch;
import dev.litenet.data.DatasetSplit;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Orders;
import dev.litenet.data.Preprocess;
import dev.litenet.Evaluation;
import dev.litenet.BadInputException;
import dev.litenet.models.Pretrained;
import dev.litenet.models.MobileNetV2;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Transfer learning as the lesson does it: a pretrained MobileNetV2, its classifier replaced by
 * {@code Linear(1280, classes)}, trained with cross-entropy. With the backbone frozen (the default) the 1280-d
 * features are computed once and cached, so an epoch is a few milliseconds of head training. With
 * {@code unfreezeFrom = N}, {@code features.N} onward are fine-tuned by backprop; BatchNorm stays in eval mode
 * (running statistics are not updated), unlike the lesson's loop, which lets them drift on small batches.
 */
public final class Trainer {
    /** What a run produced. */
    public record Result(MobileNetV2 model, List<String> classes, Preprocess preprocess, String origin, String sha256,
                         List<TrainEvent.EpochStats> history, Evaluation validation) {}

    private final TrainOptions o;
    private final Consumer<TrainEvent> events;

    public Trainer(TrainOptions options, Consumer<TrainEvent> events) {
        this.o = options;
        this.events = events;
    }

    public Result run() throws IOException {
        DatasetSplit split = ImageFolder.split(o.data(), o.valSplit(), o.seed());
        if (split.classes().size() < 2) {
            throw new BadInputException(o.data(), "training needs at least 2 class folders, found " + split.classes().size()
                    + " " + split.classes());
        }
        if (split.train().isEmpty() || split.val().isEmpty()) {
            throw new BadInputException(o.data(), "training needs images in both train and val, found "
                    + split.train().size() + " and " + split.val().size());
        }
        Checkpoint checkpoint = o.out() == null ? null : Checkpoint.open(o);   // a resumed run's options checked before any work
        Pretrained pre = Pretrained.load(o.weights());
        Preprocess preprocess = o.preprocess(pre.preprocess());
        MobileNetV2 model = pre.model();
        int classes = split.classes().size();
        Linear head = new Linear(model.lastChannel, classes);
        initLinear(head, o.seed());
        model.setClassifier(head);
        model.freeze("");

        if (o.unfreezeFrom() >= 0) {
            if (o.unfreezeFrom() >= model.features().size()) throw new BadInputException("--unfreeze-from must be below " + model.features().size());
            for (int i = o.unfreezeFrom(); i < model.features().size(); i++) model.unfreeze("features." + i);
        }
        model.unfreeze("classifier");
        Optimizer optimizer = Optimizer.create(o.optimizer(), model.trainableParameters(), o.lr(), o.weightDecay());

        List<TrainEvent.EpochStats> history = new ArrayList<>(checkpoint == null ? List.of() : checkpoint.restore(model, optimizer));
        if (!history.isEmpty()) events.accept(new TrainEvent.Note("resuming after epoch " + history.size()));

        BatchLoader.Options loading = new BatchLoader.Options(o.batchSize(), false, o.seed(), 2, 2, o.badImages(), b -> {});
        Layer backbone = model.fusedEmbedding();                  // the frozen backbone's folded twin, made once
        if (o.unfreezeFrom() < 0 && !o.augment()) {
            // Cached features: the head trains in seconds and writes no checkpoint; an interrupted run trains it again.
            List<FeatureCache> caches = View.caches(o.cacheDir(), pre, preprocess, o.mirrored());
            View train = View.of("features train", split.train(), preprocess, backbone, loading, caches, events);
            View val = View.of("features val", split.val(), preprocess, backbone, loading, caches, events);
            readable("train", train.plain());
            readable("val", val.plain());
            Tensor valInput = HeadFit.input(val.plain(), val.mirror());
            HeadFit.Fitted fitted = HeadFit.fit(train.plain(), train.mirror(), classes, o.head(), h -> {
                Evaluation v = Evaluation.of(split.classes(), h.forward(valInput), val.plain().labels(), val.plain().files(), List.of());
                return new double[]{v.accuracy(), v.loss()};
            }, events);
            System.arraycopy(fitted.head().weight.data, 0, head.weight.data, 0, head.weight.data.length);
            System.arraycopy(fitted.head().bias.data, 0, head.bias.data, 0, head.bias.data.length);
            Preprocess stored = preprocess.withFlipAverage(o.mirrored());
            Evaluation finalVal = Evaluation.of(split.classes(), head.forward(valInput), val.plain().labels(), val.plain().files(), List.of());
            if (o.out() != null) RunDir.save(o.out(), model, split.classes(), stored, pre.origin(), pre.sha256(), fitted.history());
            return new Result(model, split.classes(), stored, pre.origin(), pre.sha256(), fitted.history(), finalVal);
        }
        if (o.mirrored()) events.accept(new TrainEvent.Note("mirrored views apply to a frozen backbone with cached features; ignored here"));
        if (o.labelSmoothing() > 0 || o.holdout() > 0) {
            events.accept(new TrainEvent.Note("label smoothing and early stopping apply to a frozen backbone with cached features; ignored here"));
        }
        Features val = readable("val", Features.extract("features val", split.val(), backbone, preprocess.pipeline(), loading, null, events));
        if (o.unfreezeFrom() < 0) {
            events.accept(new TrainEvent.Note("--augment: training features change every epoch, so they are computed anew each epoch, not cached"));
        }

        Features firstAugmented = o.unfreezeFrom() < 0 ? augmentedFeatures(split, backbone, preprocess, loading, 1) : null;
        float[][] moments = firstAugmented != null ? firstAugmented.moments() : null;
        Features standardizedVal = moments == null ? null : val.standardized(moments);   // augmenting: val is fixed
        for (int epoch = history.size() + 1; epoch <= o.epochs(); epoch++) {
            long start = System.nanoTime();
            optimizer.setLearningRate(o.lr() * o.schedule().factor(epoch - 1, o.epochs()));
            double[] lossAcc;
            if (o.unfreezeFrom() >= 0) {
                lossAcc = fineTuneEpoch(model, optimizer, split, preprocess, epoch);
                val = Features.extract("features val", split.val(), model.fusedEmbedding(), preprocess.pipeline(), loading, null, events);
            } else {
                Features epochTrain = epoch == 1 ? firstAugmented : augmentedFeatures(split, backbone, preprocess, loading, epoch);
                lossAcc = headEpoch(head, optimizer, epochTrain.standardized(moments), epoch);
            }
            Evaluation v = evaluateHead(head, moments == null ? val : standardizedVal, split.classes());
            if (!Double.isFinite(lossAcc[0])) {
                throw new BadInputException(o.data(), "training diverged: the loss of epoch " + epoch + " is " + lossAcc[0]
                        + "; try a smaller learning rate (now " + o.lr() + ")");
            }
            var stats = new TrainEvent.EpochStats(epoch, lossAcc[1], lossAcc[0], v.accuracy(), v.loss(), (System.nanoTime() - start) / 1e9);
            history.add(stats);
            events.accept(new TrainEvent.EpochEnd(stats));
            if (checkpoint != null) checkpoint.save(model, optimizer, history);
        }
        if (moments != null) foldStandardization(head, moments);
        Evaluation finalVal = evaluateHead(head, val, split.classes());
        if (o.out() != null) RunDir.save(o.out(), model, split.classes(), preprocess, pre.origin(), pre.sha256(), history);
        return new Result(model, split.classes(), preprocess, pre.origin(), pre.sha256(), history, finalVal);
    }

    /**
     * Features of photos through the frozen backbone, and of their mirrors when {@link #caches} was asked for them
     * (two caches, null or not), from the cache when there is one (keyed by the weights' checksum and {@link Preprocess#featureKey()}, " hflip" for mirrors). The
     * mirror rows are aligned with the plain ones (a photo unreadable in either view is left out of both).
     */
    public record View(Features plain, Features mirror) {
        public static View of(String what, List<dev.litenet.data.Sample> samples, Preprocess preprocess,
                              Layer backbone, BatchLoader.Options loading, List<FeatureCache> caches, Consumer<TrainEvent> events) {
            if (caches.size() == 1) return new View(Features.extract(what, samples, backbone, preprocess.pipeline(), loading, caches.get(0), events), null);
            List<Features> both = Features.extractViews(what + " (+ mirrors)", samples, backbone, preprocess.pipeline(), loading, caches, events);
            return new View(both.get(0), both.get(1));
        }

        /** The feature caches of the plain view and, when mirrored, of the mirrors (nulls without a folder): open them once a run. */
        public static List<FeatureCache> caches(java.nio.file.Path cacheDir, Pretrained pre, Preprocess preprocess, boolean mirrored) {
            int dim = pre.model().lastChannel;
            FeatureCache cache = cacheDir == null ? null : FeatureCache.open(cacheDir, pre.sha256(), preprocess.featureKey(), dim);
            if (!mirrored) return java.util.Collections.singletonList(cache);
            FeatureCache mirrorCache = cacheDir == null ? null : FeatureCache.open(cacheDir, pre.sha256(), preprocess.featureKey() + " hflip", dim);
            return java.util.Arrays.asList(cache, mirrorCache);
        }
    }

    private Features augmentedFeatures(DatasetSplit split, Layer backbone, Preprocess preprocess, BatchLoader.Options loading, int epoch) {
        return readable("train", Features.extract("features train (augmented) epoch " + epoch, split.train(), backbone,
                preprocess.augmented(), loading.seed(o.seed() * 1000 + epoch), null, events));
    }

    /** Features of at least one photo: with none readable there is nothing to learn from or to measure on. */
    private Features readable(String part, Features f) {
        if (f.size() == 0) throw new BadInputException(o.data(), "no readable image in the " + part + " part; every one was skipped");
        return f;
    }

    /** One epoch of the head on cached features, in an order fixed by (seed, epoch). Returns {loss, acc}. */
    private double[] headEpoch(Linear head, Optimizer optimizer, Features train, int epoch) {
        int n = train.size();
        int[] order = Orders.shuffled(n, new SplittableRandom(o.seed() * 7919 + epoch));
        head.setRecording(true);
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < n; from += o.batchSize()) {
            int to = Math.min(n, from + o.batchSize());
            Tensor x = train.rows(order, from, to);
            int[] labels = train.labels(order, from, to);
            Tensor logits = head.forward(x);
            lossSum += CrossEntropy.loss(logits, labels) * labels.length;
            correct += Accuracy.correct(logits, labels);
            optimizer.zeroGrad();
            head.backward(CrossEntropy.gradient(logits, labels));
            optimizer.step();
        }
        head.setRecording(false);
        return new double[]{lossSum / n, (double) correct / n};
    }

    /** One epoch of backprop through features.N onward; the frozen part before N runs as a folded twin. */
    private double[] fineTuneEpoch(MobileNetV2 model, Optimizer optimizer, DatasetSplit split, Preprocess preprocess, int epoch) {
        int n0 = o.unfreezeFrom();
        Sequential frozen = new Sequential(), tuned = new Sequential();
        for (int i = 0; i < model.features().size(); i++) (i < n0 ? frozen : tuned).add(model.features().get(i));
        Layer frozenFast = frozen.size() == 0 ? null : frozen.fused();
        Layer head = model.classifier();
        model.train(false);                                   // BatchNorm frozen: running statistics stay as loaded
        tuned.setRecording(true);
        head.setRecording(true);
        double lossSum = 0;
        int correct = 0, seen = 0;
        var loading = new BatchLoader.Options(o.batchSize(), true, o.seed(), 2, 2, o.badImages(), b -> {});
        if (o.badImages() == dev.litenet.data.BadImagePolicy.SKIP) loading = loading.skipBadImages(b -> events.accept(new TrainEvent.Skipped(b)));
        long start = System.nanoTime();
        try (BatchLoader loader = new BatchLoader(split.train(), o.augment() ? preprocess.augmented() : preprocess.pipeline(), loading)) {
            for (Batch b : loader.epoch(epoch)) {
                Tensor x = frozenFast == null ? b.images() : Inference.forward(frozenFast, b.images());
                Tensor f = tuned.forward(x);
                Tensor logits = head.forward(Pool.globalAverage(f));
                lossSum += CrossEntropy.loss(logits, b.labels()) * b.size();
                correct += Accuracy.correct(logits, b.labels());
                seen += b.size();
                optimizer.zeroGrad();
                Tensor dPooled = head.backward(CrossEntropy.gradient(logits, b.labels()));
                tuned.backward(Pool.globalAverageBackward(dPooled, f.dim(1), f.dim(2)));
                optimizer.step();
                events.accept(new TrainEvent.Progress("fine-tune epoch " + epoch, seen, split.train().size(), seen / ((System.nanoTime() - start) / 1e9)));
            }
        }
        tuned.setRecording(false);
        head.setRecording(false);
        if (seen == 0) throw new BadInputException(o.data(), "no readable image in the train part; every one was skipped");
        return new double[]{lossSum / Math.max(1, seen), (double) correct / Math.max(1, seen)};
    }

    /** Makes a head trained on (x - mean) / std read raw x: W'[i] = W[i] / std[i], b' = b - Σ W[i]·mean[i] / std[i]. */
    static void foldStandardization(Linear head, float[][] moments) {
        float[] mean = moments[0], std = moments[1];
        for (int i = 0; i < head.in; i++) {
            for (int o = 0; o < head.out; o++) {
                float w = head.weight.data[i * head.out + o] / std[i];
                head.weight.data[i * head.out + o] = w;
                head.bias.data[o] -= w * mean[i];
            }
        }
    }

    static Evaluation evaluateHead(Layer head, Features val, List<String> classes) {
        Tensor logits = head.forward(HeadFit.input(val, null));
        return Evaluation.of(classes, logits, val.labels(), val.files(), List.of());
    }

    /** torch's default Linear init: weight and bias uniform in ±1/√in. */
    static void initLinear(Linear l, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double bound = 1 / Math.sqrt(l.in);
        for (int i = 0; i < l.weight.data.length; i++) l.weight.data[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        for (int i = 0; i < l.bias.data.length; i++) l.bias.data[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
    }

}
