package dev.litenet.tensor;

/**
 * Matrix multiply {@code C[M,N] (+)= A[M,K] · B[K,N]}, the workhorse of 1×1 convolutions, linear layers and
 * their gradients. B and C are row-major (row strides {@code ldb}, {@code ldc}); A is read through two strides,
 * element (i, p) at {@code a[aOff + i*rsA + p*csA]}, so {@code Aᵀ·B} (weight gradients) needs no copy.
 * {@link #multiply} runs the Vector API kernel ({@link GemmSimd}) or {@link #scalar}, as {@link Simd} decides; the
 * two give the same bits. {@link #reference} is the specification both are tested against.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * What happens to a finished tile: stored, added to C, or (for a folded conv) {@code min(hi, max(lo, v + bias[j]))}.
     * Doing this in the tile's registers saves a pass over the output.
     */
    public record Epilogue(boolean accumulate, float[] bias, float lo, float hi) {
        public static final Epilogue STORE = new Epilogue(false, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        public static final Epilogue ACCUMULATE = new Epilogue(true, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** Plain triple loop: C[M,N] (+)= A[M,K]·B[K,N], the specification the kernels are tested against. */
    public static void reference(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        reference(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, accumulate ? Epilogue.ACCUMULATE : Epilogue.STORE);
    }

    /** Plain triple loop with the epilogue: C[M,N] = clamp(A·B (+ C) (+ bias)). */
    public static void reference(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                float s = e.accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < K; p++) s += a[aOff + i * rsA + p * csA] * b[bOff + p * ldb + j];
                if (e.bias != null) s += e.bias[j];
                c[cOff + i * ldc + j] = Math.min(e.hi, Math.max(e.lo, s));
            }
        }
    }

    /** Row-major convenience: C[M,N] (+)= A[M,K]·B[K,N], all contiguous. */
    public static void multiply(int M, int N, int K, float[] a, float[] b, float[] c, boolean accumulate) {
        multiply(M, N, K, a, 0, K, 1, b, 0, N, c, 0, N, accumulate);
    }

    /** C[M,N] (+)= A[M,K]·B[K,N] through strides. */
    public static void multiply(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        multiply(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, accumulate ? Epilogue.ACCUMULATE : Epilogue.STORE);
    }

    /** C[M,N] = epilogue(A·B), all row-major contiguous (a 1×1 conv or im2col GEMM with its bias and clamp). */
    public static void multiply(int M, int N, int K, float[] a, float[] b, float[] c, Epilogue epilogue) {
        multiply(M, N, K, a, 0, K, 1, b, 0, N, c, 0, N, epilogue);
    }

    /**
     * C[M,N] = epilogue(A[M,K]·B[K,N]) through strides: the one entry every overload ends in. Both kernels sum
     * every element of C alike, {@code fma} after {@code fma} in the order of K (a long K in blocks of 256, each
     * block's sum added to the previous ones in C), so they give the same bits and either may run any call.
     */
    public static void multiply(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        if (K <= 2 * K_BLOCK) {
            tiles(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
            return;
        }
        // A long K (a weight gradient sums over every pixel of the batch; the classifier reads 1280 features) in
        // blocks, so the rows of A and B that all tiles read stay in cache between tiles. Each block's sum is added
        // to C; the bias and clamp then take one pass over C, which rounds as the last block's epilogue would:
        // clamp((sum + C) + bias).
        for (int k0 = 0; k0 < K; k0 += K_BLOCK) {
            int kb = Math.min(K_BLOCK, K - k0);
            tiles(M, N, kb, a, aOff + k0 * csA, rsA, csA, b, bOff + k0 * ldb, ldb, c, cOff, ldc,
                    k0 > 0 || e.accumulate() ? Epilogue.ACCUMULATE : Epilogue.STORE);
        }
        if (e.bias() != null || e.lo() != Float.NEGATIVE_INFINITY || e.hi() != Float.POSITIVE_INFINITY) {
            for (int i = 0; i < M; i++) {
                for (int j = 0, o = cOff + i * ldc; j < N; j++, o++) c[o] = finish(c[o], biasAt(e.bias(), j), e.lo(), e.hi());
            }
        }
    }

    private static final int K_BLOCK = 256;

    private static void tiles(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                              float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        if (Simd.vectorFor(2L * M * N * K)) GemmSimd.tiles(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        else scalar(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
    }

    /**
     * Scalar kernel, C[M,N] = epilogue(A[M,K]·B[K,N]) for K ≤ 512: 4×4 tiles of C summed in sixteen local
     * variables, tiles spread over the thread pool. Plain code that the first-tier compiler already makes fast,
     * so it serves a cold process (see {@link Simd}) and JVMs without the Vector API.
     */
    static void scalar(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                       float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        int colTiles = (N + 3) / 4, tiles = (M + 3) / 4 * colTiles;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, 32L * K));
        if (Parallel.serial(tiles, grain)) scalarTiles(0, tiles, colTiles, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        else Split.of(Split.SCALAR_TILES, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e).tiles(0, colTiles, false).over(tiles, grain);
    }

    /**
     * One GEMM kernel call split over the thread pool: its operands, set by the calling thread before
     * {@link Parallel#range} and let go after, in one object per thread reused call after call (a lambda capturing
     * the seventeen operands would be an object per call, and inference makes none once warm). A thread has at
     * most one call in flight: chunks run their kernels serially.
     */
    static final class Split implements Parallel.Body {
        static final int SCALAR_TILES = 0, TILES = 1, NARROW = 2, ROWS = 3;
        private static final ThreadLocal<Split> OF_THREAD = ThreadLocal.withInitial(Split::new);
        private int kind, M, N, K, aOff, rsA, csA, bOff, ldb, cOff, ldc, rowTiles, colTiles;
        private boolean columnsFirst;
        private float[] a, b, c;
        private Epilogue e;

        static Split of(int kind, int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                        float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
            Split s = OF_THREAD.get();
            s.kind = kind;
            s.M = M;
            s.N = N;
            s.K = K;
            s.a = a;
            s.aOff = aOff;
            s.rsA = rsA;
            s.csA = csA;
            s.b = b;
            s.bOff = bOff;
            s.ldb = ldb;
            s.c = c;
            s.cOff = cOff;
            s.ldc = ldc;
            s.e = e;
            return s;
        }

        /** The tile grid of the tiled kinds. */
        Split tiles(int rowTiles, int colTiles, boolean columnsFirst) {
            this.rowTiles = rowTiles;
            this.colTiles = colTiles;
            this.columnsFirst = columnsFirst;
            return this;
        }

        /** Runs the call over [0, n) in chunks of at least grain, then lets the operands go. */
        void over(int n, int grain) {
            try {
                Parallel.range(n, grain, this);
            } finally {
                a = b = c = null;
                e = null;
            }
        }

        @Override public void run(int from, int to) {
            switch (kind) {
                case SCALAR_TILES -> scalarTiles(from, to, colTiles, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
                case TILES -> GemmSimd.tileRange(from, to, rowTiles, colTiles, columnsFirst, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
                case NARROW -> GemmSimd.narrowRange(from, to, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
                default -> GemmSimd.rowChunks(from, to, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
            }
        }
    }

    // tiles [from, to) of C in row-major order of 4×4 tiles, colTiles to a row
    private static void scalarTiles(int from, int to, int colTiles, int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        for (int t = from; t < to; t++) {
            int i0 = t / colTiles * 4, j0 = t % colTiles * 4;
            int rows = Math.min(4, M - i0), cols = Math.min(4, N - j0);
            tile(rows, cols, K, a, aOff + i0 * rsA, rsA, csA, b, bOff + j0, ldb, c, cOff + i0 * ldc + j0, ldc, e.accumulate, e.bias, j0, e.lo, e.hi);
        }
    }

    // c[rows, cols] (rows, cols ≤ 4): a whole 4×4 tile in sixteen locals, an edge tile one element at a time
    private static void tile(int rows, int cols, int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean add, float[] bias, int j0, float lo, float hi) {
        if (rows < 4 || cols < 4) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float s = 0;
                    for (int p = 0; p < K; p++) s = Math.fma(a[aOff + i * rsA + p * csA], b[bOff + p * ldb + j], s);
                    int o = cOff + i * ldc + j;
                    c[o] = finish(add ? s + c[o] : s, biasAt(bias, j0 + j), lo, hi);
                }
            }
            return;
        }
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0,
                c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0, ap = aOff, bp = bOff; p < K; p++, ap += csA, bp += ldb) {
            float b0 = b[bp], b1 = b[bp + 1], b2 = b[bp + 2], b3 = b[bp + 3];
            float x = a[ap];
            c00 = Math.fma(x, b0, c00); c01 = Math.fma(x, b1, c01); c02 = Math.fma(x, b2, c02); c03 = Math.fma(x, b3, c03);
            x = a[ap + rsA];
            c10 = Math.fma(x, b0, c10); c11 = Math.fma(x, b1, c11); c12 = Math.fma(x, b2, c12); c13 = Math.fma(x, b3, c13);
            x = a[ap + 2 * rsA];
            c20 = Math.fma(x, b0, c20); c21 = Math.fma(x, b1, c21); c22 = Math.fma(x, b2, c22); c23 = Math.fma(x, b3, c23);
            x = a[ap + 3 * rsA];
            c30 = Math.fma(x, b0, c30); c31 = Math.fma(x, b1, c31); c32 = Math.fma(x, b2, c32); c33 = Math.fma(x, b3, c33);
        }
        if (add) {                                                      // (+ C) first, as the vector kernel
            int o = cOff;
            c00 += c[o]; c01 += c[o + 1]; c02 += c[o + 2]; c03 += c[o + 3];
            o += ldc;
            c10 += c[o]; c11 += c[o + 1]; c12 += c[o + 2]; c13 += c[o + 3];
            o += ldc;
            c20 += c[o]; c21 += c[o + 1]; c22 += c[o + 2]; c23 += c[o + 3];
            o += ldc;
            c30 += c[o]; c31 += c[o + 1]; c32 += c[o + 2]; c33 += c[o + 3];
        }
        float b0 = biasAt(bias, j0), b1 = biasAt(bias, j0 + 1), b2 = biasAt(bias, j0 + 2), b3 = biasAt(bias, j0 + 3);
        int o = cOff;
        c[o] = finish(c00, b0, lo, hi); c[o + 1] = finish(c01, b1, lo, hi); c[o + 2] = finish(c02, b2, lo, hi); c[o + 3] = finish(c03, b3, lo, hi);
        o += ldc;
        c[o] = finish(c10, b0, lo, hi); c[o + 1] = finish(c11, b1, lo, hi); c[o + 2] = finish(c12, b2, lo, hi); c[o + 3] = finish(c13, b3, lo, hi);
        o += ldc;
        c[o] = finish(c20, b0, lo, hi); c[o + 1] = finish(c21, b1, lo, hi); c[o + 2] = finish(c22, b2, lo, hi); c[o + 3] = finish(c23, b3, lo, hi);
        o += ldc;
        c[o] = finish(c30, b0, lo, hi); c[o + 1] = finish(c31, b1, lo, hi); c[o + 2] = finish(c32, b2, lo, hi); c[o + 3] = finish(c33, b3, lo, hi);
    }

    /**
     * The rest of the epilogue of one element, as both kernels round it: {@code v} is the sum (+ C), then
     * {@code clamp(v + bias)}, a missing bias adding zero.
     */
    static float finish(float v, float bias, float lo, float hi) {
        return Math.min(hi, Math.max(lo, v + bias));
    }

    /** Column j's bias; no bias adds zero, as the vector kernel adds a zero vector. */
    static float biasAt(float[] bias, int j) { return bias == null ? 0f : bias[j]; }
}
