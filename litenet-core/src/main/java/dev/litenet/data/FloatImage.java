package dev.litenet.data;

import dev.litenet.io.Budget;

/**
 * An RGB image as floats on its way through the transforms: {@code pixels} holds (height, width, 3) values, channels
 * innermost (one image of an NHWC batch). Values start as 0..255 pixel values; {@link Normalize} rescales them.
 */
public record FloatImage(int height, int width, float[] pixels) {
    public FloatImage {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("image size must be positive: " + height + "x" + width);
        if (pixels.length != (long) height * width * 3) {
            throw new IllegalArgumentException(height + "x" + width + " RGB needs " + (long) height * width * 3 + " floats, got " + pixels.length);
        }
    }

    /** in (H,W,3) bytes -> out (H,W,3) floats 0..255 */
    public static FloatImage of(RgbImage image) {
        byte[] rgb = image.rgb();
        float[] pixels = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) pixels[i] = rgb[i] & 0xFF;
        return new FloatImage(image.height(), image.width(), pixels);
    }

    public float at(int y, int x, int c) { return pixels[(y * width + x) * 3 + c]; }

    /**
     * in (H,W,3) -> out (height,width,3): the window whose top-left corner is (top, left); the parts of the window
     * outside the image are zeros, as torchvision pads a crop larger than the image.
     */
    public FloatImage crop(int top, int left, int height, int width) {
        Budget.imagePixels(null, height, width);
        float[] out = new float[height * width * 3];
        int x0 = Math.max(0, -left), x1 = Math.min(width, this.width - left);
        for (int y = Math.max(0, -top); y < Math.min(height, this.height - top); y++) {
            if (x1 > x0) {
                System.arraycopy(pixels, ((top + y) * this.width + left + x0) * 3, out, (y * width + x0) * 3, (x1 - x0) * 3);
            }
        }
        return new FloatImage(height, width, out);
    }
}
