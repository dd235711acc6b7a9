package dev.litenet.cli;

import dev.litenet.train.TrainEvent;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** PNG charts, drawn headless with JFreeChart. */
final class Charts {
    private Charts() {}

    /** Accuracy and loss per epoch, train and validation, like the lesson's {@code plot_results}. */
    static void history(List<TrainEvent.EpochStats> history, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries trainAcc = new XYSeries("Training acc"), valAcc = new XYSeries("Validation acc");
        XYSeries trainLoss = new XYSeries("Training loss"), valLoss = new XYSeries("Validation loss");
        for (TrainEvent.EpochStats s : history) {
            trainAcc.add(s.epoch(), s.trainAcc());
            valAcc.add(s.epoch(), s.valAcc());
            trainLoss.add(s.epoch(), s.trainLoss());
            valLoss.add(s.epoch(), s.valLoss());
        }
        NumberAxis epochs = new NumberAxis("Epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.add(subplot("Accuracy", trainAcc, valAcc));
        plot.add(subplot("Loss", trainLoss, valLoss));
        JFreeChart chart = new JFreeChart("Training history", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        Path tmp = Files.createTempFile(png.toAbsolutePath().getParent(), "history", ".png.tmp");
        try {
            ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 900, 600);
            Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static XYPlot subplot(String name, XYSeries train, XYSeries val) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(val);
        NumberAxis axis = new NumberAxis(name);
        axis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        lines.setSeriesPaint(0, new java.awt.Color(31, 119, 180));                  // training: blue
        lines.setSeriesPaint(1, new java.awt.Color(255, 127, 14));                  // validation: orange
        XYPlot plot = new XYPlot(data, null, axis, lines);
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        return plot;
    }
}
