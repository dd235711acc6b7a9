package dev.litenet.train;

import dev.litenet.LrSchedule;

import dev.litenet.data.BadImagePolicy;

import java.nio.file.Path;

/**
 * Everything a training run is given ({@link dev.litenet.TransferLearning} builds it). {@code unfreezeFrom} < 0
 * keeps the whole backbone frozen (its features are cached in {@code cacheDir}, null for none); N fine-tunes the
 * network's units from the N-th on ({@code features.N} onward for MobileNetV2) with BatchNorm kept in eval mode.
 * {@code architecture} names the network the weights are for, or is null to take the weights' own. {@code out}, when not null, is the run folder: a
 * checkpoint after every epoch, the classifier at the end.
 */
public record TrainOptions(Path data, Path weights, Path out, int epochs, int batchSize, double lr, double weightDecay, String optimizer,
                           int unfreezeFrom, boolean augment, long seed, double valSplit, BadImagePolicy badImages,
                           Path cacheDir, int inputSize, boolean resume, LrSchedule schedule, double labelSmoothing,
                           boolean mirrored, double holdout, int patience, double cropFraction, String architecture) {
    /** Constant learning rate, no label smoothing, no mirrors, no early stopping. */
    public TrainOptions(Path data, Path weights, Path out, int epochs, int batchSize, double lr, double weightDecay, String optimizer,
                        int unfreezeFrom, boolean augment, long seed, double valSplit, BadImagePolicy badImages,
                        Path cacheDir, int inputSize, boolean resume) {
        this(data, weights, out, epochs, batchSize, lr, weightDecay, optimizer, unfreezeFrom, augment, seed, valSplit, badImages,
                cacheDir, inputSize, resume, LrSchedule.CONSTANT, 0, false, 0, 1, 0, null);
    }

    /** The weights' preprocessing at this run's input size and crop fraction. */
    public dev.litenet.data.Preprocess preprocess(dev.litenet.data.Preprocess weights) {
        var p = inputSize > 0 ? weights.resizedTo(inputSize) : weights;
        return cropFraction > 0 ? p.withCentralFraction(cropFraction) : p;
    }

    /** How the head is trained on cached features. */
    public HeadOptions head() {
        return new HeadOptions(epochs, batchSize, lr, weightDecay, optimizer, schedule, labelSmoothing, mirrored, holdout, patience, seed);
    }

    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0");
    }
}
