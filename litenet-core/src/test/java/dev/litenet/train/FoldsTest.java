package dev.litenet.train;

import dev.litenet.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stratified fold assignment: every item in exactly one fold, classes spread evenly, same seed same folds. */
class FoldsTest {
    static int[] labels(int... perClass) {
        int[] l = new int[Arrays.stream(perClass).sum()];
        SplittableRandom r = new SplittableRandom(3);
        for (int c = 0, i = 0; c < perClass.length; c++) for (int j = 0; j < perClass[c]; j++) l[i++] = c;
        for (int i = l.length - 1; i > 0; i--) { int j = r.nextInt(i + 1), t = l[i]; l[i] = l[j]; l[j] = t; }   // classes interleaved
        return l;
    }

    @Test
    void everyItemIsInExactlyOneFoldAndTheFoldsCoverAll() {
        int[] l = labels(1350, 1350);
        int[] fold = Folds.assign(l, 2, 5, 0);
        assertThat(fold).hasSize(2700);
        int[] size = new int[5];
        for (int f : fold) {
            assertThat(f).isBetween(0, 4);
            size[f]++;
        }
        assertThat(size).containsExactly(540, 540, 540, 540, 540);
        assertThat(Arrays.stream(size).sum()).isEqualTo(l.length);
    }

    @Test
    void eachFoldHoldsItsShareOfEveryClass() {
        int[] l = labels(103, 58, 11);
        int k = 4;
        int[] fold = Folds.assign(l, 3, k, 7);
        int[][] count = new int[k][3];
        for (int i = 0; i < l.length; i++) count[fold[i]][l[i]]++;
        int[] perClass = {103, 58, 11};
        int[] size = new int[k];
        for (int f = 0; f < k; f++) {
            for (int c = 0; c < 3; c++) {
                assertThat(count[f][c]).isBetween(perClass[c] / k, (perClass[c] + k - 1) / k);
                size[f] += count[f][c];
            }
        }
        assertThat(Arrays.stream(size).max().getAsInt() - Arrays.stream(size).min().getAsInt()).isLessThanOrEqualTo(1);
    }

    @Test
    void theSeedChoosesTheFoldsRepeatably() {
        int[] l = labels(200, 200);
        assertThat(Folds.assign(l, 2, 5, 42)).isEqualTo(Folds.assign(l, 2, 5, 42));
        int[] a = Folds.assign(l, 2, 5, 42), b = Folds.assign(l, 2, 5, 43);
        int same = 0;
        for (int i = 0; i < l.length; i++) if (a[i] == b[i]) same++;
        assertThat(same).isLessThan(l.length / 2);                 // about 1/5 agree by chance
    }

    @Test
    void badInputsGetClearErrors() {
        assertThatThrownBy(() -> Folds.assign(labels(50, 50), 2, 1, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("at least 2 folds");
        assertThatThrownBy(() -> Folds.assign(new int[20], 1, 5, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> Folds.assign(labels(50, 3), 2, 5, 0)).isInstanceOf(BadInputException.class).hasMessageContaining("3 photos, fewer than the 5 folds");
    }
}
