package dev.litenet.data;

import java.util.ArrayList;

/**
 * An evaluation pipeline as values, so weights can carry the preprocessing they were trained with:
 * an optional central fraction crop (1 = none), a resize, an optional centre crop (0 = none), a normalisation.
 * in decoded (H,W,3) -> out (S,S,3) floats, S = cropSize or the resize target.
 */
public record Preprocess(double centralFraction, Resize resize, int cropSize, Normalize normalize) {
    /** torchvision ImageNet eval: resize shorter side 256, centre crop 224, ImageNet mean and std. */
    public static final Preprocess TORCHVISION_IMAGENET = new Preprocess(1.0, Resize.shorterSide(256), 224, Normalize.IMAGENET);

    /** Google's MobileNet eval: central 87.5 %, resize to 224 x 224, {@code (x - 128) / 128}. */
    public static final Preprocess TFLITE_MOBILENET = new Preprocess(0.875, Resize.to(224, 224), 0, Normalize.pixel(128, 128));

    public Preprocess {
        if (!(centralFraction > 0 && centralFraction <= 1)) throw new IllegalArgumentException("central fraction must be in (0, 1]: " + centralFraction);
        if (cropSize < 0) throw new IllegalArgumentException("crop size must be >= 0: " + cropSize);
    }

    /** The side of the square images this pipeline produces. */
    public int outputSize() {
        if (cropSize > 0) return cropSize;
        if (resize.shorterSide() > 0 || resize.height() != resize.width()) throw new IllegalStateException("output is not a fixed square: " + this);
        return resize.height();
    }

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
