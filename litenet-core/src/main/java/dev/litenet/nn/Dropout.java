package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

import java.util.SplittableRandom;

/** Zeroes each value with probability p in training and scales the rest by 1/(1-p); identity in eval. */
public final class Dropout extends Layer {
    public final float p;
    private SplittableRandom random = new SplittableRandom(0);
    private float[] savedMask;

    public Dropout(float p) { this.p = p; }

    public void setSeed(long seed) { random = new SplittableRandom(seed); }

    @Override public Tensor forward(Tensor x) {
        if (!training || p == 0f) {
            savedMask = null;
            return x;
        }
        float keep = 1f - p, scale = 1f / keep;
        float[] mask = new float[x.size()];
        Tensor y = Tensor.zeros(x.shape);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextFloat() < keep ? scale : 0f;
            y.data[i] = x.data[i] * mask[i];
        }
        savedMask = recording ? mask : null;
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        if (savedMask == null) return dy;
        Tensor dx = Tensor.zeros(dy.shape);
        for (int i = 0; i < dx.data.length; i++) dx.data[i] = dy.data[i] * savedMask[i];
        return dx;
    }

    @Override public String toString() { return "Dropout(p=" + p + ", inplace=False)"; }
}
