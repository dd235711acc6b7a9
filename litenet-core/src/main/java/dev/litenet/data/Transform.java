package dev.litenet.data;

import java.util.random.RandomGenerator;

/**
 * One step of image preprocessing, in (H,W,3) -> out (H',W',3). Random steps draw from {@code random} only, so a
 * seeded generator makes them repeatable; deterministic steps ignore it.
 */
@FunctionalInterface
public interface Transform {
    FloatImage apply(FloatImage image, RandomGenerator random);
}
