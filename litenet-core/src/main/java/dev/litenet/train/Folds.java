package dev.litenet.train;

import dev.litenet.BadInputException;
import dev.litenet.data.Orders;

import java.util.SplittableRandom;

/**
 * Stratified k-fold assignment (scikit-learn's {@code StratifiedKFold(shuffle=True)} in spirit): the items of each
 * class are shuffled with the seed and dealt round-robin to the folds, each class starting where the previous one
 * stopped, so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ items of class c and fold sizes differ by at most one.
 */
public final class Folds {
    private Folds() {}

    /**
     * in labels (N) of {@code classes} classes -> out fold (N) in 0..k-1.
     *
     * @throws BadInputException for fewer than 2 classes or a class with fewer than k items
     */
    public static int[] assign(int[] labels, int classes, int k, long seed) {
        if (k < 2) throw new BadInputException("cross-validation needs at least 2 folds, got " + k);
        int[] count = new int[classes];
        for (int l : labels) count[l]++;
        int present = 0;
        for (int c = 0; c < classes; c++) if (count[c] > 0) present++;
        if (present < 2) throw new BadInputException("cross-validation needs photos of at least 2 classes, found " + present);
        for (int c = 0; c < classes; c++) {
            if (count[c] < k) throw new BadInputException("class " + c + " has " + count[c] + " photos, fewer than the " + k + " folds");
        }
        int[] fold = new int[labels.length];
        SplittableRandom random = new SplittableRandom(seed);
        int next = 0;
        for (int c = 0; c < classes; c++) {
            int[] members = new int[count[c]];
            for (int i = 0, m = 0; i < labels.length; i++) if (labels[i] == c) members[m++] = i;
            int[] order = Orders.shuffled(members.length, random);
            for (int i : order) {
                fold[members[i]] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }
}
