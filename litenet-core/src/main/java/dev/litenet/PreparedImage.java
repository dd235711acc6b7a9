package dev.litenet;

/**
 * An image decoded and preprocessed for one {@link ImageClassifier}: {@code size × size × 3} floats, channels
 * last. Preparing is the part of prediction that runs outside the model (decode, crop, resize, normalise), so
 * many images can be prepared in parallel and then run through the model as one batch with
 * {@link ImageClassifier#predictBatch} or {@link ImageClassifier#embedBatch}.
 *
 * @param name   what the image is called in errors and results (a path, an upload's file name)
 * @param size   the side of the square input
 * @param pixels {@code size * size * 3} values in (H, W, C) order
 */
public record PreparedImage(String name, int size, float[] pixels) {
    /** Checks that the pixels fill the square. */
    public PreparedImage {
        if (size < 1 || pixels.length != size * size * 3) {
            throw new IllegalArgumentException("a prepared image needs " + size + "×" + size + "×3 values, got " + pixels.length);
        }
    }
}
