package dev.litenet.data;

import dev.litenet.io.Budget;

import java.util.random.RandomGenerator;

/**
 * Bilinear resize as PIL's {@code Image.resize(..., BILINEAR)} (which torchvision uses on PIL images): a separable
 * triangle filter whose support widens by the downscale factor, so shrinking averages every source pixel
 * (antialiasing) and enlarging is plain bilinear interpolation with half-pixel centres.
 * <p>Either {@code shorterSide} is set (torchvision {@code Resize(256)}: the shorter side becomes 256, the longer
 * keeps the aspect ratio, truncated) or {@code height} and {@code width} are (an exact size).
 */
public record Resize(int shorterSide, int height, int width) implements Transform {
    public Resize {
        boolean bySide = shorterSide > 0 && height == 0 && width == 0;
        boolean exact = shorterSide == 0 && height > 0 && width > 0;
        if (!bySide && !exact) {
            throw new IllegalArgumentException("set either shorterSide or height and width (all positive): " + shorterSide + ", " + height + "x" + width);
        }
    }

    public static Resize shorterSide(int size) { return new Resize(size, 0, 0); }

    public static Resize to(int height, int width) { return new Resize(0, height, width); }

    /** in (H,W,3) -> out (height,width,3), or the shorter side scaled to {@code shorterSide} */
    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        long h = height, w = width;
        if (shorterSide > 0) {
            // torchvision _compute_resized_output_size: new_long = int(size * long / short)
            if (image.height() <= image.width()) {
                h = shorterSide;
                w = (long) shorterSide * image.width() / image.height();
            } else {
                w = shorterSide;
                h = (long) shorterSide * image.height() / image.width();
            }
        }
        Budget.imagePixels(null, h, w);   // a 1 x 20,000 image would become 256 x 5,120,000
        return resize(image, (int) h, (int) w);
    }

    /** in (H,W,3) -> out (outHeight,outWidth,3): rows first, then columns, as PIL does. */
    public static FloatImage resize(FloatImage image, int outHeight, int outWidth) {
        Budget.imagePixels(null, outHeight, outWidth);
        Budget.imagePixels(null, image.height(), outWidth);
        FloatImage out = image;
        if (outWidth != image.width()) out = resizeRows(out, Filter.of(image.width(), outWidth));
        if (outHeight != image.height()) out = resizeColumns(out, Filter.of(image.height(), outHeight));
        return out;
    }

    // in (H,W,3) -> out (H,filter.out,3)
    private static FloatImage resizeRows(FloatImage in, Filter filter) {
        int h = in.height(), inRow = in.width() * 3, outW = filter.first.length;
        float[] src = in.pixels(), dst = new float[h * outW * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                float r = 0, g = 0, b = 0;
                int s = y * inRow + filter.first[x] * 3;
                for (float k : filter.weights[x]) {
                    r += k * src[s];
                    g += k * src[s + 1];
                    b += k * src[s + 2];
                    s += 3;
                }
                int d = (y * outW + x) * 3;
                dst[d] = r;
                dst[d + 1] = g;
                dst[d + 2] = b;
            }
        }
        return new FloatImage(h, outW, dst);
    }

    // in (H,W,3) -> out (filter.out,W,3)
    private static FloatImage resizeColumns(FloatImage in, Filter filter) {
        int row = in.width() * 3, outH = filter.first.length;
        float[] src = in.pixels(), dst = new float[outH * row];
        for (int y = 0; y < outH; y++) {
            int d = y * row;
            int s = filter.first[y] * row;
            for (float k : filter.weights[y]) {
                for (int i = 0; i < row; i++) dst[d + i] += k * src[s + i];
                s += row;
            }
        }
        return new FloatImage(outH, in.width(), dst);
    }

    /**
     * Per output index: the first source index and the normalised weights of the source pixels it mixes.
     * PIL {@code precompute_coeffs}: centre = (i + 0.5) * scale, support = max(scale, 1), weights from the
     * triangle {@code max(0, 1 - |x|)} at (source - centre + 0.5) / max(scale, 1), cut to the image and summed to 1.
     */
    private record Filter(int[] first, float[][] weights) {
        static Filter of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle's own support is 1
            int[] first = new int[outSize];
            float[][] weights = new float[outSize][];
            for (int i = 0; i < outSize; i++) {
                double centre = (i + 0.5) * scale;
                int min = Math.max(0, (int) (centre - support + 0.5));
                int max = Math.min(inSize, (int) (centre + support + 0.5));
                double[] w = new double[max - min];
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    w[k] = Math.max(0, 1 - Math.abs((min + k - centre + 0.5) / filterScale));
                    sum += w[k];
                }
                first[i] = min;
                weights[i] = new float[w.length];
                for (int k = 0; k < w.length; k++) weights[i][k] = (float) (w[k] / sum);
            }
            return new Filter(first, weights);
        }
    }
}
