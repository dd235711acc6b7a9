package dev.litenet.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Per-channel {@code (pixel - offset[c]) / scale[c]} on 0..255 pixel values. torchvision's
 * {@code Normalize(mean, std)} on 0..1 values is offset = 255 * mean, scale = 255 * std; MobileNet's
 * {@code (x - 128) / 128} (uint8 input, zero point 128, scale 1/128) is offset 128, scale 128. in (H,W,3) -> out (H,W,3)
 */
public record Normalize(float[] offset, float[] scale) implements Transform {
    /** torchvision's ImageNet statistics. */
    public static final Normalize IMAGENET = meanStd(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalize {
        if (offset.length != 3 || scale.length != 3) throw new IllegalArgumentException("need 3 offsets and 3 scales");
        for (float s : scale) if (!(s > 0) || !Float.isFinite(s)) throw new IllegalArgumentException("scale must be positive and finite: " + Arrays.toString(scale));
        for (float o : offset) if (!Float.isFinite(o)) throw new IllegalArgumentException("offset must be finite: " + Arrays.toString(offset));
        offset = offset.clone();
        scale = scale.clone();
    }

    /** mean and std of 0..1 values, as torchvision writes them. */
    public static Normalize meanStd(float[] mean, float[] std) {
        float[] offset = new float[3], scale = new float[3];
        for (int c = 0; c < 3; c++) {
            offset[c] = 255 * mean[c];
            scale[c] = 255 * std[c];
        }
        return new Normalize(offset, scale);
    }

    /** The same offset and scale for all three channels, in pixel units: {@code pixel(128, 128)}. */
    public static Normalize pixel(float offset, float scale) {
        return new Normalize(new float[] {offset, offset, offset}, new float[] {scale, scale, scale});
    }

    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        float[] in = image.pixels(), out = new float[in.length];
        for (int i = 0; i < in.length; i += 3) {
            for (int c = 0; c < 3; c++) out[i + c] = (in[i + c] - offset[c]) / scale[c];
        }
        return new FloatImage(image.height(), image.width(), out);
    }

    @Override public float[] offset() { return offset.clone(); }

    @Override public float[] scale() { return scale.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(offset, n.offset) && Arrays.equals(scale, n.scale);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(offset) + Arrays.hashCode(scale); }

    @Override public String toString() { return "Normalize[offset=" + Arrays.toString(offset) + ", scale=" + Arrays.toString(scale) + "]"; }
}
