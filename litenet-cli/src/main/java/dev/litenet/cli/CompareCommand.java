package dev.litenet.cli;

import dev.litenet.data.IdxDataset;
import dev.litenet.eval.Accuracy;
import dev.litenet.eval.Comparison;
import dev.litenet.eval.ComparisonJson;
import dev.litenet.eval.ComparisonTable;
import dev.litenet.eval.Latency;
import dev.litenet.BadInputException;
import dev.litenet.CrossValidation;
import dev.litenet.io.Locations;
import dev.litenet.models.Models;
import dev.litenet.models.WeightsCache;
import dev.litenet.nn.Layer;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;
import dev.litenet.train.ArrayTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code litenet compare}: how small can the network get before accuracy suffers? Trains the lesson's MNIST nets on
 * an IDX data set (parameters, true multiply-adds, test accuracy, training time, latency); measures every
 * architecture of the zoo (and the narrower MobileNet widths) at one input size (parameters, multiply-adds, weights
 * file, latency at batch 1 on one thread and at batch 32 on two); and, with {@code --transfer}, cross-validates every
 * pretrained backbone on this machine as a frozen feature extractor on the user's photos, with a chart of accuracy
 * against latency.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        header = "How small can the network get? Parameters, multiply-adds, latency, accuracy.",
        description = "Bigger models buy little accuracy. With --data, trains the lesson's small nets (dense 784-10, "
                + "mlp 784-100-10, cnn1 one conv, cnn2 two convs) with Adam on an MNIST-style IDX folder: parameters, "
                + "multiply-adds, test accuracy, training time, latency. Then measures every architecture of the zoo "
                + "(and MobileNetV2 at 0.5 and 0.35, MobileNet V1 at 0.75, 0.5 and 0.25) with 1000 classes: parameters, "
                + "multiply-adds, float32 weights file size, latency of the fused eval forward at batch 1 on 1 thread and "
                + "at batch 32 on 2 threads, and the published ImageNet top-1. With --transfer, cross-validates every "
                + "known pretrained backbone on this machine as a frozen feature extractor on a photo folder (the same "
                + "folds for all, the default head recipe, each at its own input size): accuracy and log-loss mean and "
                + "sd, against the backbone's cost and latency.%n",
        footer = {"", "Examples:", "  litenet compare --archs mobilenet_v2,mobilenet_v2_0.35,resnet18",
                "  litenet compare --no-image-models --transfer ../shared/data/cats-dogs --transfer-chart t.png",
                "  litenet compare --data /usr/share/datasets/fashion-mnist --chart accuracy.png"})
public final class CompareCommand implements Callable<Integer> {
    static final int CLASSES = 10, SIDE = 28, MAX_EPOCHS = 1000, MAX_BATCH = 65_536;
    static final int MIN_IMAGE = 16, MAX_IMAGE = 1024;
    static final Map<String, String> SMALL_MODELS = new LinkedHashMap<>();

    static {
        SMALL_MODELS.put("dense", "784-10");
        SMALL_MODELS.put("mlp", "784-100-10");
        SMALL_MODELS.put("cnn1", "conv 9@5x5, 5184-10");
        SMALL_MODELS.put("cnn2", "conv 10@5x5, pool, conv 20@5x5, pool, 320-10");
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "<DIR>",
            description = "IDX folder (train-images-idx3-ubyte[.gz], t10k-...): MNIST or Fashion-MNIST. Without it no small net is trained.")
    private Path data;

    @Option(names = "--models", split = ",", paramLabel = "<NAME>",
            description = "Small nets to train, from dense, mlp, cnn1, cnn2 (default: all four).")
    private List<String> models = new ArrayList<>(SMALL_MODELS.keySet());

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "<E>", description = "Epochs per net (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "<B>", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "<LR>", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "<S>", description = "Seed of initial weights and shuffling (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--train-limit", paramLabel = "<N>",
            description = "Train on the first N training images only (default: all; 60,000 for Fashion-MNIST).")
    private Integer trainLimit;

