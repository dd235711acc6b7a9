package dev.litenet;

/**
 * How the learning rate changes over a run, step by step (torch.optim.lr_scheduler, stepped once per batch when the head trains on cached features, once per epoch when the
 * images are augmented or the backbone is fine-tuned).
 * {@link #factor} multiplies the base rate at step {@code t} of {@code total} steps (t = 0 .. total-1).
 */
public enum LrSchedule {
    /** The base rate throughout. */
    CONSTANT,
    /** Cosine annealing from the base rate towards 0 at the last step ({@code CosineAnnealingLR}, eta_min 0). */
    COSINE,
    /** The base rate, divided by 10 for the last third of the steps ({@code StepLR} with one step, gamma 0.1). */
    STEP;

    /**
     * The multiplier of the base learning rate at a step.
     *
     * @param step  the step about to be taken, from 0
     * @param total all steps of the run, at least 1
     * @return the multiplier of the base learning rate, in (0, 1]
     */
    public double factor(long step, long total) {
        return switch (this) {
            case CONSTANT -> 1;
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * step / Math.max(1, total)));
            case STEP -> 3 * step < 2 * total ? 1 : 0.1;
        };
    }
}
