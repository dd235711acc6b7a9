package dev.litenet.nn;

import dev.litenet.models.ConvBNReLU;
import dev.litenet.models.InvertedResidual;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Backward of every layer against numeric derivatives on tiny shapes. */
class GradientTest {
    static <L extends Layer> L randomized(L layer, long seed) {
        int s = 0;
        for (Parameter p : layer.parameters()) {
            Tensor t = randomTensor(seed + s++, p.numel());
            System.arraycopy(t.data, 0, p.data, 0, p.numel());
        }
        return layer;
    }

    @Test void denseConvStride2() {
        check(randomized(new Conv2d(3, 5, 3, 2, 1, true), 1), randomTensor(2, 2, 7, 6, 3), 2e-2);
    }

    @Test void denseConvTfSame() {
        Conv2d c = randomized(new Conv2d(4, 3, 3, 2, 1, false), 3);
        c.setPadding(Padding.TF_SAME);
        check(c, randomTensor(4, 1, 6, 6, 4), 2e-2);
    }

    @Test void pointwiseConv() {
        check(randomized(new Conv2d(6, 4, 1, 1, 1, false), 5), randomTensor(6, 2, 3, 3, 6), 2e-2);
    }

    @Test void depthwiseConv() {
        check(randomized(new Conv2d(5, 5, 3, 2, 5, false), 7), randomTensor(8, 2, 5, 5, 5), 2e-2);
        check(randomized(new Conv2d(3, 3, 3, 1, 3, false), 9), randomTensor(10, 1, 4, 5, 3), 2e-2);
        Conv2d widePadding = randomized(new Conv2d(4, 4, 3, 1, 4, false), 27);     // padding beyond the filter
        widePadding.setPad(3);
        check(widePadding, randomTensor(28, 1, 5, 5, 4), 2e-2);
    }

    /** MobileNetV3's and EfficientNet's 5×5 depthwise convs: torch padding 2 at stride 1 and 2, and TF SAME. */
    @Test void depthwiseConv5x5() {
        check(randomized(new Conv2d(3, 3, 5, 1, 3, true), 29), randomTensor(30, 1, 6, 7, 3), 2e-2);
        check(randomized(new Conv2d(4, 4, 5, 2, 4, false), 31), randomTensor(32, 1, 7, 6, 4), 2e-2);
        Conv2d same = randomized(new Conv2d(3, 3, 5, 2, 3, false), 33);
        same.setPadding(Padding.TF_SAME);
        check(same, randomTensor(34, 1, 8, 8, 3), 2e-2);
    }

    @Test void batchNormTrainingAndEval() {
        BatchNorm2d bn = randomized(new BatchNorm2d(3), 11);
        bn.runningVar.fill(1.5f);
        bn.train(true);
        check(bn, randomTensor(12, 2, 3, 2, 3), 3e-2);
        bn.train(false);
        check(bn, randomTensor(13, 2, 3, 2, 3), 2e-2);
    }

    @Test void linearAndReLU6() {
        check(randomized(new Linear(7, 4), 14), randomTensor(15, 3, 7), 2e-2);
        Tensor x = randomTensor(16, 2, 10);
        for (int i = 0; i < x.size(); i++) x.data[i] *= 8;                   // values on both sides of 0 and 6
        check(new ReLU6(), x, 2e-2);
    }

    @Test void invertedResidualWithSkip() {
        InvertedResidual block = randomized(new InvertedResidual(4, 4, 1, 2), 17);
        block.train(false);
        check(block, randomTensor(18, 1, 4, 4, 4), 3e-2, 1e-3f);
    }

