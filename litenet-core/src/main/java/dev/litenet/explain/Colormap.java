package dev.litenet.explain;

/**
 * Viridis (van der Walt and Smith, 2015; CC0), the perceptually uniform colormap: lightness rises steadily from
 * dark purple (0) through blue and green to yellow (1), so equal steps of heat look like equal steps of colour,
 * and it reads the same in grey and to colour-blind eyes. "Jet", the rainbow many Grad-CAM pictures use, puts
 * false edges where its hue changes fast (yellow, cyan) and hides differences where it does not.
 * The stops are every 15th of the 256 entries of matplotlib's {@code _viridis_data}; between them the colour is
 * interpolated linearly, within one level of 255 of the full table.
 */
public final class Colormap {
    private Colormap() {}

    /** matplotlib's _viridis_data entries 0, 15, 30, ..., 255: sRGB in [0, 1]. */
    private static final float[][] VIRIDIS = {
            {0.267004f, 0.004874f, 0.329415f}, {0.281924f, 0.089666f, 0.412415f}, {0.280255f, 0.165693f, 0.476498f},
            {0.263663f, 0.237631f, 0.518762f}, {0.237441f, 0.305202f, 0.541921f}, {0.208623f, 0.367752f, 0.552675f},
            {0.182256f, 0.426184f, 0.557120f}, {0.159194f, 0.482237f, 0.558073f}, {0.137770f, 0.537492f, 0.554906f},
            {0.121148f, 0.592739f, 0.544641f}, {0.128087f, 0.647749f, 0.523491f}, {0.180653f, 0.701402f, 0.488189f},
            {0.274149f, 0.751988f, 0.436601f}, {0.395174f, 0.797475f, 0.367757f}, {0.535621f, 0.835785f, 0.281908f},
            {0.688944f, 0.865448f, 0.182725f}, {0.845561f, 0.887322f, 0.099702f}, {0.993248f, 0.906157f, 0.143936f},
    };

    /**
     * The colour of a value.
     *
     * @param t in [0, 1]; below is 0, above (and NaN) is 1
     * @return {@code 0xRRGGBB}
     */
    public static int viridis(double t) {
        double s = (Double.isNaN(t) ? 1 : Math.clamp(t, 0, 1)) * (VIRIDIS.length - 1);
        int i = Math.min((int) s, VIRIDIS.length - 2);
        double f = s - i;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
            double v = VIRIDIS[i][c] * (1 - f) + VIRIDIS[i + 1][c] * f;
            rgb = rgb << 8 | (int) Math.round(255 * v);
        }
        return rgb;
    }
}
