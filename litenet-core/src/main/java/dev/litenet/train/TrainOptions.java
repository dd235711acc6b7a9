package dev.litenet.train;

import dev.litenet.data.BadImagePolicy;

import java.nio.file.Path;

/**
 * Everything a training run is given ({@link dev.litenet.TransferLearning} builds it). {@code unfreezeFrom} < 0
 * keeps the whole backbone frozen (its features are cached in {@code cacheDir}, null for none); N fine-tunes
 * {@code features.N} onward with BatchNorm kept in eval mode. {@code out}, when not null, is the run folder: a
 * checkpoint after every epoch, the classifier at the end.
 */
public record TrainOptions(Path data, Path weights, Path out, int epochs, int batchSize, double lr, double weightDecay, String optimizer,
                           int unfreezeFrom, boolean augment, long seed, double valSplit, BadImagePolicy badImages,
                           Path cacheDir, int inputSize, boolean resume) {
    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0");
    }
}
