package dev.litenet.data;

/**
 * A decoded picture as 8-bit RGB: {@code rgb} holds (height, width, 3) bytes row by row, channels innermost,
 * unsigned (read a value with {@code rgb[i] & 0xFF}).
 */
public record RgbImage(int height, int width, byte[] rgb) {
    public RgbImage {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("image size must be positive: " + height + "x" + width);
        if (rgb.length != (long) height * width * 3) {
            throw new IllegalArgumentException(height + "x" + width + " RGB needs " + (long) height * width * 3 + " bytes, got " + rgb.length);
        }
    }

    /** in (H,W,3) -> out (height,width,3): the window at (top, left), which must lie inside the image. */
    public RgbImage crop(int top, int left, int height, int width) {
        if (top == 0 && left == 0 && height == this.height && width == this.width) return this;
        if (top < 0 || left < 0 || height <= 0 || width <= 0 || top + height > this.height || left + width > this.width) {
            throw new IllegalArgumentException("crop " + height + "x" + width + " at (" + top + ", " + left + ") outside " + this.height + "x" + this.width);
        }
        byte[] out = new byte[height * width * 3];
        for (int y = 0; y < height; y++) System.arraycopy(rgb, ((top + y) * this.width + left) * 3, out, y * width * 3, width * 3);
        return new RgbImage(height, width, out);
    }

    /** The value of channel {@code c} (0 = R, 1 = G, 2 = B) at row {@code y}, column {@code x}, in 0..255. */
    public int at(int y, int x, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }
}
