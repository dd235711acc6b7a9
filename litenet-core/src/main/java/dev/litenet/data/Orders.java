package dev.litenet.data;

import java.util.SplittableRandom;

/**
 * The orders in which n items are visited: 0..n-1 as they stand, or shuffled by the one Fisher–Yates shuffle of the
 * library (Durstenfeld's form: from the last index down, swap a[i] with a[j], j uniform in 0..i). Splits, folds,
 * holdouts and batch orders all shuffle here, so each repeats exactly for its seed.
 */
public final class Orders {
    private Orders() {}

    /**
     * 0..n-1 in order.
     *
     * @param n how many items
     * @return {0, 1, ..., n-1}
     */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    /**
     * 0..n-1 shuffled: {@link #shuffle} of {@link #identity}.
     *
     * @param n      how many items
     * @param random the source of the order; n - 1 numbers are drawn from it
     * @return a permutation of 0..n-1
     */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = identity(n);
        shuffle(order, random);
        return order;
    }

    /**
     * Shuffles {@code order} in place.
     *
     * @param order  the values to shuffle
     * @param random the source of the order; order.length - 1 numbers are drawn from it
     */
    public static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
