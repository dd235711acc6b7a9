package dev.litenet.cli;

import dev.litenet.data.IdxDataset;
import dev.litenet.eval.Accuracy;
import dev.litenet.eval.Comparison;
import dev.litenet.eval.ComparisonJson;
import dev.litenet.eval.ComparisonTable;
import dev.litenet.eval.Latency;
import dev.litenet.BadInputException;
import dev.litenet.models.Models;
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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code litenet compare}: why lightweight. Trains the lesson's MNIST nets on an IDX data set and prints, per net,
 * parameters, true multiply-adds, test accuracy, training time and latency; then measures MobileNetV2 at widths
 * 1.0, 0.5 and 0.35 against ResNet-18 at 224x224 (parameters, multiply-adds, latency).
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Small nets vs MobileNetV2 vs ResNet-18: parameters, multiply-adds, accuracy, latency.",
        description = "Bigger models buy little accuracy. Trains the lesson's small nets (dense 784-10, mlp "
                + "784-100-10, cnn1 one conv, cnn2 two convs) with Adam on an MNIST-style IDX folder and prints "
                + "parameters, multiply-adds, test accuracy, training time and inference latency (ms per image at "
                + "batch 1 and batch 64). Then compares MobileNetV2 (width 1.0, 0.5, 0.35) with ResNet-18: "
                + "parameters, multiply-adds and measured latency of the fused eval forward. The lesson trained 5 "
                + "epochs with Adam at lr 0.01 on MNIST; the default here is lr 0.001.%n",
        footer = {"", "Example:", "  litenet compare --data /usr/share/datasets/fashion-mnist --chart accuracy.png"})
public final class CompareCommand implements Callable<Integer> {
    static final int CLASSES = 10, SIDE = 28, MAX_EPOCHS = 1000, MAX_BATCH = 65_536;
    static final int MIN_IMAGE = 16, MAX_IMAGE = 1024;
    static final List<String> IMAGE_MODELS = List.of("mobilenet_v2", "mobilenet_v2_0.5", "mobilenet_v2_0.35", "resnet18");
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
            description = "Also measure MobileNetV2 1.0/0.5/0.35 and ResNet-18 (default: on; --no-image-models skips them).")
    private boolean imageModels;

    @Option(names = "--image-size", defaultValue = "224", paramLabel = "<S>", description = "Input side of the image models (default: ${DEFAULT-VALUE}).")
    private int imageSize;

    @Option(names = "--min-time", defaultValue = "1.0", paramLabel = "<SECONDS>",
            description = "Least time of the timed runs of each latency measurement, after as long a warm-up half (default: ${DEFAULT-VALUE}).")
    private double minTime;

    @Option(names = "--json", description = "Print the results as JSON instead of tables.")
    private boolean json;

    @Option(names = "--chart", paramLabel = "<FILE.png>", description = "Also draw test accuracy against multiply-adds (log scale) to a PNG.")
    private Path chart;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        threads.apply();
        PrintWriter err = spec.commandLine().getErr();
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
        List<Comparison.ImageModel> image = new ArrayList<>();
        if (imageModels) for (String name : IMAGE_MODELS) image.add(measureImageModel(name, err));
        Comparison result = new Comparison(setup, trained, image, imageSize, Parallel.threads());

        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ComparisonJson.write(result) : ComparisonTable.format(result));
        out.flush();
        if (chart != null) {
            AccuracyChart.write(chart, result);
            err.println("chart written to " + chart);
        }
        return Main.OK;
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

    private Comparison.ImageModel measureImageModel(String name, PrintWriter err) {
        err.printf(Locale.ROOT, "measuring %s at %dx%d%n", name, imageSize, imageSize);
        err.flush();
        Layer net = Models.create(name, new Models.Config(1000, 1f, seed));
        ModelStatistics cost = ModelStatistics.of(LayerTrace.collect(net, List.of(1, 3, imageSize, imageSize)));
        Tensor x = Tensor.zeros(1, imageSize, imageSize, 3);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (random.nextDouble() * 2 - 1);
        Latency latency = Latency.measure(net.fused(), x, 5, minTime);
        return new Comparison.ImageModel(name, cost.totalParams(), cost.multAdds(), latency.msPerImage(), latency.runs());
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
        if (data == null && !imageModels) throw bad("nothing to compare: give --data DIR, or leave the image models on");
        if (chart != null && data == null) throw bad("--chart plots test accuracy: it needs --data DIR");
        if (data != null) Args.inputFolder("--data", data);
        if (chart != null) Args.outputFile("--chart", chart);
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
