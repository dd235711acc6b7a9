package dev.litenet.tensor;

/**
 * A convolution over an input of few channels (a network's stem) run straight from the image, when the Vector API
 * kernels run: the same bits as {@link Im2col#unfold} followed by {@link Gemm#multiply}, which is its reference and
 * what runs otherwise (see {@link DirectConvSimd}).
 */
public final class DirectConv {
    /** Most values of one unfolded row (k·k·C) this kernel takes: a 3×3 filter over up to 3 channels is 27. */
    static final int MAX_TAPS = 32;

    private DirectConv() {}

    /** Whether {@link #forward} takes a k×k convolution of C input and {@code out} output channels now. */
    public static boolean runs(int C, int k, int out) {
        return C * k * k <= MAX_TAPS && Simd.vectorKernelsRunning() && DirectConvSimd.fits(out);
    }

    /**
     * y (N,outH,outW,out) = epilogue(conv(x (N,H,W,C), w)), w stored as {@code [kh][kw][cin][cout]}; only where
     * {@link #runs} says so, with an epilogue that does not accumulate.
     */
    public static void forward(float[] x, int N, int C, Padding.Geometry g, float[] w, int out, Gemm.Epilogue e, float[] y) {
        if (e.accumulate()) throw new IllegalArgumentException("a direct convolution stores, it does not accumulate");
        DirectConvSimd.forward(x, N, C, g, w, out, e, y);
    }
}
