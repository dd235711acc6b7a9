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

    /** The value of channel {@code c} (0 = R, 1 = G, 2 = B) at row {@code y}, column {@code x}, in 0..255. */
    public int at(int y, int x, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }
}
