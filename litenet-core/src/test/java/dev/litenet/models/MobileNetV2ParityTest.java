package dev.litenet.models;

import dev.litenet.Fixtures;
import dev.litenet.io.StateDicts;
import dev.litenet.tensor.TorchTensor;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Dropout;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Parameter;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.litenet.Fixtures.relMaxError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * MobileNetV2 against torchvision 0.14 itself: the same state_dict (zip and legacy .pth), the same input; eval
 * features and logits, and one train-mode step (loss, 11 gradients, BatchNorm running stats).
 */
class MobileNetV2ParityTest {
    static Tensor input;

    /**
     * In train mode with a batch of two, BatchNorm's batch statistics make the gradients below the head
     * sensitive to float rounding: scaling the input by 1 ± 1e-7 moves our own stem gradient by 1 % of its
     * largest value ({@link #trainModeGradientsMoveWithRoundingNoise}). Only the head's gradients can be held
     * to 1e-3 against torch here; the deep ones are held to 5 %. {@code FrozenBatchNormParityTest} checks the
     * setting fine-tuning uses (BatchNorm in eval mode), where the gradients are far better conditioned.
     */
    static final List<String> WELL_CONDITIONED = List.of("classifier.1.weight", "classifier.1.bias", "features.18.1.weight");

    @BeforeAll static void readInput() { input = Fixtures.inputNhwc(); }

    static MobileNetV2 load(String file) {
        MobileNetV2 m = new MobileNetV2(1000);
        m.setClassifier(new Sequential(new Dropout(0f), new Linear(1280, 1000)));   // the fixture's step ran with p = 0
        Map<String, TorchTensor> sd = StateDicts.read(Fixtures.dir().resolve(file));
        assertThat(sd).hasSize(314);
        StateDict.load(m, sd, file);
        assertThat(m.numParameters()).isEqualTo(3_504_872);
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_calib.pth", "mobilenet_v2_calib_legacy.pth"})
    void evalFeaturesAndLogits(String file) {
        MobileNetV2 m = load(file);
        m.train(false);
        Tensor features = m.embed(input.copy());
        assertThat(relMaxError(features.data, Fixtures.f32("features_eval_2x1280.f32"))).isLessThan(1e-4);
        Tensor logits = m.forward(input.copy());
        float[] expected = Fixtures.f32("logits_eval_2x1000.f32");
        assertThat(relMaxError(logits.data, expected)).isLessThan(1e-4);
        assertThat(argmax(logits.data, 0, 1000)).isEqualTo(518);
        assertThat(argmax(logits.data, 1000, 1000)).isEqualTo(518);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v2_calib.pth", "mobilenet_v2_calib_legacy.pth"})
    void oneTrainingStep(String file) {
        MobileNetV2 m = load(file);
        m.train(true);
        m.setRecording(true);
        int[] labels = {281, 207};
        Tensor logits = m.forward(input.copy());
        double loss = CrossEntropy.loss(logits, labels);
        assertThat(loss).isCloseTo(Fixtures.jsonNumber("loss_value"), within(1e-5 * Fixtures.jsonNumber("loss_value")));
        m.zeroGrad();
        m.backward(CrossEntropy.gradient(logits, labels));

        Map<String, Parameter> params = m.namedParameters();
        for (String name : List.of("features.0.0.weight", "features.0.1.weight", "features.0.1.bias",
                "features.2.conv.0.0.weight", "features.2.conv.1.0.weight", "features.2.conv.2.weight",
                "features.17.conv.1.0.weight", "features.18.0.weight", "features.18.1.weight",
                "classifier.1.weight", "classifier.1.bias")) {
            Parameter p = params.get(name);
            float[] expected = Fixtures.f32("grad_" + name.replace('.', '_') + ".f32");
            double tol = WELL_CONDITIONED.contains(name) ? 1e-3 : 5e-2;
            assertThat(relMaxError(p.toTorch(p.grad()), expected)).as(name).isLessThan(tol);
        }
        Map<String, Parameter> state = m.stateEntries();
        assertClose(state.get("features.0.1.running_mean").data, Fixtures.f32("running_mean_after_step_features_0_1.f32"), 1e-5);
        assertClose(state.get("features.0.1.running_var").data, Fixtures.f32("running_var_after_step_features_0_1.f32"), 1e-5);
    }

    @org.junit.jupiter.api.Test
    void trainModeGradientsMoveWithRoundingNoise() {
        float[] clean = stemGradient(input.copy());
        Tensor noisy = input.copy();
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < noisy.size(); i++) noisy.data[i] *= (float) (1 + 1e-7 * r.nextGaussian());
        assertThat(relMaxError(stemGradient(noisy), clean)).isGreaterThan(1e-3);
    }

    static float[] stemGradient(Tensor x) {
        MobileNetV2 m = load("mobilenet_v2_calib.pth");
        m.train(true);
        m.setRecording(true);
        Tensor logits = m.forward(x);
        m.backward(CrossEntropy.gradient(logits, new int[]{281, 207}));
        return m.namedParameters().get("features.0.0.weight").grad();
    }

    static void assertClose(float[] actual, float[] expected, double tol) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("index %d", i).isCloseTo(expected[i], within(tol * Math.max(1, Math.abs(expected[i]))));
        }
    }

    static int argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (v[from + i] > v[from + best]) best = i;
        return best;
    }
}
