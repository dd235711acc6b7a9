package dev.litenet.models;

import dev.litenet.summary.LayerInfo;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
import dev.litenet.tensor.Channels;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static dev.litenet.Fixtures.relMaxError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ShuffleNet V2 against torchvision 0.14 (parameter counts of its weights' meta, multiply-adds of every conv and
 * linear at 224 counted by forward hooks, state_dict names) and its folded twin against eval mode.
 */
class ShuffleNetV2Test {
    @ParameterizedTest(name = "{0}: {1} parameters, {2} multiply-adds")
    @CsvSource({"shufflenet_v2_x0_5, 1366792, 40476448", "shufflenet_v2_x1_0, 2278604, 144907992"})
    void countsAsTorchvision(String arch, long params, long macs) {
        Network net = Architectures.get(arch).build(1000);
        List<LayerInfo> rows = LayerTrace.collect(net, List.of(1, 3, 224, 224));
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.totalParams()).isEqualTo(params);
        assertThat(t.multAdds()).isEqualTo(macs);
        assertThat(rows.stream().filter(r -> r.type().equals("InvertedResidual")).count()).isEqualTo(16);
        assertThat(rows.stream().filter(r -> r.path().equals("stage4.0")).findFirst().orElseThrow().outputShape())
                .containsExactly(1, arch.endsWith("0_5") ? 192 : 464, 7, 7);
        assertThat(rows.getLast().outputShape()).containsExactly(1, 1000);
    }

    @Test void stateDictNamesAreTorchvisions() {
        Network net = Architectures.get("shufflenet_v2_x0_5").build(1000);
        var names = List.copyOf(net.stateEntries().keySet());
        assertThat(names).hasSize(338);                                    // torchvision: 170 parameters + 168 BN buffers
        assertThat(net.namedParameters()).hasSize(170);
        assertThat(names).startsWith("conv1.0.weight", "conv1.1.weight", "conv1.1.bias", "conv1.1.running_mean",
                "conv1.1.running_var", "conv1.1.num_batches_tracked", "stage2.0.branch1.0.weight", "stage2.0.branch1.1.weight");
        assertThat(names.subList(names.indexOf("stage2.0.branch2.0.weight"), names.indexOf("stage2.0.branch2.0.weight") + 3))
                .containsExactly("stage2.0.branch2.0.weight", "stage2.0.branch2.1.weight", "stage2.0.branch2.1.bias");
        assertThat(names).contains("stage2.0.branch1.2.weight", "stage2.0.branch2.3.weight", "stage3.7.branch2.6.running_var",
                "stage4.3.branch2.5.weight");
        assertThat(names).doesNotContain("stage2.1.branch1.0.weight");           // a stride-1 unit's branch1 is empty
        assertThat(names).endsWith("conv5.0.weight", "conv5.1.weight", "conv5.1.bias", "conv5.1.running_mean",
                "conv5.1.running_var", "conv5.1.num_batches_tracked", "fc.weight", "fc.bias");
        assertThat(net.units()).hasSize(2 + 16 + 1);
        assertThat(net.units().get(2).name()).isEqualTo("stage2.0");
        assertThat(net.headName()).isEqualTo("fc");
        assertThat(net.embeddingSize()).isEqualTo(1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shufflenet_v2_x0_5", "shufflenet_v2_x1_0"})
    void fusedEqualsEvalMode(String arch) {
        Network net = Architectures.get(arch).build(10, 1f, 3);
        SplittableRandom r = new SplittableRandom(4);
        FusedTest.randomizeBatchNorm(net, r);
        net.train(false);
        Tensor x = Tensor.zeros(2, 64, 48, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        Tensor expected = net.forward(x.copy());
        Tensor fused = net.fused().forward(x.copy());
        assertThat(fused.shape).containsExactly(2, 10);
        assertThat(relMaxError(fused.data, expected.data)).isLessThan(1e-5);
        assertThat(relMaxError(net.fusedEmbedding().forward(x.copy()).data, net.embed(x.copy()).data)).isLessThan(1e-5);
        assertThat(ResNetAndLessonNetsTest.countBatchNorms(net.fused())).isZero();
    }

    @Test void theTwinsInterleavingIsConcatThenShuffle() {
        Tensor a = random(61, 2, 3, 5, 7), b = random(62, 2, 3, 5, 7);
        Tensor expected = Channels.shuffle(Channels.concat(a, b), 2);
        assertThat(ShuffleBlock.shuffledConcat(a.data, 7, b, 7).data).containsExactly(expected.data);
        Tensor wide = Channels.concat(a, random(63, 2, 3, 5, 7));    // a as the first half of x
        assertThat(ShuffleBlock.shuffledConcat(wide.data, 14, b, 7).data).containsExactly(expected.data);
    }

    static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.data[i] = (float) r.nextGaussian();
        return t;
    }

    @Test void aSplitUnitKeepsItsWidth() {
        assertThatThrownBy(() -> new ShuffleBlock(24, 48, 1)).hasMessageContaining("stride 1");
        assertThatThrownBy(() -> new ShuffleBlock(24, 48, 4)).hasMessageContaining("stride");
    }
}
