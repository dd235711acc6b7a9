package dev.litenet.nn;

import dev.litenet.tensor.Tensor;

/**
 * torch's {@code nn.Flatten()}: (N,H,W,C) -> (N, C·H·W) with the values in torch's (C, H, W) order, so that a
 * Linear after it takes torch's weights unchanged. Any other rank keeps its data: (N, ...) -> (N, rest).
 */
public final class Flatten extends Layer {
    private int[] inputShape;

    @Override public Tensor forward(Tensor x) {
        inputShape = x.shape.clone();
        int N = x.dim(0);
        if (x.rank() != 4 || x.dim(3) == 1 || x.dim(1) * x.dim(2) == 1) {   // one order already: a view, as torch's
            return x.reshape(N, x.size() / Math.max(1, N));
        }
        int H = x.dim(1), W = x.dim(2), C = x.dim(3), HW = H * W;
        Tensor y = Tensor.zeros(N, C * HW);
        for (int n = 0; n < N; n++) {
            int base = n * HW * C;
            for (int p = 0; p < HW; p++)
                for (int c = 0; c < C; c++) y.data[base + c * HW + p] = x.data[base + p * C + c];
        }
        return y;
    }

    /** dy (N, C·H·W) in torch's order -> dx (N,H,W,C). */
    @Override public Tensor backward(Tensor dy) {
        if (inputShape == null) throw new IllegalStateException("Flatten.backward before forward");
        if (inputShape.length != 4 || inputShape[3] == 1 || inputShape[1] * inputShape[2] == 1) return dy.reshape(inputShape);
        int N = inputShape[0], H = inputShape[1], W = inputShape[2], C = inputShape[3], HW = H * W;
        Tensor dx = Tensor.zeros(inputShape);
        for (int n = 0; n < N; n++) {
            int base = n * HW * C;
            for (int p = 0; p < HW; p++)
                for (int c = 0; c < C; c++) dx.data[base + p * C + c] = dy.data[base + c * HW + p];
        }
        return dx;
    }

    @Override public String toString() { return "Flatten(start_dim=1, end_dim=-1)"; }
}
