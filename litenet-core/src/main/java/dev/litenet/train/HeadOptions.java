package dev.litenet.train;

import dev.litenet.LrSchedule;

/**
 * How a linear head is trained on frozen features. {@code mirrored}: each photo also contributes its mirror's
 * features as a training row, and a photo is scored on the mean of both views (test-time flip).
 * {@code holdout} > 0 sets that share of the training photos aside (stratified, seeded) to choose the epoch: training
 * stops after {@code patience} epochs without a lower holdout loss and the best epoch's head is kept.
 */
public record HeadOptions(int epochs, int batchSize, double lr, double weightDecay, String optimizer, LrSchedule schedule,
                          double labelSmoothing, boolean mirrored, double holdout, int patience, long seed) {
    public HeadOptions {
        if (epochs < 1 || batchSize < 1) throw new IllegalArgumentException("epochs and batch size must be >= 1");
        if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new IllegalArgumentException("label smoothing must be in [0, 1)");
        if (!(holdout >= 0 && holdout < 1)) throw new IllegalArgumentException("holdout must be in [0, 1)");
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1");
    }
}
