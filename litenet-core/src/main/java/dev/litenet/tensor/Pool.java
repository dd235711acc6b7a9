package dev.litenet.tensor;

/** Global average pooling, as {@code adaptive_avg_pool2d(x, 1).flatten(1)}: (N,H,W,C) -> (N,C), and back. */
public final class Pool {
    private Pool() {}

    /**
     * Each channel summed in float over the pixels in order, then divided by their number. The sums run a row of
     * channels at a time through {@link ChannelOps#sumRow} (vectors of channels; MobileNetV3 averages every
     * squeeze-and-excitation input), the same additions in the same order as a plain loop.
     */
    public static Tensor globalAverage(Tensor x) {
        Tensor y = Tensor.zeros(x.dim(0), x.dim(3));
        globalAverage(x, y.data);
        return y;
    }

    /** The same into {@code y} (N·C values, every one written): inference takes y from {@link Scratch}. */
    public static void globalAverage(Tensor x, float[] y) {
        int N = x.dim(0), HW = x.dim(1) * x.dim(2), C = x.dim(3);
        float[] sum = Scratch.floats(C);
        for (int n = 0; n < N; n++) {
            java.util.Arrays.fill(sum, 0f);
            for (int p = 0; p < HW; p++) ChannelOps.sumRow(x.data, null, (n * HW + p) * C, C, sum);
            for (int c = 0; c < C; c++) y[n * C + c] = sum[c] / HW;
        }
        Scratch.release(sum);
    }

    /** dL/dx of the average: every pixel receives dy / (H·W). dy (N,C) -> dx (N,H,W,C). */
    public static Tensor globalAverageBackward(Tensor dy, int H, int W) {
        int N = dy.dim(0), C = dy.dim(1), HW = H * W;
        Tensor dx = Tensor.zeros(N, H, W, C);
        for (int n = 0; n < N; n++)
            for (int p = 0; p < HW; p++)
                for (int c = 0; c < C; c++) dx.data[(n * HW + p) * C + c] = dy.data[n * C + c] / HW;
        return dx;
    }
}
