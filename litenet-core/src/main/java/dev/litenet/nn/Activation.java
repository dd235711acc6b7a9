package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * What the element-wise activations (Hardswish, Hardsigmoid, SiLU, Sigmoid) share: forward in place or into a new
 * tensor as torch's {@code inplace} flag says, in chunks on all threads, and keeping for backward the tensor torch's
 * derivative reads: the input (torch's {@code *_backward(grad, self)}) or the output ({@code sigmoid_backward(grad,
 * result)}). Each subclass holds its formula and its derivative side by side. Any shape.
 */
abstract class Activation extends Layer {
    private static final int CHUNK = 1 << 15;
    final boolean inplace;
    private final boolean derivativeReadsInput;
    private Tensor saved;

    Activation(boolean inplace, boolean derivativeReadsInput) {
        this.inplace = inplace;
        this.derivativeReadsInput = derivativeReadsInput;
    }

    /** v[from, to) = f(v[from, to)), in place, one thread. */
    abstract void activate(float[] v, int from, int to);

    /** dx[i] = dy[i]·f'(…) for i in [from, to), from the saved input or output. */
    abstract void derivative(float[] saved, float[] dy, float[] dx, int from, int to);

    /** x (any shape) -> y, the same tensor when in place. */
    @Override public final Tensor forward(Tensor x) {
        Tensor y = inplace ? x : recording ? Tensor.zeros(x.shape) : Scratch.like(x);
        if (recording && derivativeReadsInput) saved = inplace ? x.copy() : x;
        if (y != x) System.arraycopy(x.data, 0, y.data, 0, x.size());
        float[] v = y.data;
        if (Parallel.serial(v.length, CHUNK)) activate(v, 0, v.length);
        else Parallel.range(v.length, CHUNK, Parallel.call(Activation::activate).objects(this, v, null, null, null));
        if (recording && !derivativeReadsInput) saved = y;
        if (!recording) saved = null;
        return y;
    }

    // activate with the operands of forward's split call
    private static void activate(Parallel.Call c, int from, int to) { ((Activation) c.o0).activate((float[]) c.o1, from, to); }

    /** dy -> dx, the same shape. */
    @Override public final Tensor backward(Tensor dy) {
        requireRecorded(saved);
        float[] s = saved.data, d = dy.data;
        Tensor dx = Tensor.zeros(dy.shape);
        float[] out = dx.data;
        Parallel.range(out.length, CHUNK, (from, to) -> derivative(s, d, out, from, to));
        saved = null;                            // backward runs once per forward: let the memory go
        return dx;
    }
}
