package dev.litenet.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Grad-CAM map: non-negative floats on the grid of the layer it was taken at (7×7 for the last block of the
 * zoo's networks at input 224), row by row. The values are in the units of the class's logit per unit of
 * activation; only their relative size means something, so pictures show them divided by {@link #max()}.
 *
 * @param height rows
 * @param width  columns
 * @param values {@code height × width} values, row-major
 */
public record Heatmap(int height, int width, float[] values) {
    /** Checks that the values fill the grid. */
    public Heatmap {
        if (height < 1 || width < 1 || values.length != height * width) {
            throw new IllegalArgumentException("a " + height + "×" + width + " heatmap needs " + height * width + " values, got " + values.length);
        }
    }

    /**
     * The value at a place of the grid.
     *
     * @param y row
     * @param x column
     * @return the value
     */
    public float at(int y, int x) { return values[y * width + x]; }

    /**
     * The largest value (0 when the map is empty: nothing in the layer spoke for the class).
     *
     * @return the largest value
     */
    public float max() {
        float m = 0;
        for (float v : values) m = Math.max(m, v);
        return m;
    }

    /**
     * The map divided by its largest value: in [0, 1], all 0 when the map is empty.
     *
     * @return a new map
     */
    public Heatmap normalized() {
        float m = max();
        float[] out = new float[values.length];
        if (m > 0) for (int i = 0; i < out.length; i++) out[i] = values[i] / m;
        return new Heatmap(height, width, out);
    }

    /**
     * The map resized to another grid by bilinear interpolation with half-pixel centres and edges held, as
     * torch's {@code F.interpolate(mode="bilinear", align_corners=False)} and OpenCV's {@code resize} do: the
     * heatmap over the image. in (height, width) -> out (outHeight, outWidth)
     *
     * @param outHeight rows of the result
     * @param outWidth  columns of the result
     * @return a new map
     */
    public Heatmap upsampled(int outHeight, int outWidth) {
        if (outHeight < 1 || outWidth < 1) throw new IllegalArgumentException("size must be positive: " + outHeight + "×" + outWidth);
        float[] out = new float[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++) {
            double sy = Math.clamp((y + 0.5) * height / outHeight - 0.5, 0, height - 1);
            int y0 = (int) sy, y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < outWidth; x++) {
                double sx = Math.clamp((x + 0.5) * width / outWidth - 0.5, 0, width - 1);
                int x0 = (int) sx, x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                double top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx, bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
                out[y * outWidth + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return new Heatmap(outHeight, outWidth, out);
    }

    /**
     * As JSON-ready values: {@code {"height":7,"width":7,"max":..,"values":[[row 0], [row 1], ...]}}.
     *
     * @return a map with the keys height, width, max and values
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", height);
        m.put("width", width);
        m.put("max", (double) max());
        List<Object> rows = new ArrayList<>(height);
        for (int y = 0; y < height; y++) {
            List<Double> row = new ArrayList<>(width);
            for (int x = 0; x < width; x++) row.add(Double.parseDouble(Float.toString(at(y, x))));   // shortest decimal
            rows.add(row);
        }
        m.put("values", rows);
        return m;
    }
}
