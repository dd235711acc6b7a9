package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
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

/**
 * MobileNetV3 against torchvision 0.14's counts (parameters as its weights' {@code num_params}, also at width
 * 0.75; state_dict size and order; multiply-adds at 224 against its documented 0.22 G and 0.06 G, to the
 * multiply-add as torch's own hooks count them), the table's odd rules, and the folded inference twin.
 */
class MobileNetV3Test {
    static Network build(String arch, int classes, float width) {
        return Architectures.get(arch).build(classes, width, 0);
    }

    @ParameterizedTest(name = "{0} at width {1}: {2} parameters, {3} state entries")
    @CsvSource({
            "mobilenet_v3_large, 1.0,  5483032, 312",
            "mobilenet_v3_small, 1.0,  2542856, 244",
            "mobilenet_v3_large, 0.75, 3377576, 312",
            "mobilenet_v3_small, 0.75, 1653920, 244"})
    void parameterCountsAreTorchvisions(String arch, float width, long params, int entries) {
        Network m = build(arch, 1000, width);
        assertThat(m.numParameters()).isEqualTo(params);
        assertThat(m.stateEntries()).hasSize(entries);
    }

    @Test void stateDictNamesAreTorchvisions() {
        var large = build("mobilenet_v3_large", 1000, 1f).stateEntries();
        assertThat(large.keySet()).startsWith("features.0.0.weight", "features.0.1.weight", "features.0.1.bias",
                "features.0.1.running_mean", "features.0.1.running_var", "features.0.1.num_batches_tracked",
                "features.1.block.0.0.weight", "features.1.block.0.1.weight");
        assertThat(large.keySet()).endsWith("features.16.1.num_batches_tracked", "classifier.0.weight", "classifier.0.bias",
                "classifier.3.weight", "classifier.3.bias");
        // features.4: expand 24 -> 72, 5x5 depthwise, SE squeezing to _make_divisible(72 // 4, 8) = 24, project to 40
        assertThat(large.get("features.4.block.0.0.weight").shape()).containsExactly(72, 24, 1, 1);
        assertThat(large.get("features.4.block.1.0.weight").shape()).containsExactly(72, 1, 5, 5);
        assertThat(large.get("features.4.block.2.fc1.weight").shape()).containsExactly(24, 72, 1, 1);
        assertThat(large.get("features.4.block.2.fc1.bias").shape()).containsExactly(24);
        assertThat(large.get("features.4.block.2.fc2.weight").shape()).containsExactly(72, 24, 1, 1);
        assertThat(large.get("features.4.block.3.0.weight").shape()).containsExactly(40, 72, 1, 1);
        assertThat(large.get("features.16.0.weight").shape()).containsExactly(960, 160, 1, 1);
        assertThat(large.get("classifier.0.weight").shape()).containsExactly(1280, 960);
        assertThat(large).doesNotContainKey("features.1.block.2.0.weight");        // 16 -> 16: no expansion, no SE
        var small = build("mobilenet_v3_small", 1000, 1f).stateEntries();
        // features.1: no expansion, SE right after the depthwise conv, squeezing 16 to _make_divisible(4, 8) = 8
        assertThat(small.keySet()).containsSubsequence("features.1.block.0.0.weight", "features.1.block.1.fc1.weight",
                "features.1.block.1.fc1.bias", "features.1.block.1.fc2.weight", "features.1.block.1.fc2.bias",
                "features.1.block.2.0.weight");
        assertThat(small.get("features.1.block.1.fc1.weight").shape()).containsExactly(8, 16, 1, 1);
        assertThat(small.get("features.12.0.weight").shape()).containsExactly(576, 96, 1, 1);
        assertThat(small.get("classifier.3.weight").shape()).containsExactly(1000, 1024);
    }

    @Test void everyBatchNormHasTorchvisionsEpsAndMomentum() {
        Network m = build("mobilenet_v3_large", 10, 1f);
        assertThat(convs(m)).isEqualTo(62);                                         // 46 with BatchNorm, 16 in SE
        List<BatchNorm2d> bns = batchNorms(m);
        assertThat(bns).hasSize(46);
        assertThat(bns).allSatisfy(bn -> {
            assertThat(bn.eps).isEqualTo(1e-3f);
            assertThat(bn.momentum).isEqualTo(0.01f);
        });
    }

