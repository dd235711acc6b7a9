package dev.litenet.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Global average pooling gives a plain loop's bits: each channel summed over the pixels in order, then divided. */
class PoolTest {
    @ParameterizedTest(name = "({0},{1},{2},{3})")
    @CsvSource({"2, 7, 5, 37", "1, 14, 14, 672", "3, 1, 1, 16", "1, 28, 28, 120"})
    void globalAverageIsThePlainLoop(int N, int H, int W, int C) {
        Tensor x = Tensor.zeros(N, H, W, C);
        SplittableRandom r = new SplittableRandom(C);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (r.nextGaussian() * 3);
        float[] expected = new float[N * C];
        for (int n = 0; n < N; n++) {
            for (int p = 0; p < H * W; p++) for (int c = 0; c < C; c++) expected[n * C + c] += x.data[(n * H * W + p) * C + c];
            for (int c = 0; c < C; c++) expected[n * C + c] /= H * W;
        }
        Tensor y = Pool.globalAverage(x);
        assertThat(y.shape).containsExactly(N, C);
        assertThat(y.data).containsExactly(expected);
    }
}
