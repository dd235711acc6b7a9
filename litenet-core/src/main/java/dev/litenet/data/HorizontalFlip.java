package dev.litenet.data;

import java.util.random.RandomGenerator;

/** torchvision {@code RandomHorizontalFlip(p)}: mirrors left-right with probability p. in (H,W,3) -> out (H,W,3) */
public record HorizontalFlip(double p) implements Transform {
    public HorizontalFlip {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
    }

    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        if (!(random.nextDouble() < p)) return image;
        int w = image.width();
        float[] in = image.pixels(), out = new float[in.length];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, (y * w + x) * 3, out, (y * w + w - 1 - x) * 3, 3);
            }
        }
        return new FloatImage(image.height(), w, out);
    }
}
