package dev.litenet.nn;

import dev.litenet.models.Architectures;
import dev.litenet.models.LessonNets;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch through {@link Inference#forward} gives every image exactly the numbers it gets alone: the first layers
 * run image by image, the weight-heavy last ones on groups of images, and every kernel computes an element the same
 * way whatever the batch.
 */
class InferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
            "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "resnet18", "resnet50"})
    void aBatchGivesEachImageItsOwnLogits(String arch) {
        Layer fused = Architectures.get(arch).build(10).fused();
        assertBatchMatchesImages(arch, fused, random(5, 96, 96, 3, 1), 1);
        assertBatchMatchesImages(arch, fused, random(5, 96, 96, 3, 2), 2);
    }

    @Test
    void batchesLongerThanAGroupAtTheFullSize() {
        Layer fused = Architectures.get("mobilenet_v2").build(1000).fused();
        assertBatchMatchesImages("mobilenet_v2 at 224", fused, random(Inference.GROUP + 2, 224, 224, 3, 3), 2);
    }

    @Test
    void aDenseNetRunsTheWholeBatchAtOnceWithTheSameNumbers() {
        Layer net = LessonNets.mlp(10, 1);
        net.train(false);
        assertBatchMatchesImages("dense", net.fused(), random(Inference.GROUP + 3, 28, 28, 1, 4), 2);
    }

    // each row of Inference.forward(x) equals net.forward of that image alone, bit for bit, on `threads` threads
    private static void assertBatchMatchesImages(String what, Layer net, Tensor x, int threads) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            for (int pass = 0; pass < 2; pass++) {                  // the first batch finds the plan, the second uses it
                Tensor y = Inference.forward(net, x);
                int per = x.size() / x.dim(0), outPer = y.size() / y.dim(0);
                for (int i = 0; i < x.dim(0); i++) {
                    int[] shape = x.shape.clone();
                    shape[0] = 1;
                    Tensor one = new Tensor(Arrays.copyOfRange(x.data, i * per, (i + 1) * per), shape);
                    float[] alone = net.forward(one).data;
                    assertThat(Arrays.copyOfRange(y.data, i * outPer, (i + 1) * outPer))
                            .as("%s, image %d of %d, pass %d, %d threads", what, i, x.dim(0), pass, threads)
                            .containsExactly(Arrays.copyOf(alone, outPer));
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static Tensor random(int n, int h, int w, int c, long seed) {
        Tensor x = Tensor.zeros(n, h, w, c);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
