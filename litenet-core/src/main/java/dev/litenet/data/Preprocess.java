package dev.litenet.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an image must be prepared before a set of weights sees it, as values, so weights and run folders carry
 * the preprocessing they were trained with. The steps, in order: an optional central fraction crop (1 = none;
 * TF-slim's {@code central_crop}), a bilinear resize (the shorter side, or to a fixed size), an optional centre
 * crop (0 = none; torchvision), and a per-channel normalisation {@code (pixel - offset) / scale} on 0..255 pixels.
 * This is the one description of preprocessing: known weights, TFLite imports and run folders all use it.
 * {@code flipAverage} asks for test-time augmentation: the network sees the prepared image and its mirror, and the
 * two outputs are averaged (a run folder trained that way stores it, so predict, eval and serve all apply it).
 * in decoded (H,W,3) -> out (S,S,3) floats, S = cropSize or the resize target.
 */
public record Preprocess(double centralFraction, Resize resize, int cropSize, Normalize normalize, boolean flipAverage) {
    /** torchvision ImageNet eval: resize shorter side 256, centre crop 224, ImageNet mean and std. */
    public static final Preprocess TORCHVISION_IMAGENET = torchvision(256, 224);

    /** Google's MobileNet eval: central 87.5 %, resize to 224 x 224, {@code (x - 128) / 128}. */
    public static final Preprocess TFLITE_MOBILENET = tfCentralCrop(0.875, 224, 128, 128);

    /** torchvision's {@code ImageClassification(crop_size, resize_size)}: shorter side to {@code resize}, centre crop, ImageNet mean and std. */
    public static Preprocess torchvision(int resize, int crop) {
        return torchvision(resize, crop, Resize.Interpolation.BILINEAR);
    }

    /** {@link #torchvision(int, int)} with another resize filter (EfficientNet's weights: bicubic). */
    public static Preprocess torchvision(int resize, int crop, Resize.Interpolation filter) {
        return new Preprocess(1.0, Resize.shorterSide(resize).with(filter), crop, Normalize.IMAGENET);
    }

    /**
     * TF-slim's eval preprocessing: central {@code fraction} crop, TensorFlow's bilinear resize to {@code size x size},
     * then {@code (p - zeroPoint) / scale} on 0..255 pixels, the input quantization of a uint8 TFLite model.
     */
    public static Preprocess tfCentralCrop(double fraction, int size, double zeroPoint, double scale) {
        return new Preprocess(fraction, Resize.to(size, size).with(Resize.Interpolation.TF_BILINEAR), 0,
                Normalize.pixel((float) zeroPoint, (float) scale));
    }

    /** The steps without test-time flip. */
    public Preprocess(double centralFraction, Resize resize, int cropSize, Normalize normalize) {
        this(centralFraction, resize, cropSize, normalize, false);
    }

    public Preprocess {
        if (!(centralFraction > 0 && centralFraction <= 1)) throw new IllegalArgumentException("central fraction must be in (0, 1]: " + centralFraction);
        if (cropSize < 0) throw new IllegalArgumentException("crop size must be >= 0: " + cropSize);
        int largest = Math.max(cropSize, Math.max(resize.shorterSide(), Math.max(resize.height(), resize.width())));
        if (largest > MAX_SIZE) throw new IllegalArgumentException("resize and crop sizes must be at most " + MAX_SIZE + ": " + largest);
    }

    /** The largest resize or crop side a preprocessing may ask for. */
    public static final int MAX_SIZE = 4096;

    /** The side of the square images this pipeline produces. */
    public int outputSize() {
        if (cropSize > 0) return cropSize;
        if (resize.shorterSide() > 0 || resize.height() != resize.width()) throw new IllegalStateException("output is not a fixed square: " + this);
        return resize.height();
    }

    /** The same steps at another square output size (larger inputs for the frozen backbone, small ones for quick runs). */
    public Preprocess resizedTo(int size) {
        Resize r = (cropSize > 0 ? Resize.shorterSide(Math.round(size * (float) resize.shorterSide() / cropSize)) : Resize.to(size, size))
                .with(resize.interpolation());
        return new Preprocess(centralFraction, r, cropSize > 0 ? size : 0, normalize, flipAverage);
    }

    /** The same steps with another central crop fraction (1 = the whole image), for TF-style preprocessing. */
    public Preprocess withCentralFraction(double fraction) {
        return new Preprocess(fraction, resize, cropSize, normalize, flipAverage);
    }

    /** The same steps, with or without averaging over the image and its mirror at test time. */
    public Preprocess withFlipAverage(boolean on) {
        return new Preprocess(centralFraction, resize, cropSize, normalize, on);
    }

    /**
     * What the pixels fed to the network depend on (the test-time flip left out): the key of cached features.
     * Features of the mirrored view are keyed {@code featureKey() + " hflip"}.
     */
    public String featureKey() { return withFlipAverage(false).toString(); }

    /** As JSON-ready values (the {@code preprocess} object of a run folder's {@code model.json}). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("central_fraction", centralFraction);
        m.put("resize_shorter_side", resize.shorterSide());
        m.put("resize_height", resize.height());
        m.put("resize_width", resize.width());
        m.put("crop_size", cropSize);
        if (resize.interpolation() != Resize.Interpolation.BILINEAR) m.put("interpolation", resize.interpolation().name().toLowerCase(java.util.Locale.ROOT));
        m.put("offset", floats(normalize.offset()));
        m.put("scale", floats(normalize.scale()));
        if (flipAverage) m.put("test_time_flip", true);
        return m;
    }

    /** The inverse of {@link #toJson}; malformed values throw {@link IllegalArgumentException} or {@link ClassCastException}. */
    public static Preprocess fromJson(Map<String, Object> m) {
        int shorter = num(m, "resize_shorter_side");
        Resize resize = shorter > 0 ? Resize.shorterSide(shorter) : Resize.to(num(m, "resize_height"), num(m, "resize_width"));
        Object filter = m.getOrDefault("interpolation", "bilinear");
        resize = resize.with(Resize.Interpolation.valueOf(String.valueOf(filter).toUpperCase(java.util.Locale.ROOT)));
        return new Preprocess(((Number) m.get("central_fraction")).doubleValue(), resize, num(m, "crop_size"),
                new Normalize(floatArray(m.get("offset")), floatArray(m.get("scale"))),
                Boolean.TRUE.equals(m.get("test_time_flip")));
    }

    private static List<Object> floats(float[] v) {
        List<Object> out = new ArrayList<>();
        for (float f : v) out.add((double) f);
        return out;
    }

    private static float[] floatArray(Object o) {
        List<?> l = (List<?>) o;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).floatValue();
        return out;
    }

    private static int num(Map<String, Object> m, String k) { return ((Number) m.get(k)).intValue(); }

    /** The evaluation steps: in (H,W,3) -> out (S,S,3). */
    public Pipeline pipeline() {
        var steps = new ArrayList<Transform>();
        if (centralFraction < 1) steps.add(new CenterCropFraction(centralFraction));
        steps.add(resize);
        if (cropSize > 0) steps.add(new CenterCrop(cropSize));
        steps.add(normalize);
        return new Pipeline(steps);
    }

    /**
     * The usual training augmentation at the same output size and normalisation: {@link RandomResizedCrop} with
     * torchvision's defaults, then a horizontal flip with probability 0.5.
     */
    public Pipeline augmented() {
        return Pipeline.of(RandomResizedCrop.of(outputSize()), new HorizontalFlip(0.5), normalize);
    }
}
