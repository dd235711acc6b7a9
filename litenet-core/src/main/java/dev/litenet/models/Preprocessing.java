package dev.litenet.models;

import java.util.Arrays;

/**
 * How an image must be prepared before a set of weights sees it. The steps, in order:
 * <ol>
 *   <li>{@link Crop#RESIZE_THEN_CENTER_CROP} (torchvision): resize the shorter side to {@code resize} (aspect kept),
 *       then cut the central {@code crop x crop}; {@code cropFraction = crop / resize} of the shorter side survives.
 *   <li>{@link Crop#CENTRAL_FRACTION_THEN_RESIZE} (TF-slim {@code central_crop}): keep the central
 *       {@code cropFraction} of height and of width, then resize that to {@code resize x resize}; {@code crop == resize}.
 * </ol>
 * Resizing is bilinear. Then pixels go to [0,1] ({@code p / 255}) and each channel (RGB) becomes
 * {@code (x - mean[c]) / std[c]}. TFLite's {@code (p - 128) / 128} is mean = std = 128/255 in this form.
 */
public record Preprocessing(Crop order, int resize, int crop, double cropFraction, float[] mean, float[] std) {

    /** Which comes first: the resize or the crop. */
    public enum Crop { RESIZE_THEN_CENTER_CROP, CENTRAL_FRACTION_THEN_RESIZE }

    /** torchvision's ImageNet mean and std of RGB on [0,1] pixels. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public Preprocessing {
        if (resize <= 0 || crop <= 0 || crop > resize) throw new IllegalArgumentException("need 0 < crop <= resize, got crop " + crop + ", resize " + resize);
        if (!(cropFraction > 0 && cropFraction <= 1)) throw new IllegalArgumentException("crop fraction must be in (0,1], got " + cropFraction);
        if (mean.length != 3 || std.length != 3) throw new IllegalArgumentException("mean and std need 3 channels (RGB)");
        mean = mean.clone();
        std = std.clone();
    }

    /** torchvision's {@code ImageClassification(crop_size, resize_size)} with the ImageNet mean and std. */
    public static Preprocessing torchvision(int resize, int crop) {
        return new Preprocessing(Crop.RESIZE_THEN_CENTER_CROP, resize, crop, (double) crop / resize, IMAGENET_MEAN, IMAGENET_STD);
    }

    /**
     * TF-slim's eval preprocessing: central {@code fraction} crop, resize to {@code size x size}, then
     * {@code (p - zeroPoint) / scale} on 0..255 pixels, the input quantization of a uint8 TFLite model.
     */
    public static Preprocessing tfCentralCrop(double fraction, int size, double zeroPoint, double scale) {
        float m = (float) (zeroPoint / 255), s = (float) (scale / 255);
        return new Preprocessing(Crop.CENTRAL_FRACTION_THEN_RESIZE, size, size, fraction, new float[] {m, m, m}, new float[] {s, s, s});
    }

    @Override public float[] mean() { return mean.clone(); }

    @Override public float[] std() { return std.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof Preprocessing p && p.order == order && p.resize == resize && p.crop == crop
                && p.cropFraction == cropFraction && Arrays.equals(p.mean, mean) && Arrays.equals(p.std, std);
    }

    @Override public int hashCode() {
        return 31 * (31 * (31 * order.hashCode() + resize) + crop) + 7 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override public String toString() {
        String steps = order == Crop.RESIZE_THEN_CENTER_CROP
                ? "resize shorter side to " + resize + ", center crop " + crop
                : "central crop " + cropFraction + ", resize to " + resize + "x" + resize;
        return steps + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }
}