    @Test void crossEntropyGradient() {
        Tensor logits = randomTensor(19, 3, 5);
        int[] labels = {4, 0, 2};
        Tensor g = CrossEntropy.gradient(logits, labels);
        for (int i = 0; i < logits.size(); i++) {
            float old = logits.data[i];
            logits.data[i] = old + 1e-3f;
            double plus = CrossEntropy.loss(logits, labels);
            logits.data[i] = old - 1e-3f;
            double minus = CrossEntropy.loss(logits, labels);
            logits.data[i] = old;
            assertThat(g.data[i]).isCloseTo((float) ((plus - minus) / 2e-3), within(1e-3f));
        }
        // hand-computed: equal logits over 4 classes -> loss ln 4
        assertThat(CrossEntropy.loss(Tensor.zeros(1, 4), new int[]{2})).isCloseTo(Math.log(4), within(1e-9));
    }

    @Test void globalAveragePool() {
        check(new GlobalAvgPool(), randomTensor(22, 2, 3, 4, 5), 2e-2);
        AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d();
        assertThat(pool.forward(randomTensor(22, 2, 3, 4, 5)).shape).containsExactly(2, 1, 1, 5);
        check(pool, randomTensor(22, 2, 3, 4, 5), 2e-2);
    }

    @Test void dropoutScalesKeptValuesAndRoutesGradientsThroughTheSameMask() {
        Dropout d = new Dropout(0.25f);
        d.setSeed(7);
        d.train(true);
        d.setRecording(true);
        Tensor x = Tensor.zeros(1, 4000);
        java.util.Arrays.fill(x.data, 2f);
        Tensor y = d.forward(x);
        int kept = 0;
        for (float v : y.data) {
            assertThat(v).isIn(0f, 2f / 0.75f);
            if (v != 0) kept++;
        }
        assertThat(kept / 4000.0).isCloseTo(0.75, within(0.03));
        Tensor ones = Tensor.zeros(1, 4000);
        java.util.Arrays.fill(ones.data, 1f);
        Tensor dx = d.backward(ones);
        for (int i = 0; i < 4000; i++) assertThat(dx.data[i]).isEqualTo(y.data[i] / 2f);
        d.train(false);
        assertThat(d.forward(x).data).containsOnly(2f);
    }

    /**
     * A ConvBNReLU followed by a conv drops its output after forward and recomputes it exactly for backward, and its
     * one-pass ReLU6 + BatchNorm backward gives what the two layers give one after the other.
     */
    @Test void recomputedActivationGivesTheSameGradientsAsAKeptOne() {
        for (boolean batchStats : new boolean[]{true, false}) {
            ConvBNReLU block = randomized(new ConvBNReLU(3, 35, 3, 1, 1), 23);   // whole vectors and a tail
            block.bn().runningVar.fill(0.7f);
            Conv2d next = randomized(new Conv2d(35, 4, 1, 1, 1, false), 24);
            Sequential recomputing = new Sequential(block, next);
            Sequential keeping = new Sequential(block.conv(), block.bn(), block.get(2), next);   // the same layers, plain
            Tensor x = randomTensor(25, 2, 5, 5, 3);
            for (int i = 0; i < x.size(); i++) x.data[i] *= 4;                   // outputs on both sides of 0 and 6
            Tensor dy = randomTensor(26, 2, 5, 5, 4);
            float[][] grads = new float[2][], dx = new float[2][];
            Tensor[] blockOutput = new Tensor[1];
            Trace watch = new Trace() {
                @Override public void enter(Layer layer, Tensor input) {}
                @Override public void exit(Layer layer, Tensor output) { if (layer == block) blockOutput[0] = output; }
            };
            for (int run = 0; run < 2; run++) {
                Sequential net = run == 0 ? keeping : recomputing;
                net.train(batchStats);
                net.setRecording(true);
                net.zeroGrad();
                net.traced(x.copy(), watch);
                if (net == recomputing) assertThat(blockOutput[0].dropped()).as("block output dropped after forward").isTrue();
                dx[run] = net.backward(dy.copy()).data;
                grads[run] = new float[0];
                for (Parameter p : net.parameters()) grads[run] = concat(grads[run], p.grad());
            }
            assertThat(blockOutput[0].dropped()).isFalse();
            assertThat(grads[1]).containsExactly(grads[0], within(0f));          // the same values (a zero may differ in sign)
            assertThat(dx[1]).containsExactly(dx[0], within(0f));
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