    @Test void unitsNeckAndHead() {
        Network m = build("mobilenet_v3_small", 5, 1f);
        assertThat(m.units()).extracting(Network.Unit::name).hasSize(13).startsWith("features.0", "features.1").endsWith("features.12");
        assertThat(m.headName()).isEqualTo("classifier.3");
        assertThat(m.neck()).extracting(Layer::typeName).containsExactly("Linear", "Hardswish", "Dropout");
        assertThat(m.embeddingSize()).isEqualTo(1024);
        assertThat(m.numClasses()).isEqualTo(5);
        MobileNetV3Block b = (MobileNetV3Block) m.units().get(2).layer();
        assertThat(b.useResidual).isFalse();                                        // stride 2
        assertThat(((MobileNetV3Block) m.units().get(3).layer()).useResidual).isTrue();    // 24 -> 24, stride 1
        m.replaceHead(3, 1);
        m.train(false);
        Tensor x = Tensor.zeros(1, 40, 40, 3);
        assertThat(m.forward(x.copy()).shape).containsExactly(1, 3);
        assertThat(m.fusedEmbedding().forward(x.copy()).shape).containsExactly(1, 1024);
        Tensor prefix = x.copy();
        for (Network.Unit u : m.units().subList(0, 5)) prefix = u.layer().forward(prefix);
        assertThat(relMaxError(m.fusedPrefix(5).forward(x.copy()).data, prefix.data)).isLessThan(1e-5);
    }

    /** Convs (SE's included) and linears, each multiply-add counted once; the totals torch's forward hooks give. */
    @ParameterizedTest(name = "{0}: {1} multiply-adds at 224")
    @CsvSource({"mobilenet_v3_large, 216589760, 2508800", "mobilenet_v3_small, 56510400, 1613824"})
    void multiplyAddsAt224(String arch, long total, long linear) {
        List<LayerInfo> rows = LayerTrace.collect(build(arch, 1000, 1f), List.of(1, 3, 224, 224));
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.multAdds()).isEqualTo(total).isEqualTo(ZooFixture.load(arch).multiplyAdds224());
        // torchvision documents 0.22 G and 0.06 G (its weights' _ops from 0.15 on: 0.217 and 0.057)
        assertThat(t.multAdds() / 1e9).isCloseTo(ZooFixture.load(arch).documentedGflops(), org.assertj.core.api.Assertions.within(5e-4));
        assertThat(rows.stream().filter(r -> r.type().equals("Linear")).mapToLong(LayerInfo::macs).sum()).isEqualTo(linear);
        assertThat(rows.getLast().outputShape()).containsExactly(1, 1000);
    }

    /** The folded twin (BN in the convs, ReLU as clamps, Hardswish in place, no dropout) computes eval mode. */
    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v3_large", "mobilenet_v3_small"})
    void fusedEqualsEvalMode(String arch) {
        Network m = build(arch, 10, 1f);
        SplittableRandom r = new SplittableRandom(4);
        FusedTest.randomizeBatchNorm(m, r);
        m.train(false);
        Tensor x = Tensor.zeros(2, 72, 56, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        Layer fused = m.fused();
        assertThat(batchNorms(fused)).isEmpty();
        Tensor expected = m.forward(x.copy());
        assertThat(relMaxError(fused.forward(x.copy()).data, expected.data)).isLessThan(1e-4);
        assertThat(relMaxError(m.fusedEmbedding().forward(x.copy()).data, m.embed(x.copy()).data)).isLessThan(1e-4);
    }

    /** Block by block at 224, where the blocks without SE run over several bands of rows. */
    @Test void fusedBlocksEqualEvalModeAt224() {
        MobileNetV3 m = MobileNetV3.large(10).initialize(5);
        SplittableRandom r = new SplittableRandom(6);
        FusedTest.randomizeBatchNorm(m, r);
        m.train(false);
        Tensor x = Tensor.zeros(1, 224, 224, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        x = m.features().get(0).forward(x);
        for (int i = 1; i < m.features().size(); i++) {
            Layer block = m.features().get(i);
            Tensor expected = block.forward(x.copy());
            assertThat(relMaxError(block.fused().forward(x.copy()).data, expected.data)).as("features.%d", i).isLessThan(1e-5);
            x = expected;
        }
    }

    @Test void dilatedRowsAreRefused() {
        var row = new MobileNetV3.InvertedResidualConfig(16, 3, 64, 24, false, MobileNetV3.Activation.RE, 2, 2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MobileNetV3Block(row)).isInstanceOf(IllegalArgumentException.class);
    }

    static List<BatchNorm2d> batchNorms(Layer l) {
        List<BatchNorm2d> out = new java.util.ArrayList<>();
        if (l instanceof BatchNorm2d bn) out.add(bn);
        l.children().values().forEach(c -> out.addAll(batchNorms(c)));
        return out;
    }

    static long convs(Layer l) {
        return (l instanceof Conv2d ? 1 : 0) + l.children().values().stream().mapToLong(MobileNetV3Test::convs).sum();
    }
}
