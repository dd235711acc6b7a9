package dev.litenet.bench.kernels;

import java.util.SplittableRandom;

/** Random operands for the kernels, fixed by a seed. */
final class Data {
    private Data() {}

    /** n values uniform in [-1, 1). */
    static float[] uniform(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    /** "12544x16x96" -> {12544, 16, 96}. */
    static int[] dims(String spec) {
        String[] parts = spec.split("x");
        int[] d = new int[parts.length];
        for (int i = 0; i < parts.length; i++) d[i] = Integer.parseInt(parts[i]);
        return d;
    }
}
