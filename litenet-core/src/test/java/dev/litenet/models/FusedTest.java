package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static dev.litenet.Fixtures.relMaxError;
import static org.assertj.core.api.Assertions.assertThat;

/** The folded inference twin computes what the eval-mode model computes. */
class FusedTest {
    @ParameterizedTest
    @EnumSource(Padding.class)
    void fusedEqualsEvalMode(Padding padding) {
        MobileNetV2 m = new MobileNetV2(10, 0.5f).initialize(3);
        m.setPadding(padding);
        SplittableRandom r = new SplittableRandom(4);
        randomizeBatchNorm(m, r);
        m.train(false);
        Tensor x = Tensor.zeros(2, 48, 40, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        Tensor expected = m.forward(x.copy());
        Tensor actual = m.fused().forward(x.copy());
        assertThat(actual.shape).containsExactly(2, 10);
        assertThat(relMaxError(actual.data, expected.data)).isLessThan(1e-4);
        assertThat(relMaxError(m.fusedEmbedding().forward(x.copy()).data, m.embed(x.copy()).data)).isLessThan(1e-4);
    }

    /** At full width and a larger image the fused blocks run over several bands of rows; the result is the same. */
    @ParameterizedTest
    @EnumSource(Padding.class)
    void bandedBlocksEqualEvalMode(Padding padding) {
        MobileNetV2 m = new MobileNetV2(10).initialize(5);
        m.setPadding(padding);
        SplittableRandom r = new SplittableRandom(6);
        randomizeBatchNorm(m, r);
        m.train(false);
        Tensor x = Tensor.zeros(2, 160, 96, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        x = m.features().get(0).forward(x);
        for (int i = 1; i <= 8; i++) {                             // the blocks whose expanded rows come in bands
            InvertedResidual block = (InvertedResidual) m.features().get(i);
            Tensor expected = block.forward(x.copy());
            assertThat(relMaxError(block.fused().forward(x.copy()).data, expected.data)).as("features.%d", i).isLessThan(1e-5);
            x = expected;
        }
    }

    static void randomizeBatchNorm(Layer l, SplittableRandom r) {
        if (l instanceof BatchNorm2d bn) {
            for (int c = 0; c < bn.channels; c++) {
                bn.weight.data[c] = (float) (0.5 + r.nextDouble());
                bn.bias.data[c] = (float) (r.nextDouble() - 0.5);
                bn.runningMean.data[c] = (float) (r.nextDouble() - 0.5);
                bn.runningVar.data[c] = (float) (0.5 + r.nextDouble());
            }
        }
        l.children().values().forEach(c -> randomizeBatchNorm(c, r));
    }
}
