package dev.litenet.cli;

import dev.litenet.LrSchedule;
import dev.litenet.TrainEvent;
import dev.litenet.TransferLearning;
import dev.litenet.data.BadImagePolicy;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of a transfer-learning recipe, shared by {@code train} and {@code cv}; defaults as {@link TransferLearning}'s. */
final class RecipeOptions {
    @Option(names = "--data", required = true, paramLabel = "<DIR>", description = "Folder with train/ and val/ (each with one subfolder per class), or class subfolders.")
    Path data;

    @Option(names = "--weights", required = true, paramLabel = "<NAME|FILE>", description = "Pretrained weights: a known name (e.g. mobilenet_v2_1.0_224_quant; 'litenet compare --list' lists them) or a .tflite/.pth/.safetensors file.")
    String weights;

    @Option(names = "--arch", paramLabel = "<NAME>", completionCandidates = ModelOptions.ArchitectureNames.class,
            description = "Architecture, when the weights do not say it: ${COMPLETION-CANDIDATES}.")
    String arch;

    @Option(names = "--epochs", paramLabel = "<N>", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = TransferLearning.DEFAULT_EPOCHS;

    @Option(names = "--batch-size", paramLabel = "<N>", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = TransferLearning.DEFAULT_BATCH_SIZE;

    @Option(names = "--lr", paramLabel = "<RATE>", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = TransferLearning.DEFAULT_LEARNING_RATE;

    @Option(names = "--schedule", paramLabel = "<NAME>", description = "Learning-rate schedule: constant, cosine (to 0 at the last step) or step (/10 for the last third) (default: ${DEFAULT-VALUE}).")
    LrSchedule schedule = TransferLearning.DEFAULT_SCHEDULE;

    @Option(names = "--weight-decay", paramLabel = "<L2>", description = "L2 weight decay; the head learns on standardized features, where this acts like a logistic regression's L2 penalty (default: ${DEFAULT-VALUE}).")
    double weightDecay = TransferLearning.DEFAULT_WEIGHT_DECAY;

    @Option(names = "--label-smoothing", defaultValue = "0", paramLabel = "<EPS>", description = "Label smoothing of the cross-entropy (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "<FRACTION>", description = "Hold out this share of the TRAINING photos to choose the epoch: stop after --patience epochs without a lower loss there, keep the best epoch; 0 = off (default: ${DEFAULT-VALUE}).")
    double earlyStopping;

    @Option(names = "--patience", paramLabel = "<N>", description = "Epochs without improvement before early stopping (default: ${DEFAULT-VALUE}).")
    int patience = TransferLearning.DEFAULT_PATIENCE;

    @Option(names = "--mirror", negatable = true, fallbackValue = "true", description = "Frozen backbone (--no-mirror to turn off): also train on each photo's left-right mirror, and score a photo on the mean of it and its mirror (test-time flip, stored with the run) (default: ${DEFAULT-VALUE}).")
    boolean mirror = TransferLearning.DEFAULT_MIRRORED;

    @Option(names = "--optimizer", paramLabel = "<NAME>", description = "adam or sgd (momentum 0.9) (default: ${DEFAULT-VALUE}).")
    TransferLearning.Optimizer optimizer = TransferLearning.DEFAULT_OPTIMIZER;

    @Option(names = "--unfreeze-from", defaultValue = "-1", paramLabel = "<UNIT>", description = "Fine-tune the network's units from UNIT on (MobileNetV2: features.UNIT onward, 0-18; 'litenet summary --arch NAME --units' lists them); default: backbone frozen, features cached.")
    int unfreezeFrom;

    @Option(names = "--augment", description = "Random resized crops and flips for training (features are then recomputed every epoch).")
    boolean augment;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "<N>", description = "Seed for the split, shuffling, augmentation and the head's init (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--on-bad-image", defaultValue = "skip", paramLabel = "<POLICY>", description = "skip (report and leave out) or fail (default: ${DEFAULT-VALUE}).")
    BadImagePolicy onBadImage;

    @Option(names = "--input-size", paramLabel = "<PIXELS>", description = "Square input size of the backbone, 32 to 1024, or 0 for the weights' own (224) (default: ${DEFAULT-VALUE}).")
    int inputSize = TransferLearning.DEFAULT_INPUT_SIZE;

    @Option(names = "--crop-fraction", defaultValue = "0", paramLabel = "<FRACTION>", description = "Central share of each photo the backbone sees, in (0, 1]; 0 = the weights' own (0.875 for the TFLite files) (default: ${DEFAULT-VALUE}).")
    double cropFraction;

    @Option(names = "--cache", paramLabel = "<DIR>", description = "Feature cache folder (default: $LITENET_CACHE/features or ~/.cache/litenet/features).")
    Path cache;

    /** The recipe these options describe; options out of range are refused by their names first. */
    TransferLearning recipe() {
        Args.range("--input-size", inputSize, 0, 1024);
        Args.range("--unfreeze-from", unfreezeFrom, -1, 10_000);
        TransferLearning recipe = TransferLearning.from(weights).architecture(arch).data(Args.inputFolder("--data", data)).epochs(epochs)
                .batchSize(batchSize).learningRate(lr).schedule(schedule).weightDecay(weightDecay).labelSmoothing(labelSmoothing)
                .earlyStopping(earlyStopping, patience).mirrored(mirror).optimizer(optimizer).unfreezeFrom(unfreezeFrom)
                .augment(augment).seed(seed).badImages(onBadImage).inputSize(inputSize).cropFraction(cropFraction);
        if (cache != null) recipe.featureCache(Args.outputFolder("--cache", cache));
        return recipe;
    }

    /** What a run tells on stderr: notes, a progress bar, the photos it skipped (names escaped), a line per epoch. */
    java.util.function.Consumer<TrainEvent> printer(java.io.PrintWriter err) { return printer(err, epochs); }

    /** What a run of {@code epochs} epochs tells on stderr, for commands that run the default recipe. */
    static java.util.function.Consumer<TrainEvent> printer(java.io.PrintWriter err, int epochs) {
        ProgressBar bar = new ProgressBar(err, ProgressBar.isTerminal());
        return e -> {
            switch (e) {
                case TrainEvent.Note n -> err.println(n.text());
                case TrainEvent.Progress p -> bar.update(p.what(), p.done(), p.total(), p.imagesPerSecond(), ProgressBar.eta(p));
                case TrainEvent.Skipped s -> err.println("skipped " + Main.shown(s.image().path() + ": " + s.image().reason()));
                case TrainEvent.EpochEnd end -> {
                    var s = end.stats();
                    err.printf("Epoch %d/%d: train acc %.3f loss %.3f | val acc %.3f loss %.3f | %.1f s%n",
                            s.epoch(), epochs, s.trainAcc(), s.trainLoss(), s.valAcc(), s.valLoss(), s.seconds());
                }
            }
            err.flush();
        };
    }

    /** A one-line description of the recipe, for tables. */
    String describe() {
        return String.format("input %s, %s%s, lr %s %s, wd %s, ls %s, %d epochs%s", inputSize == 0 ? "224" : inputSize,
                weights.replaceAll(".*/", ""), mirror ? " + mirror" : "", lr, schedule.name().toLowerCase(java.util.Locale.ROOT), weightDecay,
                labelSmoothing, epochs, earlyStopping > 0 ? ", early stopping " + earlyStopping : "")
                + (cropFraction > 0 ? ", crop " + cropFraction : "");
    }
}
