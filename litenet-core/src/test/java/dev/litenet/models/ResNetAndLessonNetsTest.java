package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Layer;
import dev.litenet.summary.LayerInfo;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
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
import static org.assertj.core.api.Assertions.within;

/**
 * ResNet-18 and ResNet-50 against torchvision (11,689,512 and 25,557,032 parameters, state_dict names, 1.81 G and
 * 4.09 G multiply-adds at 224), their folded twins against eval mode, and
 * the lesson's MNIST nets against the parameter counts its torchinfo summaries print.
 */
class ResNetAndLessonNetsTest {
    static ModelStatistics stats(Layer model, int... torchShape) {
        return ModelStatistics.of(LayerTrace.collect(model, java.util.Arrays.stream(torchShape).boxed().toList()));
    }

    @Test void resnet18CountsAsTorchvision() {
        List<LayerInfo> rows = LayerTrace.collect(Models.create("resnet18", new Models.Config(1000, 1f)), List.of(1, 3, 224, 224));
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.totalParams()).isEqualTo(11_689_512);
        // by hand: stem 118,013,952 + layer1 4 x 115,605,504 + layers 2-4 411,041,792 each + fc 512,000
        assertThat(t.multAdds()).isEqualTo(1_814_073_344L);
        assertThat(rows.stream().filter(r -> r.type().equals("Conv2d")).count()).isEqualTo(20);
        assertThat(rows.stream().filter(r -> r.path().equals("layer4.1.relu")).count()).isEqualTo(2);   // one module, two calls
        assertThat(rows.getLast().outputShape()).containsExactly(1, 1000);
        assertThat(rows.stream().filter(r -> r.path().equals("maxpool")).findFirst().orElseThrow().outputShape())
                .containsExactly(1, 64, 56, 56);
    }

    @Test void resnet50CountsAsTorchvision() {
        Network net = Architectures.get("resnet50").build(1000);
        List<LayerInfo> rows = LayerTrace.collect(net, List.of(1, 3, 224, 224));
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.totalParams()).isEqualTo(25_557_032);
        assertThat(t.multAdds()).isEqualTo(4_089_184_256L);                  // torchvision 0.14, convs and fc counted by hooks
        assertThat(rows.stream().filter(r -> r.type().equals("Conv2d")).count()).isEqualTo(53);
        assertThat(rows.stream().filter(r -> r.path().equals("layer4.2.relu")).count()).isEqualTo(3);   // one module, three calls
        assertThat(rows.getLast().outputShape()).containsExactly(1, 1000);
        assertThat(net.units()).hasSize(4 + 16);
        assertThat(net.units().get(4).name()).isEqualTo("layer1.0");
        assertThat(net.embeddingSize()).isEqualTo(2048);
    }

    /** ResNet V1.5: the stride of a stage's first bottleneck is on its 3×3 conv, and on its downsample. */
    @Test void resnet50StridesTheThreeByThreeConv() {
        Network net = ResNet.resnet50(10);
        List<LayerInfo> rows = LayerTrace.collect(net, List.of(1, 3, 64, 64));
        java.util.function.Function<String, List<Integer>> out = path ->
                rows.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow().outputShape();
        assertThat(out.apply("layer2.0.conv1")).containsExactly(1, 128, 16, 16);
        assertThat(out.apply("layer2.0.conv2")).containsExactly(1, 128, 8, 8);
        assertThat(out.apply("layer2.0.conv3")).containsExactly(1, 512, 8, 8);
        assertThat(out.apply("layer2.0.downsample")).containsExactly(1, 512, 8, 8);
        assertThat(out.apply("layer1.0.downsample")).containsExactly(1, 256, 16, 16);   // widens, keeps the size
    }

    @Test void resnet18StateDictNamesAreTorchvisions() {
        var names = ResNet.resnet18(1000).stateEntries().keySet();
        assertThat(names).hasSize(122);                                   // torchvision: 62 parameters + 60 BN buffers
        assertThat(names).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "layer1.0.conv1.weight");
        assertThat(names).contains("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var",
                "layer4.1.bn2.bias", "fc.weight", "fc.bias");
        assertThat(names).doesNotContain("layer1.0.downsample.0.weight", "layer2.1.downsample.0.weight");
        assertThat(ResNet.resnet18(1000).namedParameters()).hasSize(62);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "resnet50"})
    void fusedResNetGivesTheSameLogits(String arch) {
        Network net = Architectures.get(arch).build(7, 1f, 3);
        SplittableRandom r = new SplittableRandom(4);
        net.stateEntries().forEach((name, p) -> {                         // BN stats that make folding matter
            if (name.endsWith("running_mean")) for (int i = 0; i < p.numel(); i++) p.data[i] = (float) (r.nextDouble() - 0.5) * 0.2f;
            if (name.endsWith("running_var")) for (int i = 0; i < p.numel(); i++) p.data[i] = (float) (0.5 + r.nextDouble());
        });
        net.train(false);
        Tensor x = Tensor.zeros(2, 40, 40, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextDouble();
        Tensor expected = net.forward(x.copy());
        Tensor fused = net.fused().forward(x.copy());
        assertThat(fused.shape).containsExactly(2, 7);
        for (int i = 0; i < expected.size(); i++) assertThat(fused.data[i]).isCloseTo(expected.data[i], within(1e-3f * (1 + Math.abs(expected.data[i]))));
        assertThat(countBatchNorms(net.fused())).isZero();
        assertThat(relMaxError(net.fusedEmbedding().forward(x.copy()).data, net.embed(x.copy()).data)).isLessThan(1e-4);
    }

    static long countBatchNorms(Layer l) {
        return (l instanceof BatchNorm2d ? 1 : 0) + l.children().values().stream().mapToLong(ResNetAndLessonNetsTest::countBatchNorms).sum();
    }

    @ParameterizedTest(name = "{0}: {1} parameters")
    @CsvSource({"dense, 7850, 7840", "mlp, 79510, 79400", "cnn1, 52084, 181440", "cnn2, 8490, 467200"})
    void lessonNetsHaveTheLessonsCounts(String name, long params, long macs) {
        Layer net = Models.create(name, new Models.Config(10, 1f));
        ModelStatistics t = stats(net, 1, 1, 28, 28);
        assertThat(t.totalParams()).isEqualTo(params);
        // cnn1: 24·24·9·25 + 5184·10; cnn2: 24·24·10·25 + 8·8·20·250 + 320·10
        assertThat(t.multAdds()).isEqualTo(macs);
    }

    @Test void lessonParameterNamesAreTorchs() {
        assertThat(Models.create("cnn2", new Models.Config(10, 1f)).namedParameters().keySet())
                .containsExactly("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias");
        assertThat(Models.create("cnn1", new Models.Config(10, 1f)).namedParameters().keySet())
                .containsExactly("conv.weight", "conv.bias", "fc.weight", "fc.bias");
        assertThat(Models.create("mlp", new Models.Config(10, 1f)).namedParameters().keySet())
                .containsExactly("1.weight", "1.bias", "3.weight", "3.bias");
    }

    @Test void lessonInitIsTorchsUniform() {
        Layer dense = Models.create("dense", new Models.Config(10, 1f));
        float[] w = dense.namedParameters().get("1.weight").data;
        double bound = 1 / Math.sqrt(784), sumSq = 0;
        for (float v : w) { assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound); sumSq += v * v; }
        assertThat(sumSq / w.length).isCloseTo(bound * bound / 3, within(bound * bound * 0.05));     // var of U(±b) = b²/3
    }

    @Test void widthVariantsAndWidthRules() {
        assertThat(Models.create("mobilenet_v2_0.5", new Models.Config(1000, 1f)).numParameters()).isEqualTo(1_968_680);
        assertThat(Models.create("mobilenet_v2_0.35", new Models.Config(1000, 1f)).numParameters())
                .isEqualTo(Models.create("mobilenet_v2", new Models.Config(1000, 0.35f)).numParameters());
        assertThatThrownBy(() -> Models.create("resnet18", new Models.Config(1000, 0.5f)))
                .hasMessageContaining("no width multiplier");
    }
}
