package dev.litenet.tensor;

/** Global average pooling, as {@code adaptive_avg_pool2d(x, 1).flatten(1)}: (N,H,W,C) -> (N,C), and back. */
public final class Pool {
    private Pool() {}

    public static Tensor globalAverage(Tensor x) {
        int N = x.dim(0), HW = x.dim(1) * x.dim(2), C = x.dim(3);
        Tensor y = Tensor.zeros(N, C);
        for (int n = 0; n < N; n++) {
            for (int p = 0; p < HW; p++) {
                int base = (n * HW + p) * C;
                for (int c = 0; c < C; c++) y.data[n * C + c] += x.data[base + c];
            }
            for (int c = 0; c < C; c++) y.data[n * C + c] /= HW;
        }
        return y;
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
