package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/** Watches layers run, like torch forward hooks; a summary collects its rows through one. */
public interface Trace {
    /** Called before a layer runs, with its input. */
    void enter(Layer layer, Tensor input);

    /** Called after a layer ran, with its output. */
    void exit(Layer layer, Tensor output);
}
