package dev.litenet.train;

import dev.litenet.nn.Parameter;

import java.util.List;

/** Updates trainable parameters from their gradients, as torch.optim does. */
public sealed interface Optimizer permits Sgd, Adam {
    /** One update of every parameter that is trainable and has a gradient. */
    void step();

    List<Parameter> parameters();

    /** The step size from the next step on (learning-rate schedules change it as training goes). */
    void setLearningRate(double lr);

    default void zeroGrad() { parameters().forEach(Parameter::zeroGrad); }

    /** The optimizer's state (moments, step count) as named arrays, for checkpoints. */
    java.util.Map<String, float[]> state();

    void loadState(java.util.Map<String, float[]> state);

    static Optimizer create(String name, List<Parameter> params, double lr, double weightDecay) {
        return switch (name) {
            case "adam" -> new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay);
            case "sgd" -> new Sgd(params, lr, 0.9, weightDecay);
            default -> throw new IllegalArgumentException("unknown optimizer " + name);
        };
    }
}
