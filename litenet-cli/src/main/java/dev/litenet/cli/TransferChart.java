package dev.litenet.cli;

import dev.litenet.eval.Comparison;
import dev.litenet.models.KnownWeights;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Locale;

/**
 * The lesson's question as a picture: each backbone's cross-validated accuracy (mean, with a bar of ± one standard
 * deviation over the folds) against its latency at batch 1 on one thread, on a log scale; one labelled point per
 * backbone. Drawn headless with JFreeChart to a PNG, as {@link AccuracyChart} draws the small nets.
 */
final class TransferChart {
    static final int WIDTH = 900, HEIGHT = 560;

    private TransferChart() {}

    static void write(Path png, Comparison.Transfer t) throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection points = new YIntervalSeriesCollection();
        double lo = Double.MAX_VALUE, hi = 0;
        for (Comparison.Backbone b : t.backbones()) {
            YIntervalSeries s = new YIntervalSeries(String.format(Locale.ROOT, "%s at %d: %.2f %% ± %.2f", b.weights(), b.inputSize(),
                    100 * b.cv().accuracyMean(), 100 * b.cv().accuracySd()));
            double ms = Math.max(1e-4, b.latency().msPerImage()), mean = b.cv().accuracyMean(), sd = b.cv().accuracySd();
            s.add(ms, mean, mean - sd, mean + sd);
            points.addSeries(s);
            lo = Math.min(lo, ms);
            hi = Math.max(hi, ms);
        }
        LogAxis x = new LogAxis("Backbone latency, ms per image at batch " + batch(t) + " on " + threads(t) + " (log scale)");
        x.setBase(2);                                                 // ticks at 0.5, 1, 2, 4, 8 ms: readable on a narrow range
        x.setTickUnit(new NumberTickUnit(1));
        x.setMinorTickCount(0);
        x.setSmallestValue(1e-4);
        x.setNumberFormatOverride(new DecimalFormat("0.###"));
        if (hi > 0) x.setRange(lo / 1.5, hi * 4);                     // room for the labels, written to the right of the points
        NumberAxis y = new NumberAxis("Cross-validated accuracy (mean ± sd over " + t.folds() + " folds)");
        y.setAutoRangeIncludesZero(false);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(false);
        renderer.setDefaultShapesVisible(true);
        renderer.setDefaultItemLabelGenerator((data, series, item) -> label(t.backbones().get(series).weights()));
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < t.backbones().size(); i++) renderer.setSeriesPaint(i, AccuracyChart.PALETTE[i % AccuracyChart.PALETTE.length]);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        XYPlot plot = new XYPlot(points, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        int photos = t.backbones().isEmpty() ? 0 : t.backbones().getFirst().cv().photos();
        String title = "Frozen features: accuracy vs latency (" + photos + " photos, " + t.folds() + "-fold CV)";
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }

    /** A point's label: the weights' short alias where they have one (the legend gives the full name). */
    static String label(String weights) {
        return KnownWeights.find(weights).map(KnownWeights::aliasOf).orElse(weights);
    }

    private static int batch(Comparison.Transfer t) { return t.backbones().isEmpty() ? 1 : t.backbones().getFirst().latency().batch(); }

    private static String threads(Comparison.Transfer t) {
        int n = t.backbones().isEmpty() ? 1 : t.backbones().getFirst().latency().threads();
        return n == 1 ? "1 thread" : n + " threads";
    }
}
