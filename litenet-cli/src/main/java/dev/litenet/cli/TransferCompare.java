package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.CrossValidation;
import dev.litenet.TrainEvent;
import dev.litenet.TransferLearning;
import dev.litenet.eval.Comparison;
import dev.litenet.eval.Latency;
import dev.litenet.models.KnownWeights;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.Pretrained;
import dev.litenet.models.WeightsCache;
import dev.litenet.models.WeightsInfo;
import dev.litenet.io.Locations;
import dev.litenet.nn.Linear;
import dev.litenet.summary.ModelStatistics;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The transfer part of {@code litenet compare}: pretrained backbones cross-validated as frozen feature extractors
 * on one photo folder, all on the same folds with {@link TransferLearning}'s default head recipe, each at its own
 * input size (or one given size), with what each backbone costs there: parameters and multiply-adds without its
 * ImageNet head, the embedding its new head reads, and the latency of its fused forward to the pooled features
 * (batch 1, one thread).
 */
final class TransferCompare {
    /** A backbone to cross-validate: known weights and their checked file on this machine. */
    record Backbone(WeightsInfo weights, Path file) {}

    /** What the comparison is asked to do. */
    record Settings(Path data, int folds, long foldSeed, int inputSize, Path cache, long seed, double minSeconds) {}

    private TransferCompare() {}

    /** The head's recipe in a few words: {@link TransferLearning}'s defaults, which the comparison does not change. */
    static String recipe() {
        return String.format(Locale.ROOT, "TransferLearning's defaults: backbone frozen, a new linear head on standardized features, "
                        + "%s, %d epochs, %s schedule, %s lr %s, weight decay %s, batch %d",
                TransferLearning.DEFAULT_MIRRORED ? "mirrored views with test-time flip" : "no mirrored views",
                TransferLearning.DEFAULT_EPOCHS, TransferLearning.DEFAULT_SCHEDULE.name().toLowerCase(Locale.ROOT),
                TransferLearning.DEFAULT_OPTIMIZER == TransferLearning.Optimizer.ADAM ? "Adam" : "SGD",
                TransferLearning.DEFAULT_LEARNING_RATE, TransferLearning.DEFAULT_WEIGHT_DECAY, TransferLearning.DEFAULT_BATCH_SIZE);
    }

    /**
     * The backbones: the named known weights (fetched when absent, as every command does), or without names every
     * known weights file present on this machine (cache or shared weights folder), never downloading. Resolved
     * before any work; an unknown or repeated name is bad input.
     */
    static List<Backbone> resolve(List<String> names, PrintWriter err) {
        if (names == null) {
            WeightsCache cache = WeightsCache.standard(Locations.localWeights());
            List<Backbone> out = new ArrayList<>();
            for (WeightsInfo w : KnownWeights.all()) cache.present(w).ifPresent(f -> out.add(new Backbone(w, f)));
            if (out.isEmpty()) {
                throw new BadInputException("--transfer: no known pretrained weights on this machine (looked in " + cache.dir()
                        + " and " + Locations.shared().resolve("weights") + "); name some with --backbones NAME,... to download them");
            }
            return out;
        }
        if (names.isEmpty()) throw new BadInputException("--backbones needs at least one name");
        List<WeightsInfo> named = new ArrayList<>();
        for (String n : names) {
            WeightsInfo w = KnownWeights.find(n).orElseThrow(() -> new BadInputException(
                    "--backbones: unknown weights '" + n + "'; known: " + KnownWeights.describeNames()));
            if (named.contains(w)) throw new BadInputException("--backbones names " + w.name() + " twice");
            named.add(w);
        }
        return named.stream().map(w -> new Backbone(w, WeightsOption.resolve(w.name(), err))).toList();
    }

    /** One backbone's network and cost at the input size it will run at, before its cross-validation. */
    record Loaded(Backbone backbone, Model model, int inputSize, long params, long multAdds) {}

