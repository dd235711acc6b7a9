package dev.litenet.summary;

import dev.litenet.nn.Layer;

import java.util.List;

/**
 * A model summary in three steps, as torchinfo does it: collect one {@link LayerInfo} row per layer call from a
 * traced forward ({@link LayerTrace}), total them ({@link ModelStatistics}, or {@link Torchinfo008} for the old
 * style), and draw the table ({@link SummaryFormatter}) or write JSON ({@link SummaryJson}).
 */
public record Summary(List<LayerInfo> rows, ModelStatistics statistics, SummaryOptions options) {
    public Summary {
        rows = List.copyOf(rows);
    }

    /** Runs the model once on zeros of {@code inputShape} (torch's order, NCHW for images). */
    public static Summary of(Layer model, List<Integer> inputShape, SummaryOptions options) {
        List<LayerInfo> rows = LayerTrace.collect(model, inputShape);
        ModelStatistics totals = options.style() == Style.TORCHINFO_0_0_8
                ? Torchinfo008.statistics(rows, options.depth())
                : ModelStatistics.of(rows);
        return new Summary(rows, totals, options);
    }

    public String table() { return SummaryFormatter.format(rows, statistics, options); }

    public String json() { return SummaryJson.write(this); }
}
