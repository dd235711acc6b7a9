package dev.litenet.train;

import dev.litenet.TrainEvent;

import dev.litenet.data.BatchLoader;
import dev.litenet.eval.Accuracy;
import dev.litenet.data.Batch;
import dev.litenet.data.DatasetSplit;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Preprocess;
import dev.litenet.Evaluation;
import dev.litenet.BadInputException;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.Pretrained;
import dev.litenet.models.RunFolder;
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
 * Transfer learning as the lesson does it: a pretrained network, its head replaced by
 * {@code Linear(embedding, classes)} (MobileNetV2's {@code Linear(1280, classes)}), trained with cross-entropy.
 * With the backbone frozen (the default) the embeddings are computed once and cached, so an epoch is a few
 * milliseconds of head training. With {@code unfreezeFrom = N}, the network's units from the N-th on (and the
 * layers after them) are fine-tuned by backprop; BatchNorm stays in eval mode (running statistics are not
 * updated), unlike the lesson's loop, which lets them drift on small batches.
 */
public final class Trainer {
    /** What a run produced: the trained model, and how it did on the validation photos. */
    public record Result(Model model, Evaluation validation) {}

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
        Model pre = Pretrained.load(o.weights(), o.architecture());
        Preprocess preprocess = o.preprocess(pre.preprocess());
        Network net = pre.network();
        int classes = split.classes().size();
        Linear head = net.replaceHead(classes, o.seed());
        List<Network.Unit> units = net.units();
        net.freeze("");
        if (o.unfreezeFrom() >= 0) {
            if (o.unfreezeFrom() >= units.size()) {
                throw new BadInputException("--unfreeze-from must be below " + units.size() + ", the units of " + net.config().architecture()
                        + " (" + units.getFirst().name() + " ... " + units.getLast().name() + ")");
            }
            for (Network.Unit u : units.subList(o.unfreezeFrom(), units.size())) net.unfreeze(u.name());
            net.unfreeze(net.classifierName());
        }
        net.unfreeze(net.headName());
        Optimizer optimizer = Optimizer.create(o.optimizer(), net.trainableParameters(), o.lr(), o.weightDecay());

        List<TrainEvent.EpochStats> history = new ArrayList<>(checkpoint == null ? List.of() : checkpoint.restore(net, optimizer));
        if (!history.isEmpty()) events.accept(new TrainEvent.Note("resuming after epoch " + history.size()));

        BatchLoader.Options loading = new BatchLoader.Options(o.batchSize(), false, o.seed(), 2, 2, o.badImages(), b -> {});
        Layer backbone = net.fusedEmbedding();                    // the frozen backbone's folded twin, made once
        if (o.unfreezeFrom() < 0 && !o.augment()) {
            // Cached features: the head trains in seconds and writes no checkpoint; an interrupted run trains it again.
            List<FeatureCache> caches = View.caches(o.cacheDir(), pre, preprocess, o.mirrored());
            for (FeatureCache c : caches) if (c != null && c.note() != null) events.accept(new TrainEvent.Note(c.note()));
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
            Model trained = new Model(net, split.classes(), preprocess.withFlipAverage(o.mirrored()), pre.origin(), pre.sha256(), fitted.history());
            Evaluation finalVal = Evaluation.of(split.classes(), head.forward(valInput), val.plain().labels(), val.plain().files(), List.of());
            if (o.out() != null) RunFolder.save(o.out(), trained);
            return new Result(trained, finalVal);
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
            double rate = o.lr() * o.schedule().factor(epoch - 1, o.epochs());
            double[] lossAcc;
            if (o.unfreezeFrom() >= 0) {
                optimizer.setLearningRate(rate);
                lossAcc = fineTuneEpoch(net, optimizer, split, preprocess, epoch);
                val = Features.extract("features val", split.val(), net.fusedEmbedding(), preprocess.pipeline(), loading, null, events);
            } else {
                Features epochTrain = epoch == 1 ? firstAugmented : augmentedFeatures(split, backbone, preprocess, loading, epoch);
                lossAcc = HeadFit.epoch(head, optimizer, epochTrain.standardized(moments), epoch, o.batchSize(), o.seed(), 0, step -> rate);
            }
            Evaluation v = evaluateHead(head, moments == null ? val : standardizedVal, split.classes());
            if (!Double.isFinite(lossAcc[0])) {
                throw new BadInputException(o.data(), "training diverged: the loss of epoch " + epoch + " is " + lossAcc[0]
                        + "; try a smaller learning rate (now " + o.lr() + ")");
            }
            var stats = new TrainEvent.EpochStats(epoch, lossAcc[1], lossAcc[0], v.accuracy(), v.loss(), (System.nanoTime() - start) / 1e9);
            history.add(stats);
            events.accept(new TrainEvent.EpochEnd(stats));
            if (checkpoint != null) checkpoint.save(net, optimizer, history);
        }
        if (moments != null) foldStandardization(head, moments);
        Evaluation finalVal = evaluateHead(head, val, split.classes());
        Model trained = new Model(net, split.classes(), preprocess, pre.origin(), pre.sha256(), history);
        if (o.out() != null) RunFolder.save(o.out(), trained);
        return new Result(trained, finalVal);
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
        public static List<FeatureCache> caches(java.nio.file.Path cacheDir, Model pre, Preprocess preprocess, boolean mirrored) {
            int dim = pre.network().embeddingSize();
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

    /** One epoch of backprop through the units from N on and the classifier; the frozen units before N run as a folded twin. */
    private double[] fineTuneEpoch(Network net, Optimizer optimizer, DatasetSplit split, Preprocess preprocess, int epoch) {
        int n0 = o.unfreezeFrom();
        Sequential tuned = new Sequential();
        net.units().subList(n0, net.units().size()).forEach(u -> tuned.add(u.layer()));
        Layer frozenFast = net.fusedPrefix(n0);
        Layer head = net.classifier();
        net.train(false);                                     // BatchNorm frozen: running statistics stay as loaded
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

    /** torch's default Linear init (weight and bias uniform in ±1/√in), from the run's seed. */
    static void initLinear(Linear l, long seed) {
        dev.litenet.nn.Init.linear(l, new SplittableRandom(seed ^ 0x5DEECE66DL));
    }

}
