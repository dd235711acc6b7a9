package dev.litenet.data;

import dev.litenet.BadInputException;

import java.nio.file.Path;
import java.util.List;
import java.util.random.RandomGenerator;

/** Transforms applied in order: in (H,W,3) -> out (H',W',3). */
public record Pipeline(List<Transform> steps) implements Transform {
    public Pipeline { steps = List.copyOf(steps); }

    public static Pipeline of(Transform... steps) { return new Pipeline(List.of(steps)); }

    @Override public FloatImage apply(FloatImage image, RandomGenerator random) {
        for (Transform step : steps) image = step.apply(image, random);
        return image;
    }

    /**
     * Decodes {@code file} and applies the steps: in file -> out (H',W',3) floats. Every problem, including an
     * image that is over a budget only after a resize, and running out of memory on it, is one
     * {@link BadInputException} naming the file, so the caller's bad-image policy applies.
     */
    public FloatImage apply(Path file, RandomGenerator random) {
        try {
            return ImageDecoder.decode(file, rgb -> apply(rgb, random));
        } catch (BadInputException e) {
            throw ImageDecoder.naming(file, e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(file, "not enough memory to decode and preprocess this image (raise the heap with -Xmx)");
        }
    }

    /**
     * in decoded (H,W,3) bytes -> out (H',W',3) floats. A leading central crop and resize read the bytes directly,
     * so the whole picture is never held as floats (12 bytes a pixel); the result is the same to the bit.
     */
    public FloatImage apply(RgbImage image, RandomGenerator random) {
        if (steps.size() == 1 && steps.getFirst() instanceof Pipeline inner) return inner.apply(image, random);
        int i = 0;
        if (i < steps.size() && steps.get(i) instanceof CenterCropFraction crop) {
            image = crop.apply(image);
            i++;
        }
        FloatImage out;
        if (i < steps.size() && steps.get(i) instanceof Resize resize) {
            out = resize.apply(image);
            i++;
        } else {
            out = FloatImage.of(image);
        }
        for (; i < steps.size(); i++) out = steps.get(i).apply(out, random);
        return out;
    }
}
