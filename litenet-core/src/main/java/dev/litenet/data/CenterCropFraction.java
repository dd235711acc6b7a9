package dev.litenet.data;

import java.util.random.RandomGenerator;

/**
 * TensorFlow {@code tf.image.central_crop(image, fraction)}: keeps the central fraction of each side.
 * start = int((H - H * fraction) / 2), size = H - 2 * start, so an 8-pixel side with 0.875 stays 8 pixels.
 */
public record CenterCropFraction(double fraction) implements Transform {
    public CenterCropFraction {
        if (!(fraction > 0 && fraction <= 1)) throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
    }

    /** in (H,W,3) -> out (H - 2*top, W - 2*left, 3) */
    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        int top = start(image.height()), left = start(image.width());
        return image.crop(top, left, image.height() - 2 * top, image.width() - 2 * left);
    }

    /** The same crop of decoded bytes: in (H,W,3) -> out (H - 2*top, W - 2*left, 3) */
    public RgbImage apply(RgbImage image) {
        int top = start(image.height()), left = start(image.width());
        return image.crop(top, left, image.height() - 2 * top, image.width() - 2 * left);
    }

    private int start(int length) { return (int) ((length - length * fraction) / 2); }
}