    @Mixin ThreadsOption threads;

    @Option(names = "--image-models", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure the zoo's architectures (default: on; --no-image-models skips them).")
    private boolean imageModels;

    @Option(names = "--archs", split = ",", paramLabel = "<NAME>",
            description = "Rows of the zoo to measure, in this order (default: all; --list lists them).")
    private List<String> archs;

    @Option(names = "--image-size", defaultValue = "224", paramLabel = "<S>", description = "Input side of the zoo's architectures (default: ${DEFAULT-VALUE}).")
    private int imageSize;

    @Option(names = "--min-time", defaultValue = "1.0", paramLabel = "<SECONDS>",
            description = "Least time of the warm-up and least time of the timed runs of each latency measurement "
                    + "(warm-up: also at least " + Latency.WARMUP_IMAGES + " images; default: ${DEFAULT-VALUE}).")
    private double minTime;

    @Option(names = "--transfer", paramLabel = "<DIR>",
            description = "Photo folder (train/ + val/, pooled, or class folders): cross-validate pretrained backbones on it as frozen feature extractors.")
    private Path transfer;

    @Option(names = "--backbones", split = ",", paramLabel = "<NAME>",
            description = "Known weights to cross-validate (fetched if absent); default: every known weights file on this machine.")
    private List<String> backbones;

    @Option(names = "--transfer-input-size", defaultValue = "0", paramLabel = "<PIXELS>",
            description = "Input side of every backbone, 32 to 1024, or 0 for each one's own (default: ${DEFAULT-VALUE}).")
    private int transferInputSize;

    @Option(names = "--folds", defaultValue = "" + CrossValidation.DEFAULT_FOLDS, paramLabel = "<K>", description = "Folds of the cross-validation, 2 to 100 (default: ${DEFAULT-VALUE}).")
    private int folds;

    @Option(names = "--fold-seed", defaultValue = "0", paramLabel = "<N>", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
    private long foldSeed;

    @Option(names = "--cache", paramLabel = "<DIR>", description = "Feature cache folder (default: $LITENET_CACHE/features or ~/.cache/litenet/features).")
    private Path cache;

    @Option(names = "--json", description = "Print the results as JSON instead of tables.")
    private boolean json;

    @Option(names = "--chart", paramLabel = "<FILE.png>", description = "Also draw the small nets' test accuracy against multiply-adds (log scale) to a PNG.")
    private Path chart;

    @Option(names = "--transfer-chart", paramLabel = "<FILE.png>",
            description = "Also draw the backbones' CV accuracy against their latency (log scale) to a PNG.")
    private Path transferChart;

    @Option(names = "--list", description = "List the zoo's rows and the known weights (whether each is on this machine), and exit.")
    private boolean list;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (list) {
            out.print(KnownList.format(ZooMeasure.rows(), WeightsCache.standard(Locations.localWeights())));
            out.flush();
            return Main.OK;
        }
        checkOptions();
        threads.apply();
        List<ZooMeasure.Row> rows = !imageModels ? List.of() : archs == null ? ZooMeasure.rows() : ZooMeasure.select(archs);
        List<TransferCompare.Loaded> loaded = transfer == null ? List.of()
                : TransferCompare.loadAll(TransferCompare.resolve(backbones, err), transferInputSize, backbones == null);
        Comparison.Setup setup = null;
        List<Comparison.TrainedModel> trained = new ArrayList<>();
        if (data != null) {
            IdxDataset train = checked(IdxDataset.load(data, true), "training"), test = checked(IdxDataset.load(data, false), "test");
            int n = trainLimit == null ? train.size() : Math.min(trainLimit, train.size());
            Tensor images = firstImages(train.images(), n);
            int[] labels = Arrays.copyOf(train.labels(), n);
            setup = new Comparison.Setup(data.toString(), n, train.size(), test.size(), epochs, batchSize, lr, seed);
            for (String name : models) trained.add(trainAndMeasure(name, images, labels, test, err));
        }
        List<Comparison.ImageModel> image = measureZoo(rows, err);
        Comparison.Transfer transferred = transfer == null ? null : TransferCompare.run(loaded,
                new TransferCompare.Settings(transfer, folds, foldSeed, transferInputSize, cache, seed, minTime), err);
        Comparison result = new Comparison(setup, trained, image, imageSize, Parallel.threads(), transferred);

        out.print(json ? ComparisonJson.write(result) : ComparisonTable.format(result));
        out.flush();
        if (chart != null) {
            AccuracyChart.write(chart, result);
            err.println("chart written to " + chart);
        }
        if (transferChart != null) {
            TransferChart.write(transferChart, transferred);
            err.println("transfer chart written to " + transferChart);
        }
        return Main.OK;
    }

    /** The zoo's rows: their cost first (one traced forward each), then their latencies, with a line per row and the time left. */
    private List<Comparison.ImageModel> measureZoo(List<ZooMeasure.Row> rows, PrintWriter err) {
        if (rows.isEmpty()) return List.of();
        err.printf(Locale.ROOT, "counting parameters and multiply-adds of %d architectures at %dx%d%n", rows.size(), imageSize, imageSize);
        err.flush();
        List<ModelStatistics> costs = rows.stream().map(r -> ZooMeasure.cost(ZooMeasure.build(r, seed), imageSize)).toList();
        List<Comparison.ImageModel> image = new ArrayList<>();
        long start = System.nanoTime(), doneMultAdds = 0;
        for (int i = 0; i < rows.size(); i++) {
            ZooMeasure.Row row = rows.get(i);
            String eta = i == 0 ? "" : ", " + ProgressBar.eta(ZooMeasure.secondsLeft(doneMultAdds,
                    costs.subList(i, costs.size()).stream().map(ModelStatistics::multAdds).toList(), i, (System.nanoTime() - start) / 1e9, minTime));
            err.printf(Locale.ROOT, "architecture %d/%d: %s, latency at batch %d on %d thread and batch %d on %d threads%s%n", i + 1, rows.size(),
                    row.name(), ZooMeasure.SINGLE_BATCH, ZooMeasure.SINGLE_THREADS, ZooMeasure.BATCH, ZooMeasure.BATCH_THREADS, eta);
            err.flush();
            image.add(ZooMeasure.measure(row, costs.get(i), imageSize, seed, minTime));
            doneMultAdds += costs.get(i).multAdds();
        }
        return image;
    }

    private Comparison.TrainedModel trainAndMeasure(String name, Tensor images, int[] labels, IdxDataset test, PrintWriter err) {
        Layer net = Models.create(name, new Models.Config(CLASSES, 1f, seed));
        ModelStatistics cost = ModelStatistics.of(LayerTrace.collect(net, List.of(1, 1, SIDE, SIDE)));
        List<ArrayTrainer.EpochDone> history = ArrayTrainer.fit(net, images, labels,
                new ArrayTrainer.Settings(epochs, batchSize, lr, seed), e -> {
                    err.printf(Locale.ROOT, "%s epoch %d/%d: loss %.4f, train acc %.4f (%.1f s)%n",
                            name, e.epoch(), e.epochs(), e.meanLoss(), e.trainAccuracy(), e.seconds());
                    err.flush();
                });
        double accuracy = Accuracy.of(net, test.images(), test.labels(), 256);
        Layer fused = net.fused();
        Latency one = Latency.measure(fused, firstImages(test.images(), 1), 20, minTime);
        Latency batch = Latency.measure(fused, firstImages(test.images(), Math.min(64, test.size())), 5, minTime);
        double seconds = history.stream().mapToDouble(ArrayTrainer.EpochDone::seconds).sum();
        double finalLoss = history.isEmpty() ? Double.NaN : history.getLast().meanLoss();
        return new Comparison.TrainedModel(name, SMALL_MODELS.get(name), cost.totalParams(), cost.multAdds(), accuracy,
                seconds, finalLoss, one.msPerImage(), batch.msPerImage());
    }

    private void checkOptions() {
        if (epochs < 1 || epochs > MAX_EPOCHS) throw bad("--epochs must be 1 to " + MAX_EPOCHS + ", got " + epochs);
        if (batchSize < 1 || batchSize > MAX_BATCH) throw bad("--batch-size must be 1 to " + MAX_BATCH + ", got " + batchSize);
        if (!(lr > 0 && lr < 10)) throw bad("--lr must be above 0 and below 10, got " + lr);
        if (trainLimit != null && trainLimit < 1) throw bad("--train-limit must be at least 1, got " + trainLimit);
        if (imageSize < MIN_IMAGE || imageSize > MAX_IMAGE) throw bad("--image-size must be " + MIN_IMAGE + " to " + MAX_IMAGE + ", got " + imageSize);
        if (!(minTime >= 0 && minTime <= 600)) throw bad("--min-time must be 0 to 600 seconds, got " + minTime);
        if (models.isEmpty()) throw bad("--models needs at least one of " + String.join(", ", SMALL_MODELS.keySet()));
        for (String m : models) {
            if (!SMALL_MODELS.containsKey(m)) throw bad("unknown small net '" + m + "'; known: " + String.join(", ", SMALL_MODELS.keySet()));
        }
        if (models.stream().distinct().count() != models.size()) throw bad("--models lists a net twice");
        if (data == null && !imageModels && transfer == null) {
            throw bad("nothing to compare: give --data DIR or --transfer DIR, or leave the image models on");
        }
        if (chart != null && data == null) throw bad("--chart plots test accuracy: it needs --data DIR");
        if (archs != null && !imageModels) throw bad("--archs chooses rows of the zoo: drop --no-image-models");
        if (archs != null && archs.isEmpty()) throw bad("--archs needs at least one name");
        if (archs != null) ZooMeasure.select(archs);
        if (transfer == null) {
            for (var o : List.of(new Object[]{"--backbones", backbones}, new Object[]{"--transfer-chart", transferChart},
                    new Object[]{"--cache", cache})) {
                if (o[1] != null) throw bad(o[0] + " belongs to the transfer comparison: it needs --transfer DIR");
            }
        }
        if (transferInputSize != 0) Args.range("--transfer-input-size", transferInputSize, 32, 1024);
        Args.range("--folds", folds, 2, 100);
        if (data != null) Args.inputFolder("--data", data);
        if (transfer != null) Args.inputFolder("--transfer", transfer);
        if (cache != null) Args.outputFolder("--cache", cache);
        if (chart != null) Args.outputFile("--chart", chart);
        if (transferChart != null) Args.outputFile("--transfer-chart", transferChart);
        if (chart != null && transferChart != null && chart.toAbsolutePath().normalize().equals(transferChart.toAbsolutePath().normalize())) {
            throw bad("--chart and --transfer-chart name the same file");
        }
    }

    /** The lesson's nets take 28x28 grey images and 10 classes. */
    private IdxDataset checked(IdxDataset set, String split) {
        Tensor x = set.images();
        if (x.dim(1) != SIDE || x.dim(2) != SIDE) {
            throw new BadInputException(data, "the " + split + " images are " + x.dim(1) + "x" + x.dim(2) + "; the lesson's nets need 28x28");
        }
        if (set.size() == 0) throw new BadInputException(data, "the " + split + " split has no images");
        for (int label : set.labels()) {
            if (label >= CLASSES) throw new BadInputException(data, "a " + split + " label is " + label + "; the lesson's nets have 10 classes (0-9)");
        }
        return set;
    }

    /** images (N, ...) -> the first n as (n, ...). */
    static Tensor firstImages(Tensor images, int n) {
        int per = images.size() / images.dim(0);
        int[] shape = images.shape.clone();
        shape[0] = n;
        return new Tensor(Arrays.copyOf(images.data, n * per), shape);
    }

    private static BadInputException bad(String message) { return new BadInputException(message); }
}
