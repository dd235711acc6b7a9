package dev.litenet.nn;

/**
 * Hard swish, {@code x·relu6(x + 3)/6}, as torch's {@code nn.Hardswish} (Howard et al. 2019, "Searching for
 * MobileNetV3"; torchvision's MobileNetV3 uses it in its later blocks, stem, last conv and classifier). Any shape.
 */
public final class Hardswish extends Activation {
    public Hardswish() { this(false); }

    /** In place as torch's {@code Hardswish(inplace=True)}; backward then keeps a copy of the input. */
    public Hardswish(boolean inplace) { super(inplace, true); }

    /**
     * v[from, to) = v·min(max(v + 3, 0), 6) / 6, in place, rounded as torch's CPU kernel (the product, then the
     * division). For fused inference code: a conv's output gets the activation in one pass.
     */
    public static void apply(float[] v, int from, int to) {
        for (int i = from; i < to; i++) v[i] = v[i] * Math.min(Math.max(v[i] + 3f, 0f), 6f) / 6f;
    }

    /** torch's {@code hardswish_backward}: 0 below −3, x/3 + 1/2 on [−3, 3] (kinks included), 1 above. */
    static void gradient(float[] x, float[] dy, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) dx[i] = x[i] < -3f ? 0f : x[i] <= 3f ? dy[i] * (x[i] / 3f + 0.5f) : dy[i];
    }

    @Override void activate(float[] v, int from, int to) { apply(v, from, to); }

    @Override void derivative(float[] x, float[] dy, float[] dx, int from, int to) { gradient(x, dy, dx, from, to); }

    @Override public String toString() { return "Hardswish()"; }
}
