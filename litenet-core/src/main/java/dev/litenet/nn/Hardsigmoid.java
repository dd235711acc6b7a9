package dev.litenet.nn;

/**
 * Hard sigmoid, {@code relu6(x + 3)/6}, as torch's {@code nn.Hardsigmoid} (Howard et al. 2019, "Searching for
 * MobileNetV3"; torchvision's MobileNetV3 squeeze-and-excitation scales by it). Any shape.
 */
public final class Hardsigmoid extends Activation {
    private static final float ONE_SIXTH = 1f / 6f;

    public Hardsigmoid() { this(false); }

    /** In place as torch's {@code Hardsigmoid(inplace=True)}; backward then keeps a copy of the input. */
    public Hardsigmoid(boolean inplace) { super(inplace, true); }

    /** v[from, to) = min(max(v + 3, 0), 6) / 6, in place, rounded as torch's CPU kernel. */
    public static void apply(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = Math.min(Math.max(v[i] + 3f, 0f), 6f) / 6f;
    }

    /** torch's {@code hardsigmoid_backward}: dy/6 strictly between −3 and 3, 0 elsewhere (the kinks included). */
    static void gradient(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = x[i] > -3f && x[i] < 3f ? dy[i] * ONE_SIXTH : 0f;
    }

    @Override void activate(float[] v, int from, int to) { apply(v, from, to); }

    @Override void derivative(float[] x, float[] dy, float[] dx, int from, int to) { gradient(x, dy, dx, from, to); }

    @Override public String toString() { return "Hardsigmoid()"; }
}
