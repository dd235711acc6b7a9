package dev.litenet.summary;

import java.util.List;

/**
 * The totals under a summary table, as torchinfo's {@code ModelStatistics}. Sizes are bytes of float32 values.
 *
 * @param totalParams     parameters of the model
 * @param trainableParams those of them that are trainable
 * @param multAdds        multiply-adds of one forward pass
 * @param inputBytes      the input tensor
 * @param activationBytes activations: see {@link #of} (this style) and {@link Torchinfo008#statistics} (the old one)
 * @param paramBytes      the parameters
 */
public record ModelStatistics(long totalParams, long trainableParams, long multAdds,
                              long inputBytes, long activationBytes, long paramBytes) {
    static final int FLOAT_BYTES = 4;

    public long nonTrainableParams() { return totalParams - trainableParams; }

    public long totalBytes() { return inputBytes + activationBytes + paramBytes; }

    /**
     * Honest totals from the rows of one traced forward: parameters of the whole model (the first row), true
     * multiply-adds of every call, and as activations every distinct tensor a layer returned, counted once
     * (in-place layers add nothing). Gradients are not included.
     */
    public static ModelStatistics of(List<LayerInfo> rows) {
        LayerInfo model = rows.getFirst();
        long activations = rows.stream().filter(LayerInfo::ownsOutput).mapToLong(LayerInfo::outputElements).sum();
        return new ModelStatistics(model.numParams(), model.trainableParams(),
                rows.stream().mapToLong(LayerInfo::macs).sum(),
                LayerInfo.product(model.inputShape()) * FLOAT_BYTES,
                activations * FLOAT_BYTES,
                model.numParams() * FLOAT_BYTES);
    }
}
