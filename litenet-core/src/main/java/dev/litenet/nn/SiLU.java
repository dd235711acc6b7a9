package dev.litenet.nn;

import dev.litenet.tensor.Elementwise;

/**
 * Sigmoid-weighted linear unit (swish), {@code x·sigmoid(x)}, as torch's {@code nn.SiLU} (Elfwing et al. 2017;
 * torchvision's EfficientNet uses it after every conv and inside squeeze-and-excitation). Any shape.
 */
public final class SiLU extends Activation {
    public SiLU() { this(false); }

    /** In place as torch's {@code SiLU(inplace=True)}; backward then keeps a copy of the input. */
    public SiLU(boolean inplace) { super(inplace, true); }

    /**
     * v[from, to) = v / (1 + e^−v), in place, as torch's CPU kernel writes it; within a few ulp of torch (its own
     * exponential, {@link Elementwise#exp}, vectorized).
     */
    public static void apply(float[] v, int from, int to) { Elementwise.silu(v, from, to); }

    /** torch's {@code silu_backward}: dy·σ·(1 + x·(1 − σ)), σ = sigmoid(x). */
    static void gradient(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            float s = 1f / (1f + Elementwise.exp(-x[i]));
            dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
        }
    }

    @Override void activate(float[] v, int from, int to) { apply(v, from, to); }

    @Override void derivative(float[] x, float[] dy, float[] dx, int from, int to) { gradient(x, dy, dx, from, to); }

    @Override public String toString() { return inplace ? "SiLU(inplace=True)" : "SiLU()"; }
}
