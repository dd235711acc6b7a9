package dev.litenet;

import dev.litenet.data.Preprocess;

import java.util.Objects;

/**
 * An image decoded and preprocessed for one {@link ImageClassifier}: {@code size × size × 3} floats, channels
 * last. Preparing is the part of prediction that runs outside the model (decode, crop, resize, normalise), so
 * many images can be prepared in parallel and then run through the model as one batch with
 * {@link ImageClassifier#predictBatch} or {@link ImageClassifier#embedBatch}.
 *
 * @param name   what the image is called in errors and results (a path, an upload's file name)
 * @param size   the side of the square input, 1 to {@link Preprocess#MAX_SIZE}
 * @param pixels {@code size * size * 3} finite values in (H, W, C) order
 */
public record PreparedImage(String name, int size, float[] pixels) {
    /**
     * Checks that the pixels fill the square and are finite.
     *
     * @throws NullPointerException if {@code name} or {@code pixels} is null (the message names which)
     * @throws BadInputException    if {@code size} is out of range, the pixels do not fill the square, or one is
     *                              NaN or infinite
     */
    public PreparedImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        if (size < 1 || size > Preprocess.MAX_SIZE) {
            throw new BadInputException(BadInputException.printable(name) + ": a prepared image's size must be 1 to " + Preprocess.MAX_SIZE + ", got " + size);
        }
        long needed = 3L * size * size;
        if (pixels.length != needed) {
            throw new BadInputException(BadInputException.printable(name) + ": a prepared image of size " + size + " needs " + size + "×" + size
                    + "×3 = " + needed + " values, got " + pixels.length);
        }
        for (int i = 0; i < pixels.length; i++) {
            if (!Float.isFinite(pixels[i])) {
                throw new BadInputException(BadInputException.printable(name) + ": a prepared image holds " + pixels[i] + " at index " + i + " (values must be finite)");
            }
        }
    }
}
