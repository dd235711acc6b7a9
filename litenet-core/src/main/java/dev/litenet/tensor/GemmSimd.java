package dev.litenet.tensor;

import dev.litenet.tensor.Gemm.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel behind {@link Gemm}: {@code C[M,N] = epilogue(A[M,K] · B[K,N])} over 4×(4·V) register tiles,
 * tiles spread over the thread pool; each element of C is an {@code fma} chain in the order of K, as in
 * {@link Gemm#scalar}. Loaded only when {@link Simd#ENABLED}; {@link Gemm#reference} is its
 * specification.
 */
final class GemmSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 4, NR = 4 * V;   // register tile: 4 rows × 4 vectors (16 accumulators)

    private GemmSimd() {}

    // C[M,N] = epilogue(A·B) for K ≤ 512 ({@link Gemm#multiply} splits a longer K): A (M,K) at
    // a[aOff + i*rsA + p*csA], B (K,N) row stride ldb, C (M,N) row stride ldc
    static void tiles(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        if (e.bias() != null && e.bias().length % V != 0) {
            // a masked load that reaches past the end of its array takes a slow path: pad the bias to whole vectors
            e = new Epilogue(e.accumulate(), java.util.Arrays.copyOf(e.bias(), (e.bias().length + V - 1) / V * V), e.lo(), e.hi());
        }
        if (N <= 2 * V && N % V != 0 && M >= 8) {
            narrow(M, N, K, a, aOff, rsA, csA, b, bOff, ldb, c, cOff, ldc, e);
            return;
        }
        Epilogue ep = e;
        int rowTiles = M / MR, colTiles = (N + NR - 1) / NR, done = rowTiles * MR;
        long flopsPerTile = 2L * MR * NR * K;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, flopsPerTile));
        // consecutive tiles share the larger operand: a panel of B's columns (few pixels, many channels) or a band
        // of A's rows (many pixels), so it is read from memory once and from cache after
        boolean columnsFirst = (long) N > M;
        Parallel.range(rowTiles * colTiles, grain, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (columnsFirst ? t % rowTiles : t / colTiles) * MR, j0 = (columnsFirst ? t / rowTiles : t % colTiles) * NR;
                tile4(K, a, aOff + i0 * rsA, rsA, csA, b, bOff + j0, ldb, c, cOff + i0 * ldc + j0, ldc, N - j0, ep, j0);
            }
        });
        if (done < M) rows(M - done, N, K, a, aOff + done * rsA, rsA, csA, b, bOff, ldb, c, cOff + done * ldc, ldc, e);
    }

    /**
     * C[M,N] = epilogue(A·B) for a narrow C that ends in a partial vector (N ≤ 2V, not a multiple of V: a projection
     * to 24 channels): four rows of one partial vector would leave few sums to run at once, so tiles are eight rows
     * tall. B's few columns are first copied into whole zero-padded vectors; C's last vector is stored under a mask.
     */
    private static void narrow(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, Epilogue e) {
        int vectors = N <= V ? 1 : 2, width = vectors * V;
        float[] padded = new float[K * width];
        for (int p = 0; p < K; p++) System.arraycopy(b, bOff + p * ldb, padded, p * width, N);
        float[] bias = e.bias() == null ? new float[width] : e.bias().length >= width ? e.bias() : java.util.Arrays.copyOf(e.bias(), width);
        int tiles = (M + 7) / 8;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, 16L * width * K));
        Parallel.range(tiles, grain, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = t * 8, rows = Math.min(8, M - i0);
                for (int v = 0; v < vectors; v++) {
                    if (rows == 8) narrow8(K, a, aOff + i0 * rsA, rsA, csA, padded, v * V, width, c, cOff + i0 * ldc + v * V, ldc, e, bias, v * V, N);
                    else for (int i = 0; i < rows; i++) narrow1(K, a, aOff + (i0 + i) * rsA, csA, padded, v * V, width, c, cOff + (i0 + i) * ldc + v * V, e, bias, v * V, N);
                }
            }
        });
    }

    // c[8, V] (+)= a[8, K] · b[K, V] (b padded, row stride width), columns j0.. of N stored (the mask made here: a
    // mask handed to a method that is not inlined would be an object)
    private static void narrow8(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int width,
                                float[] c, int cOff, int ldc, Epilogue e, float[] bias, int j0, int N) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0, bp = bOff, ap = aOff; p < K; p++, bp += width, ap += csA) {
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
        VectorMask<Float> m = S.indexInRange(j0, N);
        FloatVector bv = FloatVector.fromArray(S, bias, j0);
        narrowStore(c0, c, cOff, e, bv, m);
        narrowStore(c1, c, cOff + ldc, e, bv, m);
        narrowStore(c2, c, cOff + 2 * ldc, e, bv, m);
        narrowStore(c3, c, cOff + 3 * ldc, e, bv, m);
        narrowStore(c4, c, cOff + 4 * ldc, e, bv, m);
        narrowStore(c5, c, cOff + 5 * ldc, e, bv, m);
        narrowStore(c6, c, cOff + 6 * ldc, e, bv, m);
        narrowStore(c7, c, cOff + 7 * ldc, e, bv, m);
    }

    // one row of narrow8
    private static void narrow1(int K, float[] a, int aOff, int csA, float[] b, int bOff, int width,
                                float[] c, int cOff, Epilogue e, float[] bias, int j0, int N) {
        FloatVector s = FloatVector.zero(S);
        for (int p = 0, bp = bOff, ap = aOff; p < K; p++, bp += width, ap += csA) s = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), s);
        narrowStore(s, c, cOff, e, FloatVector.fromArray(S, bias, j0), S.indexInRange(j0, N));
    }

    // c[o, o + lanes of m) = clamp(sum (+ c) + bias)
    private static void narrowStore(FloatVector sum, float[] c, int o, Epilogue e, FloatVector bias, VectorMask<Float> m) {
        if (e.accumulate()) sum = sum.add(FloatVector.fromArray(S, c, o, m));
        sum.add(bias).max(e.lo()).min(e.hi()).intoArray(c, o, m);
    }

    // c[4, min(4V, left)] (+)= a[4, K] · b[K, ...]: whole vectors unmasked, a last partial vector on its own
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
        int chunk = 16 * V;
        Parallel.range((N + chunk - 1) / chunk, 1, (from, to) -> {
            int j0 = from * chunk, cols = Math.min(N, to * chunk) - j0;
            float[] sum = new float[(cols + V - 1) / V * V];                // whole vectors: the last one stays in range
            for (int i = 0; i < M; i++) {
                java.util.Arrays.fill(sum, 0f);
                for (int p = 0; p < K; p++) axpy(a[aOff + i * rsA + p * csA], b, bOff + p * ldb + j0, sum, cols);
                for (int j = 0; j < cols; j++) {
                    int o = cOff + i * ldc + j0 + j;
                    c[o] = Gemm.finish(e.accumulate() ? sum[j] + c[o] : sum[j], e.bias() == null ? 0f : e.bias()[j0 + j], e.lo(), e.hi());
                }
            }
        });
    }

    // sum[0, n) += x · b[bp, bp + n), the last partial vector under a mask
    private static void axpy(float x, float[] b, int bp, float[] sum, int n) {
        FloatVector xv = FloatVector.broadcast(S, x);
        int j = 0;
        for (; j <= n - V; j += V) xv.fma(FloatVector.fromArray(S, b, bp + j), FloatVector.fromArray(S, sum, j)).intoArray(sum, j);
        if (j < n) {
            VectorMask<Float> m = S.indexInRange(j, n);
            xv.fma(FloatVector.fromArray(S, b, bp + j, m), FloatVector.fromArray(S, sum, j)).intoArray(sum, j);
        }
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

    // c[4, cols] (+)= a[4, K] · b[K, cols] for cols < V. B's rows are loaded as whole vectors while that stays
    // inside the array (lanes past the last column read the next row and are never stored), the last rows under a
    // mask. The sums leave through a small array and masked work runs in small methods of its own: HotSpot's
    // first-tier compiler gives up on large masked Vector API methods, and one it gives up on can stay slow.
    private static void tile4x1Partial(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                       float[] c, int cOff, int ldc, int cols, Epilogue e, int j0) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        int unmasked = rowsWithin(b.length, bOff, ldb, K), p = 0;
        for (int bp = bOff, ap = 0; p < unmasked; p++, bp += ldb, ap += csA) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(b0, c3);
        }
        float[] sums = new float[MR * V];
        c0.intoArray(sums, 0); c1.intoArray(sums, V); c2.intoArray(sums, 2 * V); c3.intoArray(sums, 3 * V);
        for (; p < K; p++) {
            for (int i = 0; i < MR; i++) rowStep(a[aOff + i * rsA + p * csA], b, bOff + p * ldb, cols, sums, i * V);
        }
        for (int i = 0; i < MR; i++) epilogueRow(sums, i * V, c, cOff + i * ldc, cols, e, j0);
    }

    // sums[s, s + cols) += x · b[bp, bp + cols), under a mask
    private static void rowStep(float x, float[] b, int bp, int cols, float[] sums, int s) {
        VectorMask<Float> m = S.indexInRange(0, cols);
        FloatVector.broadcast(S, x).fma(FloatVector.fromArray(S, b, bp, m), FloatVector.fromArray(S, sums, s)).intoArray(sums, s);
    }

    // c[o, o + cols) = clamp(sums (+ c) (+ bias)), under a mask
    private static void epilogueRow(float[] sums, int s, float[] c, int o, int cols, Epilogue e, int j0) {
        VectorMask<Float> m = S.indexInRange(0, cols);
        FloatVector v = FloatVector.fromArray(S, sums, s);
        if (e.accumulate()) v = v.add(FloatVector.fromArray(S, c, o, m));
        v = v.add(e.bias() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, e.bias(), j0, m));   // + 0 as the others
        v.max(e.lo()).min(e.hi()).intoArray(c, o, m);
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
