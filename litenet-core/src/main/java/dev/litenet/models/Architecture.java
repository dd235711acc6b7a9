package dev.litenet.models;

import dev.litenet.BadInputException;

import java.util.Objects;
import java.util.function.Function;

/**
 * One architecture of the zoo as a value: its name (torchvision's builder name, the {@code --arch} value), what
 * it is, the reference it is built exactly as, and its builder. The table of them is {@link Architectures}.
 *
 * @param name        torchvision's builder name, e.g. {@code mobilenet_v3_large}
 * @param description one line: what it is and where it comes from
 * @param reference   the source it is built exactly as (module names, eps, padding, rounding)
 * @param inputSize   the side of the square input its ImageNet weights were trained at
 * @param takesWidth  whether it takes a width multiplier ({@code mobilenet_v2}'s {@code width_mult},
 *                    {@code mobilenet_v1}'s alpha)
 * @param builder     builds the network, initialized as the reference does from the config's seed
 */
public record Architecture(String name, String description, String reference, int inputSize, boolean takesWidth,
                           Function<Config, Network> builder) {

    /** The most classes a head may have. */
    public static final int MAX_CLASSES = 100_000;
    /** The width multipliers a network may be built with (torchvision's go from 0.35 to 1.4, TF-slim's from 0.25). */
    public static final float MIN_WIDTH = 0.1f, MAX_WIDTH = 4f;

    public Architecture {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(builder, "builder");
    }

    /**
     * What a network is built from: its architecture, the classes of its head, its width multiplier (1 for an
     * architecture without one) and the seed of its initial weights.
     */
    public record Config(String architecture, int numClasses, float widthMult, long seed) {
        public Config(String architecture, int numClasses) { this(architecture, numClasses, 1f, 0); }

        public Config(String architecture, int numClasses, float widthMult) { this(architecture, numClasses, widthMult, 0); }

        /** The same network with another number of classes. */
        public Config withClasses(int classes) { return new Config(architecture, classes, widthMult, seed); }
    }

    /**
     * Builds a network of this architecture.
     *
     * @throws BadInputException if the classes or the width are out of range, or a width is given to an
     *                           architecture without one
     */
    public Network build(int numClasses, float widthMult, long seed) {
        if (numClasses < 1 || numClasses > MAX_CLASSES) {
            throw new BadInputException("the number of classes must be 1 to " + MAX_CLASSES + ", got " + numClasses);
        }
        if (!(widthMult >= MIN_WIDTH && widthMult <= MAX_WIDTH)) {
            throw new BadInputException("the width multiplier must be in [" + MIN_WIDTH + ", " + MAX_WIDTH + "], got " + widthMult);
        }
        if (!takesWidth && widthMult != 1f) throw new BadInputException(name + " has no width multiplier");
        return builder.apply(new Config(name, numClasses, widthMult, seed));
    }

    /** {@link #build(int, float, long)} at width 1 and seed 0. */
    public Network build(int numClasses) { return build(numClasses, 1f, 0); }

    /** Builds the network a config describes. */
    public static Network build(Config config) {
        return Architectures.get(config.architecture()).build(config.numClasses(), config.widthMult(), config.seed());
    }
}
