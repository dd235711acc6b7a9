package dev.litenet.data;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code CenterCrop(size)}: the central size x size window. The offset is
 * {@code round((H - size) / 2)} with Python's round-half-to-even; a window larger than the image is padded with zeros.
 */
public record CenterCrop(int size) implements Transform {
    public CenterCrop {
        if (size <= 0) throw new IllegalArgumentException("crop size must be positive: " + size);
    }

    /** in (H,W,3) -> out (size,size,3) */
    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        return image.crop(offset(image.height()), offset(image.width()), size, size);
    }

    private int offset(int length) {
        if (length < size) return -((size - length) / 2); // torchvision pads (size - length) // 2 before
        return (int) Math.rint((length - size) / 2.0);
    }
}
