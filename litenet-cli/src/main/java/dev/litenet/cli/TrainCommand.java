package dev.litenet.cli;

import dev.litenet.models.Pretrained;

import dev.litenet.data.BadImagePolicy;
import dev.litenet.io.Json;
import dev.litenet.train.RunDir;
import dev.litenet.train.TrainEvent;
import dev.litenet.train.TrainOptions;
import dev.litenet.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code litenet train}: transfer learning from pretrained weights on an image folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Transfer learning: pretrained MobileNetV2, new head, trained on an image folder.",
        description = {"Transfer learning: a pretrained MobileNetV2, frozen, with a new Linear(1280, classes) head,",
                "trained on a folder of class subfolders. Writes model.safetensors, model.json, history.json and",
                "history.png into the run folder."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, description = "Folder with train/ and val/ (each with one subfolder per class), or class subfolders to split.")
    Path data;

    @Option(names = "--weights", required = true, description = "Pretrained weights: a known name (e.g. mobilenet_v2_1.0_224_quant) or a .tflite/.pth/.safetensors file.")
    String weights;

    @Option(names = "--out", required = true, description = "Run folder to write.")
    Path out;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.05", description = "L2 weight decay; the head learns on standardized features, where this acts like a logistic regression's L2 penalty (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--optimizer", defaultValue = "adam", description = "adam or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    Optimizer optimizer;

    @Option(names = "--unfreeze-from", defaultValue = "-1", description = "Fine-tune features.N onward (0-18); default: backbone frozen, features cached.")
    int unfreezeFrom;

    @Option(names = "--augment", description = "Random resized crops and flips for training (features are then recomputed every epoch).")
    boolean augment;

    @Option(names = "--seed", defaultValue = "0", description = "Seed for the split, shuffling, augmentation and the head's init (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-split", defaultValue = "0.2", description = "Validation fraction when DATA has no train/ and val/ (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Mixin ThreadsOption threads;

    @Option(names = "--on-bad-image", defaultValue = "skip", description = "skip (report and leave out) or fail (default: ${DEFAULT-VALUE}).")
    BadImagePolicy onBadImage;

    @Option(names = "--input-size", defaultValue = "0", description = "Square input size (default: the weights' own, 224).")
    int inputSize;

    @Option(names = "--cache", description = "Feature cache folder (default: $LITENET_CACHE/features or ~/.cache/litenet/features).")
    Path cache;

    @Option(names = "--resume", description = "Continue an interrupted run from its last completed epoch.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    enum Optimizer { adam, sgd }

    @Override public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        threads.apply();
        if (epochs < 1 || batchSize < 1 || !(lr > 0) || !(valSplit > 0 && valSplit < 1)) {
            throw new dev.litenet.BadInputException("--epochs and --batch-size must be >= 1, --lr > 0, --val-split in (0, 1)");
        }
        Locations.existingDir(data, "data");
        Path weightsFile = WeightsOption.resolve(weights, err);
        var options = new TrainOptions(data, weightsFile, out, epochs, batchSize, lr, weightDecay, optimizer.name(), unfreezeFrom, augment,
                seed, valSplit, onBadImage, cache != null ? cache : Locations.cache().resolve("features"), inputSize, resume);
        ProgressBar bar = new ProgressBar(err, ProgressBar.isTerminal());
        List<String> skipped = new ArrayList<>();
        long start = System.nanoTime();
        Trainer.Result result = new Trainer(options, e -> {
            switch (e) {
                case TrainEvent.Note n -> err.println(n.text());
                case TrainEvent.Progress p -> bar.update(p.what(), p.done(), p.total(), p.imagesPerSecond(), "");
                case TrainEvent.Skipped s -> {
                    skipped.add(s.image().path() + ": " + s.image().reason());
                    err.println("skipped " + s.image().path() + ": " + s.image().reason());
                }
                case TrainEvent.EpochEnd end -> {
                    var s = end.stats();
                    err.printf("Epoch %d: train acc %.3f loss %.3f | val acc %.3f loss %.3f | %.1f s%n",
                            s.epoch(), s.trainAcc(), s.trainLoss(), s.valAcc(), s.valLoss(), s.seconds());
                }
            }
            err.flush();
        }).run();
        Charts.history(result.history(), out.resolve("history.png"));
        if (!skipped.isEmpty()) RunDir.writeJson(out.resolve("skipped.json"), skipped);
        var v = result.validation();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            var m = new java.util.LinkedHashMap<String, Object>();
            m.put("run", out.toString());
            m.put("val_accuracy", v.accuracy());
            m.put("val_loss", v.loss());
            m.put("val_n", v.n());
            m.put("epochs", RunDir.historyJson(result.history()).get("epochs"));
            m.put("skipped", skipped);
            m.put("seconds", seconds);
            out().println(Json.write(m));
        } else {
            out().printf("val accuracy %.4f (%d/%d), loss %.4f; model written to %s (%.1f s)%n",
                    v.accuracy(), v.correct(), v.n(), v.loss(), out, seconds);
        }
        return Main.OK;
    }

    private PrintWriter out() { return spec.commandLine().getOut(); }
}
