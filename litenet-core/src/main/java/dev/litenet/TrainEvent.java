package dev.litenet;

import dev.litenet.data.BadImage;

/** What the training loop reports as it goes; the CLI turns these into progress bars and lines. */
public sealed interface TrainEvent {
    /**
     * A plain message worth showing (e.g. "features cannot be cached with --augment").
     *
     * @param text the message
     */
    record Note(String text) implements TrainEvent {}

    /**
     * Progress of a pass over images.
     *
     * @param what            what is being done, e.g. "features train"
     * @param done            images done so far
     * @param total           images in the pass
     * @param imagesPerSecond the rate so far
     */
    record Progress(String what, int done, int total, double imagesPerSecond) implements TrainEvent {}

    /**
     * A file that was skipped.
     *
     * @param image the file and the reason
     */
    record Skipped(BadImage image) implements TrainEvent {}

    /**
     * A finished epoch.
     *
     * @param stats its figures
     */
    record EpochEnd(EpochStats stats) implements TrainEvent {}

    /**
     * One epoch's figures.
     *
     * @param epoch     the epoch, numbered from 1
     * @param trainAcc  accuracy on the training photos during the epoch
     * @param trainLoss mean cross-entropy on the training photos during the epoch
     * @param valAcc    accuracy on the validation photos after the epoch
     * @param valLoss   mean cross-entropy on the validation photos after the epoch
     * @param seconds   wall time of the epoch
     */
    record EpochStats(int epoch, double trainAcc, double trainLoss, double valAcc, double valLoss, double seconds) {}
}
