package dev.litenet.models;

import dev.litenet.nn.Layer;
import dev.litenet.summary.LayerInfo;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.litenet.Fixtures.relMaxError;
import static dev.litenet.models.FusedTest.randomizeBatchNorm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * EfficientNet-B0 against torchvision 0.14's own numbers (its fixture's numerical parity is in {@link ZooParityTest}):
 * 5,288,548 parameters, state_dict names, 385,814,752 multiply-adds at 224 (torchvision's documented 0.39 GFLOPS,
 * {@code _ops} 0.386), the compound-scaling rules (B1's and B3's
 * parameter counts), stochastic depth growing per block, and the folded inference twin.
 */
class EfficientNetTest {
    @Test void countsAsTorchvision() {
        EfficientNet net = EfficientNet.b0(1000);
        assertThat(net.numParameters()).isEqualTo(5_288_548);
        assertThat(net.namedParameters()).hasSize(213);
        assertThat(net.stateEntries()).hasSize(360);                   // 213 parameters + 49 BatchNorms × 3 buffers
        List<LayerInfo> rows = LayerTrace.collect(net, List.of(1, 3, 224, 224));
        ModelStatistics t = ModelStatistics.of(rows);
        assertThat(t.totalParams()).isEqualTo(5_288_548);
        // every Conv2d (the squeeze-and-excitation's fc1 and fc2 too) and the Linear, as torch forward hooks count them
        ZooFixture fixture = ZooFixture.load("efficientnet_b0");
        assertThat(t.multAdds()).isEqualTo(fixture.multiplyAdds224()).isEqualTo(385_814_752L);
        assertThat(t.multAdds() / 1e9).isCloseTo(fixture.documentedGflops(), within(5e-4));   // torchvision's _ops: 0.386
        assertThat(rows.getLast().outputShape()).containsExactly(1, 1000);
        assertThat(rows.stream().filter(r -> r.path().equals("features.8")).findFirst().orElseThrow().outputShape())
                .containsExactly(1, 1280, 7, 7);
    }

    @Test void stateDictNamesAreTorchvisions() {
        var names = new ArrayList<>(EfficientNet.b0(1000).stateEntries().keySet());
        assertThat(names).startsWith("features.0.0.weight", "features.0.1.weight", "features.0.1.bias",
                "features.0.1.running_mean", "features.0.1.running_var", "features.0.1.num_batches_tracked",
                "features.1.0.block.0.0.weight", "features.1.0.block.0.1.weight", "features.1.0.block.0.1.bias",
                "features.1.0.block.0.1.running_mean", "features.1.0.block.0.1.running_var",
                "features.1.0.block.0.1.num_batches_tracked", "features.1.0.block.1.fc1.weight",
                "features.1.0.block.1.fc1.bias", "features.1.0.block.1.fc2.weight", "features.1.0.block.1.fc2.bias",
                "features.1.0.block.2.0.weight");
        assertThat(names).endsWith("features.8.0.weight", "features.8.1.weight", "features.8.1.bias",
                "features.8.1.running_mean", "features.8.1.running_var", "features.8.1.num_batches_tracked",
                "classifier.1.weight", "classifier.1.bias");
        assertThat(names).contains("features.2.0.block.2.fc1.weight", "features.6.3.block.3.1.running_var",
                "features.7.0.block.1.0.weight");
        var p = EfficientNet.b0(1000).namedParameters();
        assertThat(p.get("features.2.0.block.0.0.weight").shape()).containsExactly(96, 16, 1, 1);
        assertThat(p.get("features.3.0.block.1.0.weight").shape()).containsExactly(144, 1, 5, 5);
        assertThat(p.get("features.3.0.block.2.fc1.weight").shape()).containsExactly(6, 144, 1, 1);
        assertThat(p.get("features.6.3.block.2.fc2.weight").shape()).containsExactly(1152, 48, 1, 1);
        assertThat(p.get("classifier.1.weight").shape()).containsExactly(1000, 1280);
    }

