package dev.litenet.data;

import dev.litenet.io.Budget;

import java.util.random.RandomGenerator;

/**
 * Resize as PIL's {@code Image.resize(..., BILINEAR or BICUBIC)} (which torchvision uses on PIL images): a
 * separable filter whose support widens by the downscale factor, so shrinking averages every source pixel
 * (antialiasing) and enlarging interpolates with half-pixel centres. Bilinear is the triangle filter; bicubic is
 * PIL's cubic with a = -0.5 (torchvision's EfficientNet weights are evaluated after a bicubic resize), whose
 * overshoot is clipped to the pixel range after each pass, as PIL's 8-bit images are. TF_BILINEAR is TensorFlow 1's
 * {@code tf.image.resize_bilinear} (align_corners and half_pixel_centers false), which TF-slim's eval preprocessing
 * and Google's own tests of their TFLite MobileNets use: each output pixel samples the four source pixels around
 * {@code i * in / out}, without antialiasing.
 * <p>Either {@code shorterSide} is set (torchvision {@code Resize(256)}: the shorter side becomes 256, the longer
 * keeps the aspect ratio, truncated) or {@code height} and {@code width} are (an exact size).
 */
public record Resize(int shorterSide, int height, int width, Interpolation interpolation) implements Transform {
    /** PIL's resampling filters, as torchvision's {@code InterpolationMode} names them. */
    public enum Interpolation {
        BILINEAR(1) {
            @Override double weight(double x) { return Math.max(0, 1 - Math.abs(x)); }
        },
        BICUBIC(2) {
            // PIL Resample.c bicubic_filter, a = -0.5
            @Override double weight(double x) {
                double a = -0.5, t = Math.abs(x);
                if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
                if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
                return 0;
            }
        },
        TF_BILINEAR(1) {
            @Override double weight(double x) { return Math.max(0, 1 - Math.abs(x)); }
        };

        /** Half the filter's width at scale 1. */
        final double support;

        Interpolation(double support) { this.support = support; }

        abstract double weight(double x);
    }

    public Resize {
        boolean bySide = shorterSide > 0 && height == 0 && width == 0;
        boolean exact = shorterSide == 0 && height > 0 && width > 0;
        if (!bySide && !exact) {
            throw new IllegalArgumentException("set either shorterSide or height and width (all positive): " + shorterSide + ", " + height + "x" + width);
        }
        java.util.Objects.requireNonNull(interpolation, "interpolation");
    }

    /** Bilinear. */
    public Resize(int shorterSide, int height, int width) { this(shorterSide, height, width, Interpolation.BILINEAR); }

    public static Resize shorterSide(int size) { return new Resize(size, 0, 0); }

    public static Resize to(int height, int width) { return new Resize(0, height, width); }

