package dev.litenet.eval;

import java.util.List;

/**
 * What {@code litenet compare} measured: the lesson's small nets trained on an IDX data set (accuracy against
 * cost), the zoo's architectures at one input size (cost and speed), and pretrained backbones cross-validated as
 * frozen feature extractors on the user's photos (accuracy against cost and speed).
 *
 * @param setup     how the small nets were trained and measured; null when no data set was given
 * @param trained   one row per small net, in the order run
 * @param image     one row per architecture of the zoo, in the order run
 * @param imageSize the square input side of the {@code image} rows
 * @param threads   the kernels' threads for the small nets
 * @param transfer  the backbones' cross-validation; null when none was asked for
 */
public record Comparison(Setup setup, List<TrainedModel> trained, List<ImageModel> image, int imageSize, int threads,
                         Transfer transfer) {
    public Comparison {
        trained = List.copyOf(trained);
        image = List.copyOf(image);
    }

    /** A comparison without the transfer part. */
    public Comparison(Setup setup, List<TrainedModel> trained, List<ImageModel> image, int imageSize, int threads) {
        this(setup, trained, image, imageSize, threads, null);
    }

    /**
     * @param data          the IDX folder
     * @param trainImages   images trained on (after any limit)
     * @param trainAvailable images in the training split
     * @param testImages    images in the test split, all evaluated
     */
    public record Setup(String data, int trainImages, int trainAvailable, int testImages, int epochs, int batchSize,
                        double learningRate, long seed) {}

    /**
     * One small net, trained and measured.
     *
     * @param layers           its layers in a few words ({@code 784-100-10})
     * @param multAdds         true multiply-adds per image (convs and linear layers)
     * @param testAccuracy     fraction of the test split right after training
     * @param trainSeconds     wall time of all epochs
     * @param finalLoss        mean training loss of the last epoch
     * @param msPerImageBatch1 fused eval forward of one image
     * @param msPerImageBatch64 fused eval forward of 64 images, divided by 64
     */
    public record TrainedModel(String name, String layers, long params, long multAdds, double testAccuracy,
                               double trainSeconds, double finalLoss, double msPerImageBatch1, double msPerImageBatch64) {}

    /**
     * One architecture of the zoo at {@link #imageSize()} with a 1000-class head and its reference's initialization
     * (its cost and speed do not depend on the weights).
     *
     * @param name         the row's name: the architecture's, with the width multiplier when it is not 1
     *                     ({@code mobilenet_v2_0.5})
     * @param architecture its {@code Architectures} name
     * @param widthMult    its width multiplier (1 for an architecture without one)
     * @param params       parameters
     * @param multAdds     true multiply-adds of one image (convs and linear layers)
     * @param fileBytes    what its float32 {@code model.safetensors} weighs, in bytes
     * @param single       the fused eval forward of one image on one thread
     * @param batched      the fused eval forward of a batch on more threads, per image
     * @param published    a published ImageNet top-1 of known weights of this architecture and width, or null
     */
    public record ImageModel(String name, String architecture, float widthMult, long params, long multAdds, long fileBytes,
                             Latency single, Latency batched, Published published) {}

    /**
     * A published ImageNet-1K top-1 accuracy.
     *
     * @param weights   the known weights it was published for
     * @param top1      top-1 accuracy, percent
     * @param inputSize the input side it was measured at
     */
    public record Published(String weights, double top1, int inputSize) {}

    /**
     * The backbones' frozen-feature cross-validation on one photo folder, all on the same folds with one recipe.
     *
     * @param data      the photo folder ({@code train/} and {@code val/} pooled)
     * @param folds     number of folds
     * @param foldSeed  seed of the fold assignment
     * @param recipe    the head's recipe in a few words
     * @param inputSize the backbones' input side, or 0 when each ran at its own
     * @param backbones one row per backbone, in the order run
     */
    public record Transfer(String data, int folds, long foldSeed, String recipe, int inputSize, List<Backbone> backbones) {
        public Transfer {
            backbones = List.copyOf(backbones);
        }
    }

    /**
     * One pretrained backbone: what it costs at the input size it ran at, and how well its frozen features tell
     * the classes apart under cross-validation.
     *
     * @param weights       the known weights' name
     * @param architecture  its {@code Architectures} name
     * @param widthMult     its width multiplier
     * @param inputSize     the input side its features were computed at
     * @param embeddingSize the length of the features the new head reads
     * @param params        parameters of the backbone (the network without its ImageNet head)
     * @param multAdds      multiply-adds of one image through the backbone
     * @param latency       the fused backbone (pooled features out) on one image
     * @param cv            the cross-validation
     * @param imagenetTop1  the weights' published ImageNet top-1, percent; NaN when none is published
     */
    public record Backbone(String weights, String architecture, float widthMult, int inputSize, int embeddingSize,
                           long params, long multAdds, Latency latency, CrossValidated cv, double imagenetTop1) {}

    /**
     * Mean and sample standard deviation over the folds.
     *
     * @param photos         photos cross-validated
     * @param accuracyMean   mean accuracy over the folds
     * @param accuracySd     its sample standard deviation
     * @param logLossMean    mean cross-entropy over the folds
     * @param logLossSd      its sample standard deviation
     * @param wrong          photos their own fold got wrong
     * @param foldAccuracy   accuracy per fold, in fold order
     * @param seconds        wall time, feature extraction included
     */
    public record CrossValidated(int photos, double accuracyMean, double accuracySd, double logLossMean, double logLossSd,
                                 int wrong, List<Double> foldAccuracy, double seconds) {
        public CrossValidated {
            foldAccuracy = List.copyOf(foldAccuracy);
        }
    }
}
