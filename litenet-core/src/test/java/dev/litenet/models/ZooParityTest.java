package dev.litenet.models;

import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Parameter;
import dev.litenet.summary.Style;
import dev.litenet.summary.Summary;
import dev.litenet.summary.SummaryOptions;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every zoo architecture against torchvision 0.14 on its fixture ({@link ZooFixture}, made by
 * {@code tools/make_zoo_fixtures.py}): torchvision's state entries in order, multiply-adds at 224 as the summary
 * counts them, eval logits and pooled features (the layers and their fused inference twin), a train-mode step
 * (loss, BatchNorm momentum), a frozen-BatchNorm step's gradients, and the eps, momentum and dropout p of every
 * module. An architecture joins with one row in {@link #architectures}.
 */
class ZooParityTest {
    /** torchvision builder name, LiteNet builder at 1000 classes. */
    static Stream<Arguments> architectures() {
        return Stream.of(
                arch("mobilenet_v2", () -> new MobileNetV2(1000)),
                arch("mobilenet_v3_large", () -> MobileNetV3.large(1000)),
                arch("mobilenet_v3_small", () -> MobileNetV3.small(1000)),
                arch("efficientnet_b0", () -> EfficientNet.b0(1000)),
                arch("resnet18", () -> ResNet.resnet18(1000)),
                arch("resnet50", () -> ResNet.resnet50(1000)),
                arch("shufflenet_v2_x0_5", () -> Architectures.get("shufflenet_v2_x0_5").build(1000)),
                arch("shufflenet_v2_x1_0", () -> Architectures.get("shufflenet_v2_x1_0").build(1000)));
    }

    static Arguments arch(String torchvisionName, Supplier<Layer> builder) { return Arguments.of(torchvisionName, builder); }

    static Layer filled(String arch, Supplier<Layer> builder) { return ZooFixture.load(arch).fill(builder.get()); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void stateEntriesAreTorchvisions(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        fixture.assertFormulaSamples();
        Layer model = builder.get();
        fixture.assertSameState(model);
        assertThat(model.numParameters()).as("%s parameters", arch).isEqualTo(fixture.numParams());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void multiplyAddsAt224(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Summary summary = Summary.of(builder.get(), List.of(1, 3, 224, 224), SummaryOptions.of(Style.DEFAULT));
        assertThat(summary.statistics().multAdds()).as("%s Conv2d and Linear multiply-adds at 224 (torchvision documents %s GFLOPS)",
                arch, fixture.documentedGflops()).isEqualTo(fixture.multiplyAdds224());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void evalLogitsAndFeatures(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Layer model = filled(arch, builder);
        model.train(false);
        Tensor features = fixture.features(model, fixture.input());
        ZooFixture.assertClose(features.data, fixture.features(), fixture.logitsTolerance(), arch + " eval features");
        Tensor logits = model.forward(fixture.input());
        ZooFixture.assertClose(logits.data, fixture.logits(), fixture.logitsTolerance(), arch + " eval logits");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void fusedTwinLogits(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Layer model = filled(arch, builder);
        model.train(false);
        Tensor logits = Inference.forward(model.fused(), fixture.input());
        ZooFixture.assertClose(logits.data, fixture.logits(), fixture.logitsTolerance(), arch + " fused logits");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void trainModeStep(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Layer model = filled(arch, builder);
        fixture.trainWithoutDropout(model);
        Tensor logits = model.forward(fixture.input());
        ZooFixture.assertClose(logits.data, fixture.trainLogits(), fixture.logitsTolerance(), arch + " train-mode logits");
        fixture.assertTrainLoss(CrossEntropy.loss(logits, fixture.labels()));

        // one forward in train mode moved the running statistics by the momentum
        Map<String, Parameter> state = model.stateEntries();
        String bn = fixture.trainBatchNorm();
        ZooFixture.assertClose(state.get(bn + ".running_mean").data, fixture.runningMean(), 1e-5, arch + " " + bn + ".running_mean after the step");
        ZooFixture.assertClose(state.get(bn + ".running_var").data, fixture.runningVar(), 1e-5, arch + " " + bn + ".running_var after the step");
        assertThat(state.get(bn + ".num_batches_tracked").data[0]).isEqualTo(1f);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void frozenBatchNormGradients(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Layer model = filled(arch, builder);
        model.train(false);
        model.setRecording(true);
        Tensor logits = model.forward(fixture.input());
        double loss = CrossEntropy.loss(logits, fixture.labels());
        assertThat(Math.abs(loss - fixture.frozenLoss()) / fixture.frozenLoss()).as("%s frozen-BatchNorm loss", arch)
                .isLessThanOrEqualTo(fixture.frozenLossTolerance());
        model.backward(CrossEntropy.gradient(logits, fixture.labels()));
        fixture.assertGradients(model.namedParameters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void batchNormAndDropoutSettings(String arch, Supplier<Layer> builder) {
        ZooFixture fixture = ZooFixture.load(arch);
        Layer model = builder.get();
        fixture.assertBatchNorms(model);
        fixture.assertStochastic(model);
    }
}
