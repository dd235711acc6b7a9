package dev.litenet.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;

/**
 * A reliability diagram as a PNG (Guo et al. 2017, figure 1): per confidence bin, a bar as high as the bin's
 * accuracy, the gap to its mean confidence shaded red, the diagonal of perfect calibration, and each bin's count;
 * the ECE in the title. Java2D, headless. in {@link Calibration} -> PNG bytes
 */
public final class ReliabilityChart {
    private static final int WIDTH = 520, HEIGHT = 470, LEFT = 70, RIGHT = 20, TOP = 66, BOTTOM = 60;
    private static final Color BAR = new Color(31, 119, 180), GAP = new Color(214, 39, 40, 90);

    private ReliabilityChart() {}

    /** The chart as PNG bytes. */
    public static byte[] png(Calibration c, String title) {
        return Canvas.png(WIDTH, HEIGHT, g -> {
            int w = WIDTH - LEFT - RIGHT, h = HEIGHT - TOP - BOTTOM;
            g.setFont(Canvas.font(Font.BOLD, 15));
            g.drawString(title, LEFT, 22);
            g.setFont(Canvas.font(Font.PLAIN, 12));
            g.drawString(String.format("ECE %.2f %%  (red: the gap between confidence and accuracy)", 100 * c.ece()), LEFT, 40);
            for (int t = 0; t <= 5; t++) {
                int y = TOP + h - h * t / 5, x = LEFT + w * t / 5;
                g.setColor(new Color(225, 225, 225));
                g.drawLine(LEFT, y, LEFT + w, y);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format("%.1f", t / 5.0), LEFT - 30, y + 4);
                g.drawString(String.format("%.1f", t / 5.0), x - 8, TOP + h + 16);
            }
            g.drawString("confidence (probability of the predicted class)", LEFT + w / 2 - 140, TOP + h + 36);
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2);
            r.drawString("accuracy", -(TOP + h / 2 + 25), 18);
            r.dispose();
            FontMetrics m = g.getFontMetrics();
            for (Calibration.Bin b : c.bins()) {
                if (b.n() == 0) continue;
                int x0 = LEFT + (int) Math.round(w * b.from()) + 2, x1 = LEFT + (int) Math.round(w * b.to()) - 2;
                int yAcc = TOP + h - (int) Math.round(h * b.accuracy()), yConf = TOP + h - (int) Math.round(h * b.confidence());
                g.setColor(BAR);
                g.fillRect(x0, yAcc, x1 - x0, TOP + h - yAcc);
                g.setColor(GAP);
                g.fillRect(x0, Math.min(yAcc, yConf), x1 - x0, Math.abs(yAcc - yConf));
                g.setColor(Color.DARK_GRAY);
                String n = "n=" + b.n();
                g.drawString(n, (x0 + x1 - m.stringWidth(n)) / 2, Math.min(yAcc, yConf) - 4);
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(LEFT, TOP + h, LEFT + w, TOP);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, w, h);
        });
    }
}
