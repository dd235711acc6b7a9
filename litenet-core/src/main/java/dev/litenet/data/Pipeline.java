package dev.litenet.data;

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

    /** in decoded (H,W,3) bytes -> out (H',W',3) floats */
    public FloatImage apply(RgbImage image, RandomGenerator random) { return apply(FloatImage.of(image), random); }
}
