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
            return apply(FloatImage.of(ImageDecoder.decode(file)), random);
        } catch (BadInputException e) {
            String prefix = BadInputException.printable(file + ": ");
            throw e.getMessage().startsWith(prefix) ? e : new BadInputException(file, e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(file, "not enough memory to decode and preprocess this image (raise the heap with -Xmx)");
        }
    }

    /** in decoded (H,W,3) bytes -> out (H',W',3) floats */
    public FloatImage apply(RgbImage image, RandomGenerator random) { return apply(FloatImage.of(image), random); }
}
