package dev.litenet;

import dev.litenet.data.BadImage;
import dev.litenet.data.BadImagePolicy;
import dev.litenet.io.Locations;
import dev.litenet.models.Architectures;
import dev.litenet.models.RunFolder;
import dev.litenet.train.TrainOptions;
import dev.litenet.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Transfer learning as the lesson does it: pretrained weights of any architecture of the zoo, the backbone frozen,
 * a new {@code Linear(embedding, classes)} head in place of the last layer (MobileNetV2's {@code Linear(1280,
 * classes)}), trained on a folder of labelled photos.
 *
 * <pre>{@code
 * ImageClassifier mine = TransferLearning.from("mobilenet_v2_1.0_224_quant")
 *         .data(Path.of("cats-dogs"))
 *         .epochs(5)
 *         .fit()
 *         .classifier();
 * }</pre>
 *
 * <p>The data folder holds {@code train/} and {@code val/}, each with one subfolder per class, or just the class
 * subfolders, which are then split by {@link #validationSplit} and {@link #seed}. Every option has a default;
 * each setter checks its value and throws {@link BadInputException} for one that makes no sense. With the
 * backbone frozen (the default) the backbone's features of each photo are computed once and kept in a cache
 * folder, so later runs on the same photos take seconds. A builder is not thread-safe; use one per run.
 */
public final class TransferLearning {
    /** The optimizer of the head (and of the fine-tuned blocks). */
    public enum Optimizer {
        /** Adam with decoupled L2 weight decay. */
        ADAM,
        /** SGD with momentum 0.9. */
        SGD
    }

    /** Default passes over the training photos. */
    public static final int DEFAULT_EPOCHS = 10;
    /** Default photos per step. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Default square input of the backbone, chosen by cross-validation (<a href="https://github.com/litenet/litenet/blob/main/docs/ACCURACY.md">docs/ACCURACY.md</a>). */
    public static final int DEFAULT_INPUT_SIZE = 288;
    /** Default epochs without improvement before early stopping. */
    public static final int DEFAULT_PATIENCE = 3;
    /** Default step size. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** Default L2 weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.05;
    /** Default share of the photos held out for validation when the data has no {@code val/}. */
    public static final double DEFAULT_VALIDATION_SPLIT = 0.2;
    /** Default optimizer. */
    public static final Optimizer DEFAULT_OPTIMIZER = Optimizer.ADAM;
    /** Default schedule. */
    public static final LrSchedule DEFAULT_SCHEDULE = LrSchedule.COSINE;
    /** Mirrored views with test-time flip by default (chosen by cross-validation). */
    public static final boolean DEFAULT_MIRRORED = true;

    private final String weights;
    private String architecture;
    private Path data, runFolder, featureCache = Locations.cache().resolve("features");
    private int epochs = DEFAULT_EPOCHS, batchSize = DEFAULT_BATCH_SIZE, unfreezeFrom = -1, inputSize = DEFAULT_INPUT_SIZE;
    private double cropFraction = 0;
    private double learningRate = DEFAULT_LEARNING_RATE, weightDecay = DEFAULT_WEIGHT_DECAY, validationSplit = DEFAULT_VALIDATION_SPLIT;
    private Optimizer optimizer = DEFAULT_OPTIMIZER;
    private LrSchedule schedule = DEFAULT_SCHEDULE;
    private double labelSmoothing, holdout;
    private int patience = DEFAULT_PATIENCE;
    private boolean augment, resume, mirrored = DEFAULT_MIRRORED;
    private long seed;
    private BadImagePolicy badImages = BadImagePolicy.SKIP;
    private Consumer<TrainEvent> listener = e -> {};

    private TransferLearning(String weights) { this.weights = weights; }

    /**
     * Starts from pretrained weights: a known name (see {@link ImageClassifier#pretrained(String)}) or a file.
     *
     * @param weights a known weights name or a path to a weights file
     * @return a builder with the defaults
     */
    public static TransferLearning from(String weights) {
        if (weights == null || weights.isBlank()) throw new BadInputException("weights must name known weights or a file");
        return new TransferLearning(weights);
    }

    /**
     * Starts from a pretrained weights file.
     *
     * @param weightsFile a {@code .tflite}, {@code .pth} or {@code .safetensors} file
     * @return a builder with the defaults
     */
    public static TransferLearning from(Path weightsFile) { return from(weightsFile.toString()); }

    /**
     * The architecture the weights are for, when the file does not say (a {@code .pth} or safetensors file whose
     * keys fit several): a name of {@link Architectures}. Known weights and TFLite files know their own.
     *
     * @param name an architecture's name, e.g. {@code mobilenet_v3_large}, or null for the weights' own
     * @return this builder
     */
    public TransferLearning architecture(String name) {
        this.architecture = name == null ? null : Architectures.get(name).name();
        return this;
    }

    /**
     * The labelled photos: {@code train/} and {@code val/} with class subfolders, or class subfolders alone.
     *
     * @param folder the data folder
     * @return this builder
     */
    public TransferLearning data(Path folder) {
        if (folder == null || folder.toString().isEmpty()) throw new BadInputException("the data folder must be named");
        this.data = folder;
        return this;
    }

    /**
     * Passes over the training photos, at least 1 (default 10; with cached features an epoch of the head takes
     * milliseconds).
     *
     * @param epochs passes over the training photos, at least 1 (default 10)
     * @return this builder
     */
    public TransferLearning epochs(int epochs) {
        this.epochs = atLeast(epochs, 1, 100_000, "epochs");
        return this;
    }

    /**
     * Photos per step, 1 to 4096 (default 32).
     *
     * @param batchSize photos per step, 1 to 4096 (default 32)
     * @return this builder
     */
    public TransferLearning batchSize(int batchSize) {
        this.batchSize = atLeast(batchSize, 1, 4096, "batch size");
        return this;
    }

    /**
     * The optimizer's step size, finite and above 0 (default 1e-3).
     *
     * @param learningRate the optimizer's step size, finite and above 0 (default 1e-3)
     * @return this builder
     */
    public TransferLearning learningRate(double learningRate) {
        if (!(learningRate > 0 && Double.isFinite(learningRate))) throw new BadInputException("learning rate must be finite and above 0, got " + learningRate);
        this.learningRate = learningRate;
        return this;
    }

    /**
     * Sets the L2 weight decay.
     *
     * @param weightDecay L2 weight decay, finite and at least 0 (default 0.05; the head learns on standardized
     *                    features, where this acts like a logistic regression's L2 penalty)
     * @return this builder
     */
    public TransferLearning weightDecay(double weightDecay) {
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) throw new BadInputException("weight decay must be finite and at least 0, got " + weightDecay);
        this.weightDecay = weightDecay;
        return this;
    }

    /**
     * How the learning rate changes over the steps.
     *
     * @param schedule {@link LrSchedule#CONSTANT}, {@link LrSchedule#COSINE} (default) or {@link LrSchedule#STEP}
     * @return this builder
     */
    public TransferLearning schedule(LrSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        return this;
    }

    /**
     * Label smoothing of the cross-entropy, as torch's {@code label_smoothing}.
     *
     * @param epsilon 0 to below 1 (default 0)
     * @return this builder
     */
    public TransferLearning labelSmoothing(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 1)) throw new BadInputException("label smoothing must be at least 0 and below 1, got " + epsilon);
        this.labelSmoothing = epsilon;
        return this;
    }

    /**
     * Early stopping with best-epoch restore, chosen on the training photos only: {@code fraction} of them
     * (stratified, seeded) is set aside, training stops after {@code patience} epochs without a lower loss on them,
     * and the head of the best epoch is kept. The validation photos never choose the epoch.
     *
     * @param fraction share of the training photos held out, above 0 and at most 0.5; 0 turns early stopping off (default)
     * @param patience epochs without improvement before stopping, at least 1 (default 3)
     * @return this builder
     */
    public TransferLearning earlyStopping(double fraction, int patience) {
        if (!(fraction == 0 || (fraction > 0 && fraction <= 0.5))) throw new BadInputException("early-stopping holdout must be 0 (off) or in (0, 0.5], got " + fraction);
        this.holdout = fraction;
        this.patience = atLeast(patience, 1, 100_000, "patience");
        return this;
    }

    /**
     * Mirrored views with a frozen backbone: each training photo also contributes the features of its left-right
     * mirror, and the classifier scores a photo on the mean of both views (test-time flip, stored with the run so
     * predict, eval and serve apply it). Costs a second backbone pass per photo.
     *
     * @param mirrored on (default; chosen by cross-validation, see <a href="https://github.com/litenet/litenet/blob/main/docs/ACCURACY.md">docs/ACCURACY.md</a>) or off
     * @return this builder
     */
    public TransferLearning mirrored(boolean mirrored) {
        this.mirrored = mirrored;
        return this;
    }

    /**
     * {@link Optimizer#ADAM} (default) or {@link Optimizer#SGD}.
     *
     * @param optimizer {@link Optimizer#ADAM} (default) or {@link Optimizer#SGD}
     * @return this builder
     */
    public TransferLearning optimizer(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        return this;
    }

    /**
     * Fine-tunes the network's units from the N-th on by backprop instead of training the head alone: MobileNetV2's
     * {@code features.N} onward (0–18), ResNet's {@code conv1, bn1, relu, maxpool, layer1.0, ...} by position
     * ({@code litenet summary --arch NAME --units} lists them). BatchNorm stays in eval mode: its running statistics
     * are not updated.
     *
     * @param unit the first trained unit, or -1 for a frozen backbone (default)
     * @return this builder
     */
    public TransferLearning unfreezeFrom(int unit) {
        this.unfreezeFrom = atLeast(unit, -1, 10_000, "unfreeze-from unit");
        return this;
    }

    /**
     * Random resized crops and flips while training (features are then not cached).
     *
     * @param augment random resized crops and flips while training (features are then not cached)
     * @return this builder
     */
    public TransferLearning augment(boolean augment) {
        this.augment = augment;
        return this;
    }

    /**
     * Seed of the split, the shuffling, the augmentation and the head's init (default 0).
     *
     * @param seed seed of the split, the shuffling, the augmentation and the head's init (default 0)
     * @return this builder
     */
    public TransferLearning seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Share of the photos held out for validation when the data has no {@code val/} (default 0.2).
     *
     * @param fraction share of the photos held out for validation when the data has no {@code val/} (default 0.2)
     * @return this builder
     */
    public TransferLearning validationSplit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) throw new BadInputException("validation split must be between 0 and 1, got " + fraction);
        this.validationSplit = fraction;
        return this;
    }

    /**
     * Skip unreadable photos and report them (default), or fail on the first.
     *
     * @param policy skip unreadable photos and report them (default), or fail on the first
     * @return this builder
     */
    public TransferLearning badImages(BadImagePolicy policy) {
        this.badImages = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Square input size of the backbone, 32 to 1024, or 0 for the weights' own (224). The default, 288, was chosen by
     * cross-validation: the frozen backbone's features of larger inputs tell cats from dogs better (<a href="https://github.com/litenet/litenet/blob/main/docs/ACCURACY.md">docs/ACCURACY.md</a>).
     *
     * @param size square input size of the backbone, 32 to 1024, or 0 for the weights' own (default 288)
     * @return this builder
     */
    public TransferLearning inputSize(int size) {
        if (size != 0) atLeast(size, 32, 1024, "input size");
        this.inputSize = size;
        return this;
    }

    /**
     * The central share of each photo the backbone sees (TF-slim's {@code central_crop}).
     *
     * @param fraction central share of the photo the backbone sees, in (0, 1], or 0 for the weights' own (default;
     *                 0.875 for Google's TFLite files)
     * @return this builder
     */
    public TransferLearning cropFraction(double fraction) {
        if (!(fraction == 0 || (fraction > 0 && fraction <= 1))) throw new BadInputException("crop fraction must be 0 (the weights' own) or in (0, 1], got " + fraction);
        this.cropFraction = fraction;
        return this;
    }

    /**
     * Where backbone features are cached, or null for no cache (default {@code ~/.cache/litenet/features}).
     *
     * @param folder where backbone features are cached, or null for no cache (default {@code ~/.cache/litenet/features})
     * @return this builder
     */
    public TransferLearning featureCache(Path folder) {
        this.featureCache = folder;
        return this;
    }

    /**
     * Writes the run to a folder as it trains: a checkpoint after every epoch, and at the end the classifier,
     * {@code history.json} and {@code history.png}, as {@link ImageClassifier#save} does, and
     * {@code skipped.json} listing unreadable photos.
     *
     * @param folder the run folder
     * @return this builder
     */
    public TransferLearning runFolder(Path folder) {
        if (folder == null || folder.toString().isEmpty()) throw new BadInputException("the run folder must be named");
        this.runFolder = folder;
        return this;
    }

    /**
     * Continue from the last completed epoch in the {@link #runFolder}.
     *
     * @param resume continue from the last completed epoch in the {@link #runFolder}
     * @return this builder
     */
    public TransferLearning resume(boolean resume) {
        this.resume = resume;
        return this;
    }

    /**
     * Told of progress, notes, skipped photos and finished epochs.
     *
     * @param listener told of progress, notes, skipped photos and finished epochs
     * @return this builder
     */
    public TransferLearning listener(Consumer<TrainEvent> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Trains, and returns the classifier with how it did on the validation photos and which photos were skipped: the
     * one way to finish this builder ({@code fit().classifier()} for the classifier alone). An interrupt of the
     * training thread ({@code Future.cancel(true)}, an executor's {@code shutdownNow()}) stops it within a batch: it
     * throws {@link CancellationException} with the thread's interrupt flag still set, and the run folder holds what
     * it held before, or the checkpoint of the last finished epoch when fine-tuning (which {@link #resume} continues
     * from); the model is only written at the end.
     *
     * @return the result of the run
     * @throws BadInputException     if the data or the weights are unusable
     * @throws CancellationException if the thread was interrupted
     */
    public Training fit() {
        if (data == null) throw new BadInputException("no data folder: call data(folder) first");
        if (!Files.isDirectory(data)) throw new BadInputException(data, "data folder not found");
        if (resume && runFolder == null) throw new BadInputException("resume needs a run folder");
        if (runFolder != null && runFolder.toAbsolutePath().normalize().startsWith(data.toAbsolutePath().normalize())) {
            throw new BadInputException(runFolder, "the run folder is inside the data folder " + data
                    + " (its history.png would be read as a picture); choose a folder outside it");
        }
        if (runFolder != null && Files.exists(runFolder) && !Files.isDirectory(runFolder)) {
            throw new BadInputException(runFolder, "exists and is not a folder");
        }
        Path weightsFile = ImageClassifier.weightsFile(weights);
        List<BadImage> skipped = new ArrayList<>();
        TrainOptions options = options(weightsFile, runFolder, resume);
        Trainer.Result r;
        try {
            r = new Trainer(options, e -> {
                stopIfInterrupted();
                if (e instanceof TrainEvent.Skipped s) skipped.add(s.image());
                listener.accept(e);
            }).run();
        } catch (IOException e) {
            throw new UncheckedIOException("training failed to write: " + e.getMessage(), e);
        }
        ImageClassifier classifier = new ImageClassifier(r.model());
        if (runFolder != null && !skipped.isEmpty()) {
            try {
                RunFolder.saveSkipped(runFolder, skipped.stream().map(b -> b.path() + ": " + b.reason()).toList());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + runFolder.resolve(RunFolder.SKIPPED) + ": " + e.getMessage(), e);
            }
        }
        return new Training(classifier, r.validation(), List.copyOf(skipped));
    }

    /**
     * What a run produced.
     *
     * @param classifier the trained classifier ({@link ImageClassifier#history()} holds the epochs)
     * @param validation how the final classifier did on the validation photos
     * @param skipped    photos that could not be read, with the reason
     */
    public record Training(ImageClassifier classifier, Evaluation validation, List<BadImage> skipped) {}

    /** Checked at every training event (each batch of photos, each epoch): an interrupted thread stops there. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("training interrupted");
    }

    /** The options of this recipe, for {@link #fit} and {@link CrossValidation} (no run folder there). */
    TrainOptions options(Path weightsFile, Path runFolder, boolean resume) {
        return new TrainOptions(data, weightsFile, runFolder, epochs, batchSize, learningRate, weightDecay,
                optimizer.name().toLowerCase(java.util.Locale.ROOT), unfreezeFrom, augment, seed, validationSplit, badImages,
                featureCache, inputSize, resume, schedule, labelSmoothing, mirrored, holdout, patience, cropFraction, architecture);
    }

    String weights() { return weights; }

    Path data() { return data; }

    Consumer<TrainEvent> listener() { return listener; }

    private static int atLeast(int v, int min, int max, String what) {
        if (v < min || v > max) throw new BadInputException(what + " must be between " + min + " and " + max + ", got " + v);
        return v;
    }
}
