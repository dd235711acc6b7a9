package dev.litenet.eval;

import dev.litenet.TrainEvent;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The lesson's {@code plot_results} as a PNG: accuracy (top) and loss (bottom) per epoch, training in blue and
 * validation in orange. Drawn with Java2D, headless, so the library needs no chart library.
 */
public final class HistoryChart {
    private static final int WIDTH = 900, HEIGHT = 600, LEFT = 80, RIGHT = 30, TOP = 50, GAP = 50, BOTTOM = 50;
    private static final Color TRAIN = new Color(31, 119, 180), VAL = new Color(255, 127, 14);

    private HistoryChart() {}

    /** The chart as PNG bytes. */
    public static byte[] png(List<TrainEvent.EpochStats> history) {
        return Canvas.png(WIDTH, HEIGHT, g -> {
            g.setFont(Canvas.font(Font.BOLD, 18));
            g.drawString("Training history", WIDTH / 2 - 70, 30);
            int panel = (HEIGHT - TOP - GAP - BOTTOM) / 2;
            panel(g, history, "Accuracy", TOP, panel, TrainEvent.EpochStats::trainAcc, TrainEvent.EpochStats::valAcc);
            panel(g, history, "Loss", TOP + panel + GAP, panel, TrainEvent.EpochStats::trainLoss, TrainEvent.EpochStats::valLoss);
            legend(g);
        });
    }

    private static void panel(Graphics2D g, List<TrainEvent.EpochStats> history, String name, int top, int height,
                              ToDoubleFunction<TrainEvent.EpochStats> train, ToDoubleFunction<TrainEvent.EpochStats> val) {
        int width = WIDTH - LEFT - RIGHT;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (var s : history) {
            for (double v : new double[] {train.applyAsDouble(s), val.applyAsDouble(s)}) {
                if (Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            }
        }
        if (!(lo <= hi)) { lo = 0; hi = 1; }
        double pad = Math.max(1e-3, (hi - lo) * 0.08);
        lo -= pad;
        hi += pad;
        int epochs = Math.max(1, history.size());
        g.setColor(new Color(230, 230, 230));
        g.setFont(Canvas.font(Font.PLAIN, 11));
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            int y = top + height - (int) Math.round(height * (double) t / 4);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT, y, LEFT + width, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.3f", v), LEFT - 50, y + 4);
        }
        for (int e = 1; e <= epochs; e++) {
            int x = xOf(e, epochs, width);
            g.setColor(Color.DARK_GRAY);
            if (epochs <= 30 || e % Math.ceil(epochs / 15.0) == 0) g.drawString(Integer.toString(e), x - 3, top + height + 15);
        }
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, top, width, height);
        g.setColor(Color.BLACK);
        g.setFont(Canvas.font(Font.PLAIN, 13));
        g.drawString(name, 10, top + height / 2);
        if (top + height + GAP > HEIGHT - BOTTOM) g.drawString("Epoch", LEFT + width / 2 - 20, top + height + 35);
        line(g, history, train, TRAIN, lo, hi, top, height, width, epochs);
        line(g, history, val, VAL, lo, hi, top, height, width, epochs);
    }

    private static void line(Graphics2D g, List<TrainEvent.EpochStats> history, ToDoubleFunction<TrainEvent.EpochStats> f,
                             Color color, double lo, double hi, int top, int height, int width, int epochs) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        Path2D path = new Path2D.Double();
        boolean started = false;
        for (var s : history) {
            double v = f.applyAsDouble(s);
            if (!Double.isFinite(v)) continue;
            double x = xOf(s.epoch(), epochs, width), y = top + height - height * (v - lo) / (hi - lo);
            if (started) path.lineTo(x, y); else path.moveTo(x, y);
            started = true;
            g.fillOval((int) x - 3, (int) y - 3, 7, 7);
        }
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
    }

    private static int xOf(int epoch, int epochs, int width) {
        return epochs == 1 ? LEFT + width / 2 : LEFT + 10 + (int) Math.round((width - 20) * (epoch - 1) / (double) (epochs - 1));
    }

    private static void legend(Graphics2D g) {
        g.setFont(Canvas.font(Font.PLAIN, 12));
        int x = WIDTH / 2 - 90, y = HEIGHT - 12;
        g.setColor(TRAIN);
        g.fillRect(x, y - 9, 12, 10);
        g.setColor(Color.BLACK);
        g.drawString("Training", x + 16, y);
        g.setColor(VAL);
        g.fillRect(x + 90, y - 9, 12, 10);
        g.setColor(Color.BLACK);
        g.drawString("Validation", x + 106, y);
    }
}
