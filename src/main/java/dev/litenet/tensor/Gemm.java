package dev.litenet.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix multiply {@code C[M,N] (+)= A[M,K] · B[K,N]}, the workhorse of 1×1 convolutions, linear layers and
 * their gradients. B and C are row-major (row strides {@code ldb}, {@code ldc}); A is read through two strides,
 * element (i, p) at {@code a[aOff + i*rsA + p*csA]}, so {@code Aᵀ·B} (weight gradients) needs no copy.
 */
public final class Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final int MR = 4, NR = 2 * V;   // register tile: 4 rows × 2 vectors

    private Gemm() {}

    /** Plain triple loop: the specification the fast kernel is tested against. */
    public static void reference(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                float s = accumulate ? c[cOff + i * ldc + j] : 0f;
                for (int p = 0; p < K; p++) s += a[aOff + i * rsA + p * csA] * b[bOff + p * ldb + j];
                c[cOff + i * ldc + j] = s;
            }
        }
    }

    /** Row-major convenience: C[M,N] (+)= A[M,K]·B[K,N], all contiguous. */
    public static void multiply(int M, int N, int K, float[] a, float[] b, float[] c, boolean accumulate) {
        multiply(M, N, K, a, 0, K, 1, b, 0, N, c, 0, N, accumulate);
    }

    /** Vector API kernel over 4×(2·V) register tiles, tiles spread over the thread pool. */
    public static void multiply(int M, int N, int K, float[] a, int aOff, int rsA, int csA,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        int rowTiles = (M + MR - 1) / MR, colTiles = (N + NR - 1) / NR;
        long flopsPerTile = 2L * MR * NR * K;
        int grain = (int) Math.max(1, 200_000 / Math.max(1, flopsPerTile));
        Parallel.range(rowTiles * colTiles, grain, (from, to) -> {
            for (int t = from; t < to; t++) {
                int i0 = (t / colTiles) * MR, j0 = (t % colTiles) * NR;
                int mr = Math.min(MR, M - i0);
                if (mr == MR && j0 + NR <= N) {
                    tile4x2(K, a, aOff + i0 * rsA, rsA, csA, b, bOff + j0, ldb, c, cOff + i0 * ldc + j0, ldc, accumulate);
                } else if (mr == MR) {                                   // right edge, or N narrower than a tile
                    for (int j = j0; j < Math.min(N, j0 + NR); j += V) {
                        tile4x1(K, a, aOff + i0 * rsA, rsA, csA, b, bOff + j, ldb, c, cOff + i0 * ldc + j, ldc, N - j, accumulate);
                    }
                } else {
                    for (int i = i0; i < i0 + mr; i++) {
                        for (int j = j0; j < Math.min(N, j0 + NR); j += V) {
                            row1(K, a, aOff + i * rsA, csA, b, bOff + j, ldb, c, cOff + i * ldc + j, N - j, accumulate);
                        }
                    }
                }
            }
        });
    }

    // c[4, 2V] (+)= a[4, K] · b[K, 2V]
    private static void tile4x2(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean accumulate) {
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
        store(c00, c, cOff, accumulate); store(c01, c, cOff + V, accumulate);
        store(c10, c, cOff + ldc, accumulate); store(c11, c, cOff + ldc + V, accumulate);
        store(c20, c, cOff + 2 * ldc, accumulate); store(c21, c, cOff + 2 * ldc + V, accumulate);
        store(c30, c, cOff + 3 * ldc, accumulate); store(c31, c, cOff + 3 * ldc + V, accumulate);
    }

    // c[4, min(V, left)] (+)= a[4, K] · b[K, min(V, left)], masked at the right edge: one load of b feeds 4 rows
    private static void tile4x1(int K, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, int left, boolean accumulate) {
        VectorMask<Float> m = S.indexInRange(0, left);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff, a1 = aOff + rsA, a2 = aOff + 2 * rsA, a3 = aOff + 3 * rsA;
        for (int p = 0, bp = bOff, ap = 0; p < K; p++, bp += ldb, ap += csA) {
            FloatVector bv = FloatVector.fromArray(S, b, bp, m);
            c0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, c3);
        }
        store(c0, c, cOff, m, accumulate);
        store(c1, c, cOff + ldc, m, accumulate);
        store(c2, c, cOff + 2 * ldc, m, accumulate);
        store(c3, c, cOff + 3 * ldc, m, accumulate);
    }

    private static void store(FloatVector v, float[] c, int off, VectorMask<Float> m, boolean accumulate) {
        if (accumulate) v = v.add(FloatVector.fromArray(S, c, off, m));
        v.intoArray(c, off, m);
    }

    // c[1, min(V, left)] (+)= a[1, K] · b[K, min(V, left)], masked at the right edge
    private static void row1(int K, float[] a, int aOff, int csA, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int left, boolean accumulate) {
        VectorMask<Float> m = S.indexInRange(0, left);
        FloatVector acc = FloatVector.zero(S);
        for (int p = 0, bp = bOff, ap = aOff; p < K; p++, bp += ldb, ap += csA) {
            acc = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp, m), acc);
        }
        if (accumulate) acc = acc.add(FloatVector.fromArray(S, c, cOff, m));
        acc.intoArray(c, cOff, m);
    }

    private static void store(FloatVector v, float[] c, int off, boolean accumulate) {
        if (accumulate) v = v.add(FloatVector.fromArray(S, c, off));
        v.intoArray(c, off);
    }
}
