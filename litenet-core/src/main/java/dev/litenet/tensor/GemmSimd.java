package dev.litenet.tensor;

import dev.litenet.tensor.Gemm.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel behind {@link Gemm}: {@code C[M,N] = epilogue(A[M,K] · B[K,N])} over 4×(4·V) register tiles,
 * tiles spread over the thread pool; each element of C is an {@code fma} chain in the order of K, as in
 * {@link Gemm#scalar}. Loaded only when {@link Simd#ENABLED}; {@link Gemm#reference} is its
 * specification.
 *
 * <p>No masked vector operation and no vector value crosses a method boundary: HotSpot's optimizing compiler
 * turns Vector API calls into machine instructions only where it inlines them into a method that knows the vector
 * species, and a masked operation or a vector handed to a helper it did not inline (inlining budgets depend on the
 * profile and the order of compilation, so on the process) runs the Java fallback instead, which allocates an
 * object per operation and is an order of magnitude slower. Columns that end in a partial vector are summed in
 * whole vectors (lanes past the last column are never stored) while B's rows stay inside B's array; the sums
 * then go to a small per-thread array, and the last rows of K and the epilogue run in scalar code that rounds as
 * the vector code does ({@code fma} after {@code fma}, then {@link Gemm#finish}).
 */
final class GemmSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 4, NR = 4 * V;   // register tile: 4 rows × 4 vectors (16 accumulators)
    private static final int NARROW_ROWS = 8;
    /** Sums of a partial tile on their way from vector registers to the scalar code: 8 rows of one vector. */
    private static final ThreadLocal<float[]> SPILL = ThreadLocal.withInitial(() -> new float[NARROW_ROWS * V]);

    private GemmSimd() {}

    // C[M,N] = epilogue(A·B) for K ≤ 512 ({@link Gemm#multiply} splits a longer K): A (M,K) at
    // a[aOff + i*rsA + p*csA], B (K,N) row stride ldb, C (M,N) row stride ldc
    static void tiles(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        int done = 0;
        if (N <= 2 * V && M >= NARROW_ROWS) {
            done = M - M % NARROW_ROWS;
            narrow(done, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        }
        int rowTiles = (M - done) / MR, colTiles = (N + NR - 1) / NR, tiles = rowTiles * colTiles;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, 2L * MR * NR * K));
        // consecutive tiles share the larger operand: a panel of B's columns (few pixels, many channels) or a band
        // of A's rows (many pixels), so it is read from memory once and from cache after
        boolean columnsFirst = (long) N > M;
        int a0 = aOff + done * rsA, c0 = cOff + done * ldc;
        if (Parallel.serial(tiles, grain)) tileRange(0, tiles, rowTiles, colTiles, columnsFirst, N, K, a, a0, rsA, csA, b, bOff, ldb, c, c0, ldc, e);
        else Gemm.Split.of(Gemm.Split.TILES, M, N, K, a, a0, rsA, csA, b, bOff, ldb, c, c0, ldc, e).tiles(rowTiles, colTiles, columnsFirst).over(tiles, grain);
        done += rowTiles * MR;
        if (done < M) rows(M - done, N, K, a, aOff + done * rsA, rsA, csA, b, bOff, ldb, c, cOff + done * ldc, ldc, e);
    }

    // 4×(4V) tiles [from, to) of C, in the order tiles() chose
    static void tileRange(int from, int to, int rowTiles, int colTiles, boolean columnsFirst, int N, int K,
                          float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, Epilogue e) {
        for (int t = from; t < to; t++) {
            int i0 = (columnsFirst ? t % rowTiles : t / colTiles) * MR, j0 = (columnsFirst ? t / rowTiles : t % colTiles) * NR;
            tile4(K, a, aOff + i0 * rsA, rsA, csA, b, bOff + j0, ldb, c, cOff + i0 * ldc + j0, ldc, N - j0, e, j0);
        }
    }

    /**
     * C[M,N] = epilogue(A·B) for M a multiple of 8 and a narrow C (N ≤ 2V: the stem's 32 channels, a projection to
     * 16 or 24): four rows of one or two vectors would leave 4 or 8 sums to run at once, fewer than the FMA units
     * keep in flight, and load a row of A per one or two FMAs; tiles eight rows tall keep 8 or 16 sums going. Two
     * whole vectors of columns go at once, fewer one vector at a time, a partial one last.
     */
    private static void narrow(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        int tiles = M / NARROW_ROWS;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, 2L * NARROW_ROWS * N * K));
        if (Parallel.serial(tiles, grain)) narrowRange(0, tiles, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        else Gemm.Split.of(Gemm.Split.NARROW, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e).over(tiles, grain);
    }

    // 8-row tiles [from, to) of a narrow C: its whole vector of columns (when N > V), then its partial one
    static void narrowRange(int from, int to, int N, int K, float[] a, int aOff, int rsA, int csA,
                            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        float[] sums = SPILL.get();
        for (int t = from; t < to; t++) {
            int ai = aOff + t * NARROW_ROWS * rsA, ci = cOff + t * NARROW_ROWS * ldc, j0 = N > V ? V : 0;
            if (N == 2 * V) {
                narrow8x2(K, a, ai, rsA, csA, b, bOff, ldb, c, ci, ldc, e);
                continue;
            }
            if (N == V) {
                narrow8(K, a, ai, rsA, csA, b, bOff, ldb, sums);
                storeWhole(NARROW_ROWS, sums, c, ci, ldc, e, 0);
                continue;
            }
            if (N > V) {
                narrow8(K, a, ai, rsA, csA, b, bOff, ldb, sums);
                storeWhole(NARROW_ROWS, sums, c, ci, ldc, e, 0);
            }
            int within = rowsWithin(b.length, bOff + j0, ldb, K);
            narrow8(within, a, ai, rsA, csA, b, bOff + j0, ldb, sums);
            finishPartial(NARROW_ROWS, within, K, a, ai, rsA, csA, b, bOff + j0, ldb, c, ci + j0, ldc, N - j0, e, j0, sums);
        }
    }

    // sums[8, V] = a[8, K] · b[K, V] (the vector at b[bOff + p*ldb] inside b's array for every p < K)
    private static void narrow8(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb, float[] sums) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0, bp = bOff, ap = aOff; p < K; p++, bp += ldb, ap += csA) {
            FloatVector bv = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ap + rsA]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ap + 2 * rsA]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ap + 3 * rsA]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ap + 4 * rsA]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ap + 5 * rsA]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ap + 6 * rsA]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ap + 7 * rsA]).fma(bv, c7);
        }
        c0.intoArray(sums, 0); c1.intoArray(sums, V); c2.intoArray(sums, 2 * V); c3.intoArray(sums, 3 * V);
        c4.intoArray(sums, 4 * V); c5.intoArray(sums, 5 * V); c6.intoArray(sums, 6 * V); c7.intoArray(sums, 7 * V);
    }

    // c[8, 2V] (+)= a[8, K] · b[K, 2V], then the epilogue: sixteen sums in registers
    private static void narrow8x2(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, Epilogue e) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00,
                c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0, bp = bOff, ap = aOff; p < K; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ap + rsA]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * rsA]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * rsA]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ap + 4 * rsA]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ap + 5 * rsA]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ap + 6 * rsA]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ap + 7 * rsA]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        // the epilogue written out here: vector values handed to a helper method would not stay in registers
        FloatVector b0 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), 0);
        FloatVector b1 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), V);
        float lo = e.lo(), hi = e.hi();
        int r1 = cOff + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc, r5 = r4 + ldc, r6 = r5 + ldc, r7 = r6 + ldc;
        if (e.accumulate()) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff)); c01 = c01.add(FloatVector.fromArray(S, c, cOff + V));
            c10 = c10.add(FloatVector.fromArray(S, c, r1)); c11 = c11.add(FloatVector.fromArray(S, c, r1 + V));
            c20 = c20.add(FloatVector.fromArray(S, c, r2)); c21 = c21.add(FloatVector.fromArray(S, c, r2 + V));
            c30 = c30.add(FloatVector.fromArray(S, c, r3)); c31 = c31.add(FloatVector.fromArray(S, c, r3 + V));
            c40 = c40.add(FloatVector.fromArray(S, c, r4)); c41 = c41.add(FloatVector.fromArray(S, c, r4 + V));
            c50 = c50.add(FloatVector.fromArray(S, c, r5)); c51 = c51.add(FloatVector.fromArray(S, c, r5 + V));
            c60 = c60.add(FloatVector.fromArray(S, c, r6)); c61 = c61.add(FloatVector.fromArray(S, c, r6 + V));
            c70 = c70.add(FloatVector.fromArray(S, c, r7)); c71 = c71.add(FloatVector.fromArray(S, c, r7 + V));
        }
        c00.add(b0).max(lo).min(hi).intoArray(c, cOff); c01.add(b1).max(lo).min(hi).intoArray(c, cOff + V);
        c10.add(b0).max(lo).min(hi).intoArray(c, r1); c11.add(b1).max(lo).min(hi).intoArray(c, r1 + V);
        c20.add(b0).max(lo).min(hi).intoArray(c, r2); c21.add(b1).max(lo).min(hi).intoArray(c, r2 + V);
        c30.add(b0).max(lo).min(hi).intoArray(c, r3); c31.add(b1).max(lo).min(hi).intoArray(c, r3 + V);
        c40.add(b0).max(lo).min(hi).intoArray(c, r4); c41.add(b1).max(lo).min(hi).intoArray(c, r4 + V);
        c50.add(b0).max(lo).min(hi).intoArray(c, r5); c51.add(b1).max(lo).min(hi).intoArray(c, r5 + V);
        c60.add(b0).max(lo).min(hi).intoArray(c, r6); c61.add(b1).max(lo).min(hi).intoArray(c, r6 + V);
        c70.add(b0).max(lo).min(hi).intoArray(c, r7); c71.add(b1).max(lo).min(hi).intoArray(c, r7 + V);
    }

    // c[i, j0 .. j0+V) = clamp(sums[i] (+ c) + bias) for rows [0, rows): whole vectors of columns
    private static void storeWhole(int rows, float[] sums, float[] c, int cOff, int ldc, Epilogue e, int j0) {
        FloatVector bias = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j0);
        float lo = e.lo(), hi = e.hi();
        for (int i = 0, o = cOff; i < rows; i++, o += ldc) {
            FloatVector v = FloatVector.fromArray(S, sums, i * V);
            if (e.accumulate()) v = v.add(FloatVector.fromArray(S, c, o));
            v.add(bias).max(lo).min(hi).intoArray(c, o);
        }
    }

    /**
     * The end of a partial tile in scalar code: rows [0, rows) of {@code cols} (< V) columns whose sums over
     * p < from are in sums[i*V + j]; the rest of K, then the epilogue, rounded as the vector code rounds.
     */
    private static void finishPartial(int rows, int from, int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                      float[] c, int cOff, int ldc, int cols, Epilogue e, int j0, float[] sums) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float s = sums[i * V + j];
                for (int p = from; p < K; p++) s = Math.fma(a[aOff + i * rsA + p * csA], b[bOff + p * ldb + j], s);
                int o = cOff + i * ldc + j;
                c[o] = Gemm.finish(e.accumulate() ? s + c[o] : s, Gemm.biasAt(e.bias(), j0 + j), e.lo(), e.hi());
            }
        }
    }

    // c[4, min(4V, left)] (+)= a[4, K] · b[K, ...]: whole vectors, then a last partial one
    private static void tile4(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int left, Epilogue e, int j0) {
        if (left >= 4 * V) {
            tile4x4Full(K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e, j0);
            return;
        }
        int j = 0;
        if (left >= 2 * V) {
            tile4x2Full(K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e, j0);
            j = 2 * V;
        }
        if (left - j >= V) {
            tile4x1Full(K, a, aOff, rsA, csA, b, bOff + j, ldb, c, cOff + j, ldc, e, j0 + j);
            j += V;
        }
        if (left > j) tile4x1Partial(K, a, aOff, rsA, csA, b, bOff + j, ldb, c, cOff + j, ldc, left - j, e, j0 + j);
    }

    // up to three rows of C (a linear layer on one image, the rows left after the 4-row tiles): B streamed row by
    // row, each row of C summed in a buffer; columns split over threads
    private static void rows(int M, int N, int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, Epilogue e) {
        int chunks = (N + ROW_CHUNK - 1) / ROW_CHUNK;
        if (Parallel.serial(chunks, 1)) rowChunks(0, chunks, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
        else Gemm.Split.of(Gemm.Split.ROWS, M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e).over(chunks, 1);
    }

    private static final int ROW_CHUNK = 16 * V;

    // columns [from·ROW_CHUNK, to·ROW_CHUNK) ∩ [0, N) of rows()
    static void rowChunks(int from, int to, int M, int N, int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, Epilogue e) {
        int j0 = from * ROW_CHUNK, cols = Math.min(N, to * ROW_CHUNK) - j0;
        float[] sum = Scratch.floats(cols);
        for (int i = 0; i < M; i++) {
            java.util.Arrays.fill(sum, 0f);
            for (int p = 0; p < K; p++) axpy(a[aOff + i * rsA + p * csA], b, bOff + p * ldb + j0, sum, cols);
            for (int j = 0; j < cols; j++) {
                int o = cOff + i * ldc + j0 + j;
                c[o] = Gemm.finish(e.accumulate() ? sum[j] + c[o] : sum[j], Gemm.biasAt(e.bias(), j0 + j), e.lo(), e.hi());
            }
        }
        Scratch.release(sum);
    }

    // sum[0, n) += x · b[bp, bp + n): whole vectors, then the last few columns in scalar code (the same fma)
    private static void axpy(float x, float[] b, int bp, float[] sum, int n) {
        FloatVector xv = FloatVector.broadcast(S, x);
        int j = 0;
        for (; j <= n - V; j += V) xv.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, sum, j)).intoArray(sum, j);
        for (; j < n; j++) sum[j] = Math.fma(x, b[bp + j], sum[j]);
    }

    private static void tile4x4Full(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, Epilogue e, int j0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00,
                c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        for (int p = 0, bp = bOff, ap = 0; p < K; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + V),
                    b2 = FloatVector.fromArray(S, b, bp + 2 * V), b3 = FloatVector.fromArray(S, b, bp + 3 * V);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        // the epilogue written out here: vector values handed to a helper method would not stay in registers
        FloatVector zero = FloatVector.zero(S);
        FloatVector b0 = e.bias() == null ? zero : FloatVector.fromArray(S, e.bias(), j0), b1 = e.bias() == null ? zero : FloatVector.fromArray(S, e.bias(), j0 + V),
                b2 = e.bias() == null ? zero : FloatVector.fromArray(S, e.bias(), j0 + 2 * V), b3 = e.bias() == null ? zero : FloatVector.fromArray(S, e.bias(), j0 + 3 * V);
        float lo = e.lo(), hi = e.hi();
        int o0 = cOff;
        if (e.accumulate()) {
            c00 = c00.add(FloatVector.fromArray(S, c, o0)); c01 = c01.add(FloatVector.fromArray(S, c, o0 + V));
            c02 = c02.add(FloatVector.fromArray(S, c, o0 + 2 * V)); c03 = c03.add(FloatVector.fromArray(S, c, o0 + 3 * V));
        }
        c00.add(b0).max(lo).min(hi).intoArray(c, o0); c01.add(b1).max(lo).min(hi).intoArray(c, o0 + V);
        c02.add(b2).max(lo).min(hi).intoArray(c, o0 + 2 * V); c03.add(b3).max(lo).min(hi).intoArray(c, o0 + 3 * V);
        int o1 = cOff + ldc;
        if (e.accumulate()) {
            c10 = c10.add(FloatVector.fromArray(S, c, o1)); c11 = c11.add(FloatVector.fromArray(S, c, o1 + V));
            c12 = c12.add(FloatVector.fromArray(S, c, o1 + 2 * V)); c13 = c13.add(FloatVector.fromArray(S, c, o1 + 3 * V));
        }
        c10.add(b0).max(lo).min(hi).intoArray(c, o1); c11.add(b1).max(lo).min(hi).intoArray(c, o1 + V);
        c12.add(b2).max(lo).min(hi).intoArray(c, o1 + 2 * V); c13.add(b3).max(lo).min(hi).intoArray(c, o1 + 3 * V);
        int o2 = cOff + 2 * ldc;
        if (e.accumulate()) {
            c20 = c20.add(FloatVector.fromArray(S, c, o2)); c21 = c21.add(FloatVector.fromArray(S, c, o2 + V));
            c22 = c22.add(FloatVector.fromArray(S, c, o2 + 2 * V)); c23 = c23.add(FloatVector.fromArray(S, c, o2 + 3 * V));
        }
        c20.add(b0).max(lo).min(hi).intoArray(c, o2); c21.add(b1).max(lo).min(hi).intoArray(c, o2 + V);
        c22.add(b2).max(lo).min(hi).intoArray(c, o2 + 2 * V); c23.add(b3).max(lo).min(hi).intoArray(c, o2 + 3 * V);
        int o3 = cOff + 3 * ldc;
        if (e.accumulate()) {
            c30 = c30.add(FloatVector.fromArray(S, c, o3)); c31 = c31.add(FloatVector.fromArray(S, c, o3 + V));
            c32 = c32.add(FloatVector.fromArray(S, c, o3 + 2 * V)); c33 = c33.add(FloatVector.fromArray(S, c, o3 + 3 * V));
        }
        c30.add(b0).max(lo).min(hi).intoArray(c, o3); c31.add(b1).max(lo).min(hi).intoArray(c, o3 + V);
        c32.add(b2).max(lo).min(hi).intoArray(c, o3 + 2 * V); c33.add(b3).max(lo).min(hi).intoArray(c, o3 + 3 * V);
    }

    private static void tile4x1Full(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, Epilogue e, int j0) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        for (int p = 0, bp = bOff, ap = 0; p < K; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, c3);
        }
        FloatVector bias = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j0);
        int r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        if (e.accumulate()) {
            c0 = c0.add(FloatVector.fromArray(S, c, cOff)); c1 = c1.add(FloatVector.fromArray(S, c, r1));
            c2 = c2.add(FloatVector.fromArray(S, c, r2)); c3 = c3.add(FloatVector.fromArray(S, c, r3));
        }
        float lo = e.lo(), hi = e.hi();
        c0.add(bias).max(lo).min(hi).intoArray(c, cOff); c1.add(bias).max(lo).min(hi).intoArray(c, r1);
        c2.add(bias).max(lo).min(hi).intoArray(c, r2); c3.add(bias).max(lo).min(hi).intoArray(c, r3);
    }

    // c[4, cols] (+)= a[4, K] · b[K, cols] for cols < V: B's rows as whole vectors while they stay inside its array,
    // the rest in finishPartial
    private static void tile4x1Partial(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                       float[] c, int cOff, int ldc, int cols, Epilogue e, int j0) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        int within = rowsWithin(b.length, bOff, ldb, K);
        for (int p = 0, bp = bOff, ap = 0; p < within; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, c3);
        }
        float[] sums = SPILL.get();
        c0.intoArray(sums, 0); c1.intoArray(sums, V); c2.intoArray(sums, 2 * V); c3.intoArray(sums, 3 * V);
        finishPartial(MR, within, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, cols, e, j0, sums);
    }

    private static void tile4x2Full(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                    float[] c, int cOff, int ldc, Epilogue e, int j0) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        for (int p = 0, bp = bOff, ap = 0; p < K; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp), b1 = FloatVector.fromArray(S, b, bp + V);
            FloatVector x = FloatVector.broadcast(S, a[a0 + ap]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + ap]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + ap]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + ap]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        // the epilogue written out here: vector values handed to a helper method would not stay in registers
        FloatVector b0 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j0);
        FloatVector b1 = e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j0 + V);
        int r1 = cOff + ldc, r2 = cOff + 2 * ldc, r3 = cOff + 3 * ldc;
        if (e.accumulate()) {
            c00 = c00.add(FloatVector.fromArray(S, c, cOff)); c01 = c01.add(FloatVector.fromArray(S, c, cOff + V));
            c10 = c10.add(FloatVector.fromArray(S, c, r1)); c11 = c11.add(FloatVector.fromArray(S, c, r1 + V));
            c20 = c20.add(FloatVector.fromArray(S, c, r2)); c21 = c21.add(FloatVector.fromArray(S, c, r2 + V));
            c30 = c30.add(FloatVector.fromArray(S, c, r3)); c31 = c31.add(FloatVector.fromArray(S, c, r3 + V));
        }
        float lo = e.lo(), hi = e.hi();
        c00.add(b0).max(lo).min(hi).intoArray(c, cOff); c01.add(b1).max(lo).min(hi).intoArray(c, cOff + V);
        c10.add(b0).max(lo).min(hi).intoArray(c, r1); c11.add(b1).max(lo).min(hi).intoArray(c, r1 + V);
        c20.add(b0).max(lo).min(hi).intoArray(c, r2); c21.add(b1).max(lo).min(hi).intoArray(c, r2 + V);
        c30.add(b0).max(lo).min(hi).intoArray(c, r3); c31.add(b1).max(lo).min(hi).intoArray(c, r3 + V);
    }

    /** How many of the K rows at {@code start + p*ldb} can be read as a whole vector inside an array of {@code length}. */
    private static int rowsWithin(int length, int start, int ldb, int K) {
        long room = (long) length - start - V;                      // the last start a whole vector fits after
        return room < 0 ? 0 : (int) Math.min(K, room / ldb + 1);
    }
}
