package dev.litenet.data;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code RandomResizedCrop(size, scale, ratio)}: a random window covering a random fraction
 * {@code scale} of the area with a random aspect ratio (width / height, drawn log-uniformly from {@code ratio}),
 * resized to size x size with {@link Resize}. After 10 failed draws it falls back to the central crop with the ratio
 * clamped into range, as torchvision does.
 */
public record RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio) implements Transform {
    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        if (size <= 0) throw new IllegalArgumentException("crop size must be positive: " + size);
        if (!(0 < minScale && minScale <= maxScale && maxScale <= 1)) throw new IllegalArgumentException("need 0 < minScale <= maxScale <= 1");
        if (!(0 < minRatio && minRatio <= maxRatio)) throw new IllegalArgumentException("need 0 < minRatio <= maxRatio");
    }

    /** The torchvision defaults: scale (0.08, 1), ratio (3/4, 4/3). */
    public static RandomResizedCrop of(int size) { return new RandomResizedCrop(size, 0.08, 1.0, 3.0 / 4, 4.0 / 3); }

    /** A window of an image: rows top..top+height-1, columns left..left+width-1. */
    public record Box(int top, int left, int height, int width) {}

    /** in (H,W,3) -> out (size,size,3) */
    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        Box box = sample(image.height(), image.width(), random);
        return Resize.resize(image.crop(box.top, box.left, box.height, box.width), size, size);
    }

    /** torchvision {@code RandomResizedCrop.get_params}: the window to crop from a height x width image. */
    public Box sample(int height, int width, RandomGenerator random) {
        double area = (double) height * width;
        double logMin = Math.log(minRatio), logMax = Math.log(maxRatio);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * uniform(random, minScale, maxScale);
            double ratio = Math.exp(uniform(random, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(target * ratio));
            int h = (int) Math.rint(Math.sqrt(target / ratio));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return new Box(top, left, h, w);
            }
        }
        double inRatio = (double) width / height;
        int w = width, h = height;
        if (inRatio < minRatio) h = (int) Math.rint(w / minRatio);
        else if (inRatio > maxRatio) w = (int) Math.rint(h * maxRatio);
        return new Box((height - h) / 2, (width - w) / 2, h, w);
    }

    private static double uniform(RandomGenerator random, double min, double max) {
        return min == max ? min : random.nextDouble(min, max);
    }
}
