package dev.litenet.tensor;

/**
 * Unfolds k×k patches so a general convolution becomes one {@link Gemm}: patch row {@code (n, oh, ow)} holds
 * {@code x[n, oh*s - padTop + kh, ow*s - padLeft + kw, c]} for kh, kw, c in that order (zero outside the image),
 * which matches a weight stored as {@code [kh][kw][cin][cout]} read as a {@code [k*k*cin, cout]} matrix.
 */
public final class Im2col {
    private Im2col() {}

    /** x (N,H,W,C) -> patches (N*outH*outW, k*k*C). */
    public static float[] unfold(float[] x, int N, int C, Padding.Geometry g) {
        int k = g.k();
        float[] cols = new float[N * g.outH() * g.outW() * k * k * C];
        unfold(x, N, C, g, cols);
        return cols;
    }

    /** The same into {@code cols}, every element written (padding as zeros), so cols may hold garbage before. */
    public static void unfold(float[] x, int N, int C, Padding.Geometry g, float[] cols) {
        int rows = N * g.outH();
        if (Parallel.serial(rows, 8)) unfoldRows(x, C, g, cols, 0, rows);
        else Parallel.range(rows, 8, Parallel.call(Im2col::unfoldRows).objects(x, g, cols, null, null).ints(C, 0, 0, 0));
    }

    // unfoldRows with the operands of unfold's call
    private static void unfoldRows(Parallel.Call c, int from, int to) {
        unfoldRows((float[]) c.o0, c.i0, (Padding.Geometry) c.o1, (float[]) c.o2, from, to);
    }

    // patch rows of output rows [from, to) of the batch
    private static void unfoldRows(float[] x, int C, Padding.Geometry g, float[] cols, int from, int to) {
        int k = g.k(), rowLen = k * k * C;
        for (int r = from; r < to; r++) {
            int n = r / g.outH(), oh = r % g.outH();
            for (int ow = 0; ow < g.outW(); ow++) {
                int dst = ((n * g.outH() + oh) * g.outW() + ow) * rowLen;
                int iw0 = ow * g.stride() - g.padLeft();
                boolean inside = iw0 >= 0 && iw0 + k <= g.inW();
                for (int kh = 0; kh < k; kh++) {
                    int ih = oh * g.stride() - g.padTop() + kh, at = dst + kh * k * C;
                    int src = ((n * g.inH() + ih) * g.inW() + iw0) * C;
                    if (ih < 0 || ih >= g.inH()) {
                        java.util.Arrays.fill(cols, at, at + k * C, 0f);
                    } else if (inside) {                                    // a kernel row is contiguous in NHWC
                        for (int i = 0; i < k * C; i++) cols[at + i] = x[src + i];
                    } else {
                        for (int kw = 0; kw < k; kw++) {
                            int iw = iw0 + kw, into = at + kw * C;
                            if (iw < 0 || iw >= g.inW()) java.util.Arrays.fill(cols, into, into + C, 0f);
                            else System.arraycopy(x, src + kw * C, cols, into, C);
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of unfold: adds patch gradients (N*outH*outW, k*k*C) back into dx (N,H,W,C). */
    public static void fold(float[] cols, int N, int C, Padding.Geometry g, float[] dx) {
        int k = g.k(), rowLen = k * k * C;
        Parallel.range(N, (from, to) -> {                                   // one image per task: no write races
            for (int n = from; n < to; n++) {
                for (int oh = 0; oh < g.outH(); oh++) {
                    for (int ow = 0; ow < g.outW(); ow++) {
                        int src = ((n * g.outH() + oh) * g.outW() + ow) * rowLen;
                        for (int kh = 0; kh < k; kh++) {
                            int ih = oh * g.stride() - g.padTop() + kh;
                            if (ih < 0 || ih >= g.inH()) continue;
                            for (int kw = 0; kw < k; kw++) {
                                int iw = ow * g.stride() - g.padLeft() + kw;
                                if (iw < 0 || iw >= g.inW()) continue;
                                int d = ((n * g.inH() + ih) * g.inW() + iw) * C, s = src + (kh * k + kw) * C;
                                for (int c = 0; c < C; c++) dx[d + c] += cols[s + c];
                            }
                        }
                    }
                }
            }
        });
    }
}
