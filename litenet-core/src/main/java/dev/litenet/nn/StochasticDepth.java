package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stochastic depth (Huang et al. 2016) as torchvision's {@code ops.StochasticDepth(p, mode)}, which EfficientNet
 * puts on the residual branch of each MBConv block: in training each sample ({@link Mode#ROW}) or the whole batch
 * ({@link Mode#BATCH}) is kept with probability 1 − p and then scaled by 1/(1 − p), else zeroed (p = 1 zeroes all,
 * unscaled); in eval mode or at p = 0 it is the identity. The draws come from a seeded {@link SplittableRandom}, so
 * a seed gives the same masks every run. in (N, ...) -> out (N, ...).
 */
public final class StochasticDepth extends Layer {
    /** torchvision's {@code mode}: one draw per sample ("row") or one for the batch ("batch"). */
    public enum Mode { ROW, BATCH }

    private static final float[] IDENTITY = new float[0];
    public final float p;
    public final Mode mode;
    private SplittableRandom random = new SplittableRandom(0);
    private float[] savedScales;                  // per sample; IDENTITY when forward passed x through

    public StochasticDepth(float p, Mode mode) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("drop probability has to be between 0 and 1, but got " + p);
        this.p = p;
        this.mode = mode;
    }

    /** Restarts the draws from this seed. */
    public void setSeed(long seed) { random = new SplittableRandom(seed); }

    /** x (N, ...) -> y (N, ...): sample n times its scale, 0 or 1/(1 − p). */
    @Override public Tensor forward(Tensor x) {
        if (!training || p == 0f) {
            savedScales = recording ? IDENTITY : null;
            return x;
        }
        float survival = 1f - p;
        int N = x.dim(0), per = x.size() / N;
        float[] scales = new float[N];
        if (mode == Mode.BATCH) Arrays.fill(scales, draw(survival));
        else for (int n = 0; n < N; n++) scales[n] = draw(survival);
        Tensor y = Tensor.zeros(x.shape);
        scale(x.data, scales, per, y.data);
        savedScales = recording ? scales : null;
        return y;
    }

    // bernoulli(1 − p), divided by 1 − p
    private float draw(float survival) { return random.nextDouble() < survival ? 1f / survival : 0f; }

    /** dy (N, ...) -> dx (N, ...): the same scale per sample as forward drew. */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedScales);
        float[] scales = savedScales;
        savedScales = null;                      // backward runs once per forward: let the memory go
        if (scales == IDENTITY) return dy;
        Tensor dx = Tensor.zeros(dy.shape);
        scale(dy.data, scales, dy.size() / dy.dim(0), dx.data);
        return dx;
    }

    // out[n, i] = in[n, i]·scales[n], per values per sample
    private static void scale(float[] in, float[] scales, int per, float[] out) {
        for (int n = 0; n < scales.length; n++) {
            if (scales[n] == 0f) continue;                                  // out is zero already
            for (int i = n * per; i < (n + 1) * per; i++) out[i] = in[i] * scales[n];
        }
    }

    /** In eval mode this layer is the identity: the twin is one that stays so. */
    @Override public Layer fused() {
        StochasticDepth twin = new StochasticDepth(p, mode);
        twin.train(false);
        return twin;
    }

    @Override public String toString() { return "StochasticDepth(p=" + p + ", mode=" + mode.name().toLowerCase(Locale.ROOT) + ")"; }
}
