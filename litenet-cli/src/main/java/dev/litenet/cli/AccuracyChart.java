package dev.litenet.cli;

import dev.litenet.eval.Comparison;
import dev.litenet.eval.ComparisonTable;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The lesson's argument as a picture: test accuracy of each trained net against its multiply-adds per image on a
 * log scale, one labelled point per net. Drawn headless with JFreeChart to a PNG.
 */
final class AccuracyChart {
    static final int WIDTH = 900, HEIGHT = 560;
    /** The series colours of the CLI's charts (matplotlib's first six). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    private AccuracyChart() {}

    static void write(Path png, Comparison c) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection points = new XYSeriesCollection();
        for (Comparison.TrainedModel m : c.trained()) {
            XYSeries s = new XYSeries(m.name() + " (" + ComparisonTable.count(m.params()) + " params)");
            s.add(Math.max(1, m.multAdds()), m.testAccuracy());
            points.addSeries(s);
        }
        LogAxis x = new LogAxis("Multiply-adds per image (log scale)");
        x.setSmallestValue(1);
        x.setTickUnit(new NumberTickUnit(1));                  // one tick per power of ten
        NumberAxis y = new NumberAxis("Test accuracy");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setDefaultItemLabelGenerator((data, series, item) -> c.trained().get(series).name());
        renderer.setDefaultItemLabelsVisible(true);
        for (int i = 0; i < c.trained().size(); i++) renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        XYPlot plot = new XYPlot(points, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        Comparison.Setup s = c.setup();
        String title = "Accuracy vs multiply-adds: " + s.epochs() + (s.epochs() == 1 ? " epoch" : " epochs") + " on " + ComparisonTable.count(s.trainImages()) + " images";
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
