package dev.litenet.cli;


import dev.litenet.BadInputException;
import dev.litenet.TrainEvent;
import dev.litenet.TransferLearning;
import dev.litenet.data.BadImagePolicy;
import dev.litenet.io.Json;
import dev.litenet.train.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/** {@code litenet train}: transfer learning from pretrained weights on an image folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Transfer learning: pretrained MobileNetV2, new head, trained on an image folder.",
        description = "Transfer learning: a pretrained MobileNetV2, frozen, with a new Linear(1280, classes) head, "
                + "trained on a folder of class subfolders. Writes model.safetensors, model.json, history.json and "
                + "history.png into the run folder.")
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "<DIR>", description = "Folder with train/ and val/ (each with one subfolder per class), or class subfolders to split.")
    Path data;

    @Option(names = "--weights", required = true, paramLabel = "<NAME|FILE>", description = "Pretrained weights: a known name (e.g. mobilenet_v2_1.0_224_quant) or a .tflite/.pth/.safetensors file.")
    String weights;

    @Option(names = "--out", required = true, paramLabel = "<RUN_DIR>", description = "Run folder to write.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the run folder if it already holds a run.")
    boolean overwrite;

    @Option(names = "--epochs", defaultValue = "5", paramLabel = "<N>", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "<N>", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "<RATE>", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "0.05", paramLabel = "<L2>", description = "L2 weight decay; the head learns on standardized features, where this acts like a logistic regression's L2 penalty (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "<NAME>", description = "adam or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    TransferLearning.Optimizer optimizer;

    @Option(names = "--unfreeze-from", defaultValue = "-1", paramLabel = "<BLOCK>", description = "Fine-tune features.BLOCK onward (0-18); default: backbone frozen, features cached.")
    int unfreezeFrom;

    @Option(names = "--augment", description = "Random resized crops and flips for training (features are then recomputed every epoch).")
    boolean augment;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "<N>", description = "Seed for the split, shuffling, augmentation and the head's init (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-split", defaultValue = "0.2", paramLabel = "<FRACTION>", description = "Validation fraction when DATA has no train/ and val/ (default: ${DEFAULT-VALUE}).")
    double valSplit;

    @Mixin ThreadsOption threads;

    @Option(names = "--on-bad-image", defaultValue = "skip", paramLabel = "<POLICY>", description = "skip (report and leave out) or fail (default: ${DEFAULT-VALUE}).")
    BadImagePolicy onBadImage;

    @Option(names = "--input-size", defaultValue = "0", paramLabel = "<PIXELS>", description = "Square input size of the backbone, 32 to 1024 (default: the weights' own, 224).")
    int inputSize;

    @Option(names = "--cache", paramLabel = "<DIR>", description = "Feature cache folder (default: $LITENET_CACHE/features or ~/.cache/litenet/features).")
    Path cache;

    @Option(names = "--resume", description = "Continue an interrupted run from its last completed epoch.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        threads.apply();
        Args.inputFolder("--data", data);
        Args.outputFolder("--out", out);
        Args.range("--input-size", inputSize, 0, 1024);
        Args.range("--unfreeze-from", unfreezeFrom, -1, 18);
        TransferLearning recipe = TransferLearning.from(weights).data(data).epochs(epochs)
                .batchSize(batchSize).learningRate(lr).weightDecay(weightDecay).optimizer(optimizer).unfreezeFrom(unfreezeFrom)
                .augment(augment).seed(seed).validationSplit(valSplit).badImages(onBadImage).inputSize(inputSize)
                .runFolder(out).resume(resume);
        if (cache != null) recipe.featureCache(cache);
        if (!resume && !overwrite && (Files.exists(out.resolve(RunDir.MANIFEST)) || Files.exists(out.resolve(RunDir.META)))) {
            throw new BadInputException(out, "already holds a run or a checkpoint; pass --overwrite to replace it or --resume to continue it");
        }
        WeightsOption.resolve(weights, err);                   // a download shows its progress here
        ProgressBar bar = new ProgressBar(err, ProgressBar.isTerminal());
        long start = System.nanoTime();
        TransferLearning.Training result = recipe.listener(e -> {
            switch (e) {
                case TrainEvent.Note n -> err.println(n.text());
                case TrainEvent.Progress p -> bar.update(p.what(), p.done(), p.total(), p.imagesPerSecond(), "");
                case TrainEvent.Skipped s -> err.println("skipped " + Main.shown(s.image().path() + ": " + s.image().reason()));
                case TrainEvent.EpochEnd end -> {
                    var s = end.stats();
                    err.printf("Epoch %d/%d: train acc %.3f loss %.3f | val acc %.3f loss %.3f | %.1f s%n",
                            s.epoch(), epochs, s.trainAcc(), s.trainLoss(), s.valAcc(), s.valLoss(), s.seconds());
                }
            }
            err.flush();
        }).train();
        var v = result.validation();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("run", out.toString());
            m.put("val_accuracy", v.accuracy());
            m.put("val_loss", v.loss());
            m.put("val_n", v.n());
            m.put("epochs", RunDir.historyJson(result.classifier().history()).get("epochs"));
            m.put("skipped", result.skipped().stream().map(b -> b.path() + ": " + b.reason()).toList());
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
