package dev.litenet;

import dev.litenet.data.BadImage;

/** What the training loop reports as it goes; the CLI turns these into progress bars and lines. */
public sealed interface TrainEvent {
    /** A plain message worth showing (e.g. "features cannot be cached with --augment"). */
    record Note(String text) implements TrainEvent {}

    /** Progress of a pass over images: {@code what} is e.g. "features train", done of total images. */
    record Progress(String what, int done, int total, double imagesPerSecond) implements TrainEvent {}

    /** A file that was skipped, with the reason. */
    record Skipped(BadImage image) implements TrainEvent {}

    /** A finished epoch (numbered from 1). */
    record EpochEnd(EpochStats stats) implements TrainEvent {}

    /** One epoch's figures: accuracy and mean cross-entropy on train and val, wall seconds. */
    record EpochStats(int epoch, double trainAcc, double trainLoss, double valAcc, double valLoss, double seconds) {}
}