    /** Reads a backbone and counts its cost without the ImageNet head (or the placeholder head of an embedding extractor). */
    static Loaded load(Backbone b, int inputSize) {
        Model model = Pretrained.load(b.file());
        Network net = model.network();
        int size = inputSize == 0 ? model.preprocess().outputSize() : inputSize;
        ModelStatistics cost = ZooMeasure.cost(net, size);
        Linear head = net.head();
        long headParams = head.weight.numel() + head.bias.numel(), headMultAdds = (long) head.in * head.out;
        return new Loaded(b, model, size, cost.totalParams() - headParams, cost.multAdds() - headMultAdds);
    }

    /** Loads every backbone and orders them by multiply-adds, lightest first (the named ones stay in the order given). */
    static List<Loaded> loadAll(List<Backbone> backbones, int inputSize, boolean sort) {
        List<Loaded> out = new ArrayList<>(backbones.stream().map(b -> load(b, inputSize)).toList());
        if (sort) out.sort(Comparator.comparingLong(Loaded::multAdds));
        return out;
    }

    /** Measures and cross-validates each backbone in turn, telling progress (a line per backbone, a bar per pass) on {@code err}. */
    static Comparison.Transfer run(List<Loaded> backbones, Settings s, PrintWriter err) {
        List<Comparison.Backbone> rows = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < backbones.size(); i++) {
            Loaded l = backbones.get(i);
            err.printf(Locale.ROOT, "backbone %d/%d: %s at %dx%d%s%n", i + 1, backbones.size(), l.backbone().weights().name(),
                    l.inputSize(), l.inputSize(), eta(backbones, i, (System.nanoTime() - start) / 1e9));
            err.flush();
            rows.add(one(l, s, RecipeOptions.printer(err, TransferLearning.DEFAULT_EPOCHS)));   // a bar of its own for each backbone
        }
        return new Comparison.Transfer(s.data().toString(), s.folds(), s.foldSeed(), recipe(), s.inputSize(), rows);
    }

    /**
     * ", ETA 3 min 05 s" once a backbone is done: the time so far spread over the backbones by their multiply-adds
     * per image (the backbone passes dominate; decoding the photos is the same for all and is part of the estimate).
     */
    static String eta(List<Loaded> all, int next, double seconds) {
        if (next == 0) return "";
        double doneWeight = 0, leftWeight = 0;
        for (int i = 0; i < all.size(); i++) {
            double w = 1 + all.get(i).multAdds() / 1e8;     // decoding a photo costs about as much as 100 M multiply-adds
            if (i < next) doneWeight += w;
            else leftWeight += w;
        }
        return ", " + ProgressBar.eta(seconds / doneWeight * leftWeight);
    }

    private static Comparison.Backbone one(Loaded l, Settings s, Consumer<TrainEvent> events) {
        Network net = l.model().network();
        Latency latency = ZooMeasure.latency(net.fusedEmbedding(), ZooMeasure.SINGLE_BATCH, l.inputSize(), ZooMeasure.SINGLE_THREADS,
                s.seed(), s.minSeconds());
        WeightsInfo w = l.backbone().weights();
        TransferLearning recipe = TransferLearning.from(l.backbone().file()).data(s.data()).inputSize(s.inputSize()).listener(events);
        if (s.cache() != null) recipe.featureCache(s.cache());
        CrossValidation.Result r = CrossValidation.of(recipe).folds(s.folds()).seed(s.foldSeed()).run();
        Comparison.CrossValidated cv = new Comparison.CrossValidated(r.photos(), r.accuracy().mean(), r.accuracy().sd(),
                r.logLoss().mean(), r.logLoss().sd(), r.misclassified().size(),
                r.folds().stream().map(CrossValidation.Fold::accuracy).toList(), r.seconds());
        Double top1 = w.metrics().get("acc@1");
        return new Comparison.Backbone(w.name(), w.architecture(), w.widthMult(), l.inputSize(), net.embeddingSize(), l.params(),
                l.multAdds(), latency, cv, top1 == null ? Double.NaN : top1);
    }
}
