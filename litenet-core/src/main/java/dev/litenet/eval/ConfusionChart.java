package dev.litenet.eval;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
        System.setProperty("java.awt.headless", "true");
        int k = classes.size(), width = LEFT + k * CELL + RIGHT, height = TOP + k * CELL + BOTTOM;
        BufferedImage image = new BufferedImage(Math.max(width, 360), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 10, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString("predicted", LEFT + k * CELL / 2 - 28, TOP - 28);
        g.drawString("actual", 10, TOP + k * CELL / 2);
        for (int i = 0; i < k; i++) {
            int rowTotal = 0;
            for (int j = 0; j < k; j++) rowTotal += confusion[i][j];
            label(g, classes.get(i), LEFT - 8, TOP + i * CELL + CELL / 2, true);
            label(g, classes.get(i), LEFT + i * CELL + CELL / 2, TOP - 8, false);
            for (int j = 0; j < k; j++) {
                double share = rowTotal == 0 ? 0 : (double) confusion[i][j] / rowTotal;
                int shade = (int) Math.round(255 - 200 * share);
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(LEFT + j * CELL, TOP + i * CELL, CELL, CELL);
                g.setColor(Color.GRAY);
                g.drawRect(LEFT + j * CELL, TOP + i * CELL, CELL, CELL);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String text = Integer.toString(confusion[i][j]);
                FontMetrics m = g.getFontMetrics();
                g.drawString(text, LEFT + j * CELL + (CELL - m.stringWidth(text)) / 2, TOP + i * CELL + CELL / 2 + m.getAscent() / 2 - 2);
            }
        }
        g.dispose();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
    }

    private static void label(Graphics2D g, String text, int x, int y, boolean rightAligned) {
        g.setColor(Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        String shown = text.length() > 16 ? text.substring(0, 15) + "…" : text;
        int w = m.stringWidth(shown);
        g.drawString(shown, rightAligned ? x - w : x - w / 2, y + (rightAligned ? m.getAscent() / 2 - 2 : 0));
    }
}