    /** As the record would print it, the filter only when it is not the default (feature cache keys are built from this). */
    @Override public String toString() {
        return "Resize[shorterSide=" + shorterSide + ", height=" + height + ", width=" + width + "]"
                + (interpolation == Interpolation.BILINEAR ? "" : " " + interpolation.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The same resize with another filter. */
    public Resize with(Interpolation filter) { return new Resize(shorterSide, height, width, filter); }

    /** in (H,W,3) -> out (height,width,3), or the shorter side scaled to {@code shorterSide} */
    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        long[] size = outputSize(image.height(), image.width());
        return resize(image, (int) size[0], (int) size[1], interpolation);
    }

    /** The same resize of decoded bytes, without holding them as floats first: the same result to the bit. */
    public FloatImage apply(RgbImage image) {
        long[] size = outputSize(image.height(), image.width());
        int outHeight = (int) size[0], outWidth = (int) size[1];
        Budget.imagePixels(null, outHeight, outWidth);
        Budget.imagePixels(null, image.height(), outWidth);
        FloatImage out = outWidth != image.width()
                ? clipped(resizeRows(image, Filter.of(image.width(), outWidth, interpolation)), interpolation)
                : FloatImage.of(image);
        if (outHeight != image.height()) out = clipped(resizeColumns(out, Filter.of(image.height(), outHeight, interpolation)), interpolation);
        return out;
    }

    // {height, width} of the output for an input of this size
    private long[] outputSize(int inHeight, int inWidth) {
        long h = height, w = width;
        if (shorterSide > 0) {
            // torchvision _compute_resized_output_size: new_long = int(size * long / short)
            if (inHeight <= inWidth) {
                h = shorterSide;
                w = (long) shorterSide * inWidth / inHeight;
            } else {
                w = shorterSide;
                h = (long) shorterSide * inHeight / inWidth;
            }
        }
        Budget.imagePixels(null, h, w);   // a 1 x 20,000 image would become 256 x 5,120,000
        return new long[] {h, w};
    }

    /** Bilinear: in (H,W,3) -> out (outHeight,outWidth,3). */
    public static FloatImage resize(FloatImage image, int outHeight, int outWidth) {
        return resize(image, outHeight, outWidth, Interpolation.BILINEAR);
    }

    /** in (H,W,3) -> out (outHeight,outWidth,3): rows first, then columns, as PIL does. */
    public static FloatImage resize(FloatImage image, int outHeight, int outWidth, Interpolation filter) {
        Budget.imagePixels(null, outHeight, outWidth);
        Budget.imagePixels(null, image.height(), outWidth);
        FloatImage out = image;
        if (outWidth != image.width()) out = clipped(resizeRows(out, Filter.of(image.width(), outWidth, filter)), filter);
        if (outHeight != image.height()) out = clipped(resizeColumns(out, Filter.of(image.height(), outHeight, filter)), filter);
        return out;
    }

    /** Bicubic overshoots: PIL clips each pass to the 8-bit range. */
    private static FloatImage clipped(FloatImage image, Interpolation filter) {
        if (filter == Interpolation.BICUBIC) {
            float[] p = image.pixels();
            for (int i = 0; i < p.length; i++) p[i] = Math.min(255f, Math.max(0f, p[i]));
        }
        return image;
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

    // in (H,W,3) bytes -> out (H,filter.out,3): resizeRows of the same values as floats
    private static FloatImage resizeRows(RgbImage in, Filter filter) {
        int h = in.height(), inRow = in.width() * 3, outW = filter.first.length;
        byte[] src = in.rgb();
        float[] dst = new float[h * outW * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                float r = 0, g = 0, b = 0;
                int s = y * inRow + filter.first[x] * 3;
                for (float k : filter.weights[x]) {
                    r += k * (src[s] & 0xFF);
                    g += k * (src[s + 1] & 0xFF);
                    b += k * (src[s + 2] & 0xFF);
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
     * PIL {@code precompute_coeffs}: centre = (i + 0.5) * scale, support = the filter's support * max(scale, 1),
     * weights from the filter at (source - centre + 0.5) / max(scale, 1), cut to the image and summed to 1.
     */
    private record Filter(int[] first, float[][] weights) {
        static Filter of(int inSize, int outSize, Interpolation filter) {
            if (filter == Interpolation.TF_BILINEAR) return tf(inSize, outSize);
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support * filterScale;
            int[] first = new int[outSize];
            float[][] weights = new float[outSize][];
            for (int i = 0; i < outSize; i++) {
                double centre = (i + 0.5) * scale;
                int min = Math.max(0, (int) (centre - support + 0.5));
                int max = Math.min(inSize, (int) (centre + support + 0.5));
                double[] w = new double[max - min];
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    w[k] = filter.weight((min + k - centre + 0.5) / filterScale);
                    sum += w[k];
                }
                first[i] = min;
                weights[i] = new float[w.length];
                for (int k = 0; k < w.length; k++) weights[i][k] = (float) (w[k] / sum);
            }
            return new Filter(first, weights);
        }

        /**
         * TensorFlow's legacy bilinear ({@code resize_bilinear}, kernels/image/resize_bilinear_op.cc): output i reads
         * source position {@code i * in / out}, between its floor and the next pixel (the last one repeated at the edge).
         */
        static Filter tf(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            int[] first = new int[outSize];
            float[][] weights = new float[outSize][];
            for (int i = 0; i < outSize; i++) {
                double at = i * scale;
                int lo = (int) Math.floor(at), hi = Math.min(lo + 1, inSize - 1);
                float frac = (float) (at - lo);
                first[i] = lo;
                weights[i] = hi == lo ? new float[] {1f} : new float[] {1 - frac, frac};
            }
            return new Filter(first, weights);
        }
    }
}