    @Test void blocksAreUnitsAndStochasticDepthGrowsPerBlock() {
        EfficientNet net = EfficientNet.b0(10);
        List<String> units = net.units().stream().map(Network.Unit::name).toList();
        assertThat(units).containsExactly("features.0", "features.1.0", "features.2.0", "features.2.1", "features.3.0",
                "features.3.1", "features.4.0", "features.4.1", "features.4.2", "features.5.0", "features.5.1",
                "features.5.2", "features.6.0", "features.6.1", "features.6.2", "features.6.3", "features.7.0", "features.8");
        List<Float> p = net.units().stream().filter(u -> u.layer() instanceof MBConv)
                .map(u -> ((MBConv) u.layer()).stochasticDepthProb()).toList();
        List<Float> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) expected.add((float) (0.2 * i / 16));               // torchvision: 0.0, 0.0125, ... 0.1875
        assertThat(p).isEqualTo(expected);
        assertThat(net.headName()).isEqualTo("classifier.1");
        assertThat(net.embeddingSize()).isEqualTo(1280);
        assertThat(Architectures.get("efficientnet_b0").build(10).numParameters()).isEqualTo(net.numParameters());
    }

    /** The width and depth rules of the family: torchvision's B1 (1.0, 1.1) and B3 (1.2, 1.4) parameter counts. */
    @Test void compoundScalingAsTorchvision() {
        var b1 = new EfficientNet(new Architecture.Config("efficientnet_b1", 1000), new EfficientNet.Scaling(1.0, 1.1, 0.2f));
        assertThat(b1.numParameters()).isEqualTo(7_794_184);
        assertThat(b1.units()).hasSize(25);                             // 23 blocks: ceil(n · 1.1) per stage
        var b3 = new EfficientNet(new Architecture.Config("efficientnet_b3", 1000), new EfficientNet.Scaling(1.2, 1.4, 0.3f));
        assertThat(b3.numParameters()).isEqualTo(12_233_232);
        assertThat(b3.embeddingSize()).isEqualTo(1536);
    }

    @ParameterizedTest
    @EnumSource(Padding.class)
    void fusedEqualsEvalMode(Padding padding) {
        EfficientNet net = EfficientNet.b0(10).initialize(3);
        net.setPadding(padding);
        SplittableRandom r = new SplittableRandom(4);
        randomizeBatchNorm(net, r);
        randomizeBiases(net, r);
        net.train(false);
        Tensor x = Tensor.zeros(2, 72, 64, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        Tensor expected = net.forward(x.copy());
        Layer fused = net.fused();
        assertThat(relMaxError(fused.forward(x.copy()).data, expected.data)).isLessThan(1e-4);
        assertThat(relMaxError(net.fusedEmbedding().forward(x.copy()).data, net.embed(x.copy()).data)).isLessThan(1e-4);
        Tensor afterPrefix = net.fusedPrefix(5).forward(x.copy());
        Tensor viaUnits = x.copy();
        for (Network.Unit u : net.units().subList(0, 5)) viaUnits = u.layer().forward(viaUnits);
        assertThat(relMaxError(afterPrefix.data, viaUnits.data)).isLessThan(1e-4);
    }

    /**
     * The folded block alone, against the block in eval mode: several bands of rows, two images, both places the
     * excitation's scale can go (into the projection's weights when out ≤ pixels, else onto the activations).
     */
    @ParameterizedTest(name = "expand {0}, k {1}, stride {2}, {3} -> {4}, input {5}x{6}, {7}")
    @CsvSource({
            "6, 5, 2, 16, 24, 40, 36, TORCH",      // several bands of expanded rows; scale into the weights
            "6, 3, 1, 24, 24, 30, 28, TF_SAME",    // residual
            "1, 3, 1, 32, 16, 24, 20, TORCH",      // no expansion: one depthwise pass
            "6, 5, 1, 16, 64, 6, 5, TORCH",        // 64 outputs > 30 pixels: scale onto the activations
            "6, 3, 2, 8, 8, 5, 7, TF_SAME",
    })
    void foldedBlockEqualsEvalMode(int expand, int k, int stride, int in, int out, int h, int w, Padding padding) {
        MBConv block = new MBConv(new EfficientNet.MBConvConfig(expand, k, stride, in, out, 1), 0.1f, EfficientNet.NORM_LAYER);
        SplittableRandom r = new SplittableRandom(k * 31L + in);
        block.namedParameters().forEach((name, p) -> {
            for (int i = 0; i < p.numel(); i++) p.data[i] = (float) (r.nextGaussian() * (name.endsWith("bias") ? 0.3 : 0.4));
        });
        randomizeBatchNorm(block, r);
        block.children().values().forEach(c -> setPaddingBelow(c, padding));
        block.train(false);
        Tensor x = Tensor.zeros(2, h, w, in);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) r.nextGaussian();
        Tensor expected = block.forward(x.copy());
        Layer folded = block.fused();
        assertThat(folded).isInstanceOf(dev.litenet.nn.FoldedMBConv.class);
        Tensor actual = folded.forward(x.copy());
        assertThat(actual.shape).isEqualTo(expected.shape);
        assertThat(relMaxError(actual.data, expected.data)).isLessThan(1e-5);
    }

    static void setPaddingBelow(Layer l, Padding padding) {
        if (l instanceof dev.litenet.nn.Conv2d c) c.setPadding(padding);
        l.children().values().forEach(c -> setPaddingBelow(c, padding));
    }

    /** The squeeze-and-excitation's biases start at 0: give them values so that folding has something to get wrong. */
    static void randomizeBiases(Layer l, SplittableRandom r) {
        l.namedParameters().forEach((name, p) -> {
            if (name.contains(".fc") && name.endsWith("bias")) for (int i = 0; i < p.numel(); i++) p.data[i] = (float) (r.nextDouble() - 0.5);
        });
    }
}
