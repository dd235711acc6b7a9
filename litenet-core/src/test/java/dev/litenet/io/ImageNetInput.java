package dev.litenet.io;

import dev.litenet.data.Preprocess;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Test helper: a photo as a TFLite MobileNet input, the way Google's eval prepares it: decode to RGB, keep the
 * central {@code cropFraction} of height and width, resize bilinearly (half-pixel centres) to size x size,
 * then {@code (x - mean) / std} per channel.
 */
final class ImageNetInput {
    private ImageNetInput() {}

    /** -> (1, size, size, 3) NHWC floats. */
    static float[] load(Path file, Preprocess p) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) throw new IOException("not an image: " + file);
        int w = image.getWidth(), h = image.getHeight();
        int cw = (int) Math.round(w * p.centralFraction()), ch = (int) Math.round(h * p.centralFraction());
        int x0 = (w - cw) / 2, y0 = (h - ch) / 2, size = p.outputSize();
        float[] rgb = new float[ch * cw * 3];
        for (int y = 0; y < ch; y++)
            for (int x = 0; x < cw; x++) {
                int argb = image.getRGB(x0 + x, y0 + y);
                for (int c = 0; c < 3; c++) rgb[(y * cw + x) * 3 + c] = (argb >> (16 - 8 * c)) & 0xff;
            }
        float[] out = new float[size * size * 3];
        for (int y = 0; y < size; y++) {
            float sy = Math.clamp((y + 0.5f) * ch / size - 0.5f, 0f, ch - 1f);
            int y1 = (int) sy, y2 = Math.min(y1 + 1, ch - 1);
            float fy = sy - y1;
            for (int x = 0; x < size; x++) {
                float sx = Math.clamp((x + 0.5f) * cw / size - 0.5f, 0f, cw - 1f);
                int x1 = (int) sx, x2 = Math.min(x1 + 1, cw - 1);
                float fx = sx - x1;
                for (int c = 0; c < 3; c++) {
                    float top = rgb[(y1 * cw + x1) * 3 + c] * (1 - fx) + rgb[(y1 * cw + x2) * 3 + c] * fx;
                    float bottom = rgb[(y2 * cw + x1) * 3 + c] * (1 - fx) + rgb[(y2 * cw + x2) * 3 + c] * fx;
                    out[(y * size + x) * 3 + c] = (top * (1 - fy) + bottom * fy - p.normalize().offset()[c]) / p.normalize().scale()[c];
                }
            }
        }
        return out;
    }
}
