package dev.litenet.eval;

import java.util.List;

/**
 * What {@code litenet compare} measured: the lesson's small nets trained on an IDX data set (accuracy against
 * cost), and the image models at one input size (cost and speed only).
 *
 * @param setup   how the small nets were trained and measured; null when no data set was given
 * @param trained one row per small net, in the order run
 * @param image   one row per image model, in the order run
 */
public record Comparison(Setup setup, List<TrainedModel> trained, List<ImageModel> image, int imageSize, int threads) {
    public Comparison {
        trained = List.copyOf(trained);
        image = List.copyOf(image);
    }

    /**
     * @param data          the IDX folder
     * @param trainImages   images trained on (after any limit)
     * @param trainAvailable images in the training split
     * @param testImages    images in the test split, all evaluated
     */
    public record Setup(String data, int trainImages, int trainAvailable, int testImages, int epochs, int batchSize,
                        double learningRate, long seed) {}

    /**
     * One small net, trained and measured.
     *
     * @param layers           its layers in a few words ({@code 784-100-10})
     * @param multAdds         true multiply-adds per image (convs and linear layers)
     * @param testAccuracy     fraction of the test split right after training
     * @param trainSeconds     wall time of all epochs
     * @param finalLoss        mean training loss of the last epoch
     * @param msPerImageBatch1 fused eval forward of one image
     * @param msPerImageBatch64 fused eval forward of 64 images, divided by 64
     */
    public record TrainedModel(String name, String layers, long params, long multAdds, double testAccuracy,
                               double trainSeconds, double finalLoss, double msPerImageBatch1, double msPerImageBatch64) {}

    /**
     * One image model at {@link #imageSize()}.
     *
     * @param msPerImage fused eval forward of one image (median of timed runs after warm-up)
     * @param runs       timed runs behind the median
     */
    public record ImageModel(String name, long params, long multAdds, double msPerImage, int runs) {}
}
