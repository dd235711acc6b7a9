package dev.litenet.explain;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A heatmap drawn over the photo the network saw: the map upsampled bilinearly to the photo, divided by its
 * largest value and coloured with {@link Colormap#viridis}, blended over the photo more strongly where it is hot
 * (30 % of the colour where the map is 0, 70 % at its largest), so the photo stays readable under the cold parts.
 * With a legend below: a title (the class and its probability), a note, and the colour bar. Java2D, headless.
 */
public final class Overlay {
    /** The side of the photo in a drawn overlay, in pixels, unless the photo is larger. */
    public static final int SIDE = 448;
    private static final int LEGEND = 60, BAR_WIDTH = 120, BAR_HEIGHT = 12;
    private static final double ALPHA_COLD = 0.3, ALPHA_HOT = 0.7;

    private Overlay() {}

    /**
     * The photo with the heatmap over it and a legend below. in view (S,S), map (h,w) -> (side, side + 60) RGB.
     *
     * @param view  the photo as the network saw it
     * @param map   the heatmap over it
     * @param title the first line of the legend, e.g. {@code dog 99.0 %}
     * @param note  the second line, smaller, e.g. {@code Grad-CAM at features.18 (7×7)}
     * @return the picture
     */
    public static BufferedImage draw(BufferedImage view, Heatmap map, String title, String note) {
        int side = Math.max(SIDE, Math.max(view.getWidth(), view.getHeight()));
        BufferedImage out = new BufferedImage(side, side + LEGEND, BufferedImage.TYPE_INT_RGB);
        BufferedImage blended = blend(view, map, side);
        Graphics2D g = graphics(out);
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, side, side + LEGEND);
            g.drawImage(blended, 0, 0, null);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(fit(title, g.getFontMetrics(), side - 24), 12, side + 25);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            FontMetrics small = g.getFontMetrics();
            int barX = side - BAR_WIDTH - 12 - small.stringWidth("high") - 6, barY = side + 38;
            for (int x = 0; x < BAR_WIDTH; x++) {
                g.setColor(new Color(Colormap.viridis(x / (BAR_WIDTH - 1.0))));
                g.fillRect(barX + x, barY, 1, BAR_HEIGHT);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(barX, barY, BAR_WIDTH - 1, BAR_HEIGHT - 1);
            g.drawString("low", barX - small.stringWidth("low") - 6, barY + BAR_HEIGHT - 2);
            g.drawString("high", barX + BAR_WIDTH + 6, barY + BAR_HEIGHT - 2);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(fit(note, g.getFontMetrics(), barX - small.stringWidth("low") - 24), 12, barY + BAR_HEIGHT - 1);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The photo scaled to {@code side × side} with the heatmap blended over it, no legend (thumbnails).
     *
     * @param view the photo as the network saw it
     * @param map  the heatmap over it
     * @param side the side of the result
     * @return the picture
     */
    public static BufferedImage blend(BufferedImage view, Heatmap map, int side) {
        BufferedImage photo = scaled(view, side);
        Heatmap heat = map.normalized().upsampled(side, side);
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double t = heat.at(y, x), a = ALPHA_COLD + (ALPHA_HOT - ALPHA_COLD) * t;
                int p = photo.getRGB(x, y), c = Colormap.viridis(t), rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double v = (1 - a) * (p >> shift & 0xFF) + a * (c >> shift & 0xFF);
                    rgb |= (int) Math.round(v) << shift;
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    /**
     * The photo scaled to {@code side × side}, bilinear.
     *
     * @param view the photo
     * @param side the side of the result
     * @return the picture
     */
    public static BufferedImage scaled(BufferedImage view, int side) {
        BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(view, 0, 0, side, side, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * PNG bytes of a picture.
     *
     * @param image the picture
     * @return the encoded PNG
     */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding failed", e);
        }
    }

    /**
     * JPEG bytes of a picture, for thumbnails where PNG would be ten times larger.
     *
     * @param image   the picture (RGB)
     * @param quality 0 to 1
     * @return the encoded JPEG
     */
    public static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), p);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding failed", e);
        } finally {
            writer.dispose();
        }
    }

    private static Graphics2D graphics(BufferedImage image) {
        System.setProperty("java.awt.headless", "true");
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** The text, cut with an ellipsis to fit the width. */
    private static String fit(String text, FontMetrics m, int width) {
        if (m.stringWidth(text) <= width) return text;
        String t = text;
        while (!t.isEmpty() && m.stringWidth(t + "…") > width) t = t.substring(0, t.length() - 1);
        return t + "…";
    }
}
