package dev.litenet.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;

/**
 * A confusion matrix as a PNG (scikit-learn's {@code ConfusionMatrixDisplay}): actual classes down, predicted
 * across, each cell shaded by its share of the actual class and labelled with its count. Java2D, headless.
 * in confusion[actual][predicted] (K, K) -> PNG bytes
 */
public final class ConfusionChart {
    private static final int CELL = 90, LEFT = 140, TOP = 80, RIGHT = 30, BOTTOM = 70;

    private ConfusionChart() {}

    /** The chart as PNG bytes. */
    public static byte[] png(List<String> classes, int[][] confusion, String title) {
        int k = classes.size(), width = LEFT + k * CELL + RIGHT, height = TOP + k * CELL + BOTTOM;
        return Canvas.png(Math.max(width, 360), height, g -> {
            g.setFont(Canvas.font(Font.BOLD, 16));
            g.drawString(title, 10, 25);
            g.setFont(Canvas.font(Font.PLAIN, 13));
            g.drawString("predicted", LEFT + k * CELL / 2 - 28, TOP - 28);
            g.drawString("actual", 10, TOP + k * CELL / 2);
            for (int i = 0; i < k; i++) {
                int rowTotal = 0;
                for (int j = 0; j < k; j++) rowTotal += confusion[i][j];
                label(g, classes.get(i), LEFT - 8, TOP + i * CELL + CELL / 2, true);
                label(g, classes.get(i), LEFT + i * CELL + CELL / 2, TOP - 8, false);
                for (int j = 0; j < k; j++) cell(g, confusion[i][j], rowTotal, LEFT + j * CELL, TOP + i * CELL);
            }
        });
    }

    /** One cell at (x, y): shaded by its share of the row, labelled with its count. */
    private static void cell(Graphics2D g, int count, int rowTotal, int x, int y) {
        double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
        int shade = (int) Math.round(255 - 200 * share);
        g.setColor(new Color(shade, shade, 255));
        g.fillRect(x, y, CELL, CELL);
        g.setColor(Color.GRAY);
        g.drawRect(x, y, CELL, CELL);
        g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
        String text = Integer.toString(count);
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, x + (CELL - m.stringWidth(text)) / 2, y + CELL / 2 + m.getAscent() / 2 - 2);
    }

    private static void label(Graphics2D g, String text, int x, int y, boolean rightAligned) {
        g.setColor(Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        String shown = text.length() > 16 ? text.substring(0, 15) + "…" : text;
        int w = m.stringWidth(shown);
        g.drawString(shown, rightAligned ? x - w : x - w / 2, y + (rightAligned ? m.getAscent() / 2 - 2 : 0));
    }
}
