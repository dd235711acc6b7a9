package dev.litenet.eval;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * What the charts share: a white, antialiased Java2D canvas drawn headless, their one font family, and the
 * finished image as PNG bytes.
 */
final class Canvas {
    private Canvas() {}

    /** A width × height white canvas, handed to {@code draw} with black selected -> its PNG bytes. */
    static byte[] png(int width, int height, Consumer<Graphics2D> draw) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            draw.accept(g);
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
    }

    /** The charts' font: sans-serif in {@code style} ({@link Font#PLAIN} or {@link Font#BOLD}) at {@code size} points. */
    static Font font(int style, int size) { return new Font(Font.SANS_SERIF, style, size); }
}
