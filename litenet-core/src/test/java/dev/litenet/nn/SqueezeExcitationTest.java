package dev.litenet.nn;

import dev.litenet.summary.LayerInfo;
import dev.litenet.summary.LayerTrace;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static dev.litenet.nn.GradientTest.randomized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** SqueezeExcitation against a naive computation, torchvision's names, numeric gradients and its inference twin. */
class SqueezeExcitationTest {
    /** MobileNetV3's block (ReLU, Hardsigmoid) with weights small enough that most scales are off the flat ends. */
    static SqueezeExcitation mobileNetV3(int c, int squeeze, long seed) {
        SqueezeExcitation se = randomized(new SqueezeExcitation(c, squeeze, new ReLU(), new Hardsigmoid()), seed);
        se.parameters().forEach(p -> { for (int i = 0; i < p.numel(); i++) p.data[i] *= 2f; });
        return se;
    }

    /**
     * y[n,h,w,c] = x[n,h,w,c]·σ(b2 + W2·δ(b1 + W1·mean_hw(x[n]))), with torch-ordered weights [out][in][1][1]:
     * written out loop by loop, in double.
     */
    static float[] naive(SqueezeExcitation se, Tensor x, boolean hard) {
        int N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3), S = se.squeezeChannels;
        float[] w1 = se.fc1().weight.toTorch().data(), b1 = se.fc1().bias.data;
        float[] w2 = se.fc2().weight.toTorch().data(), b2 = se.fc2().bias.data;
        float[] y = new float[x.size()];
        for (int n = 0; n < N; n++) {
            double[] mean = new double[C];
            for (int h = 0; h < H; h++) for (int w = 0; w < W; w++) for (int c = 0; c < C; c++) mean[c] += x.data[((n * H + h) * W + w) * C + c];
            for (int c = 0; c < C; c++) mean[c] /= H * W;
            double[] hidden = new double[S];
            for (int j = 0; j < S; j++) {
                double s = b1[j];
                for (int c = 0; c < C; c++) s += w1[j * C + c] * mean[c];
                hidden[j] = hard ? Math.max(0, s) : s / (1 + Math.exp(-s));                        // ReLU or SiLU
            }
            for (int c = 0; c < C; c++) {
                double s = b2[c];
                for (int j = 0; j < S; j++) s += w2[c * S + j] * hidden[j];
                double scale = hard ? Math.min(Math.max(s + 3, 0), 6) / 6 : 1 / (1 + Math.exp(-s));   // Hardsigmoid or Sigmoid
                for (int h = 0; h < H; h++) for (int w = 0; w < W; w++) {
                    int i = ((n * H + h) * W + w) * C + c;
                    y[i] = (float) (x.data[i] * scale);
                }
            }
        }
        return y;
    }

    @Test void forwardMatchesNaiveComputation() {
        Tensor x = randomTensor(60, 2, 3, 5, 7);
        SqueezeExcitation v3 = mobileNetV3(7, 4, 61);
        assertThat(v3.forward(x.copy()).data).containsExactly(naive(v3, x, true), within(1e-6f));
        SqueezeExcitation efficientNet = randomized(new SqueezeExcitation(7, 3, new SiLU(true), new Sigmoid()), 62);
        assertThat(efficientNet.forward(x.copy()).data).containsExactly(naive(efficientNet, x, false), within(1e-6f));
    }

    @Test void namesParametersAndDefaultsAsTorchvision() {
        SqueezeExcitation se = new SqueezeExcitation(16, 8);
        assertThat(se.stateEntries().keySet()).containsExactly("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(se.children().keySet()).containsExactly("avgpool", "fc1", "fc2", "activation", "scale_activation");
        assertThat(se.stateEntries().get("fc1.weight").shape()).containsExactly(8, 16, 1, 1);
        assertThat(se.numParameters()).isEqualTo(16 * 8 + 8 + 8 * 16 + 16);
        assertThat(se.child("activation")).isInstanceOf(ReLU.class);
        assertThat(se.child("scale_activation")).isInstanceOf(Sigmoid.class);
    }

    /** A summary sees the children in the order torchinfo's hooks do: the order forward calls them. */
    @Test void traceListsChildrenInCallOrder() {
        List<LayerInfo> rows = LayerTrace.collect(mobileNetV3(4, 2, 63), List.of(1, 4, 3, 3));
        assertThat(rows.stream().map(LayerInfo::type).toList())
                .containsExactly("SqueezeExcitation", "AdaptiveAvgPool2d", "Conv2d", "ReLU", "Conv2d", "Hardsigmoid");
        assertThat(rows.get(1).outputShape()).containsExactly(1, 4, 1, 1);
    }

    @Test void gradientsMatchFiniteDifferences() {
        SqueezeExcitation v3 = mobileNetV3(5, 3, 64);
        check(v3, randomTensor(65, 2, 3, 4, 5), 2e-2, 1e-3f);
        assertThat(v3.fc1().weight.grad()).as("the scale path is not flat here").isNotEqualTo(new float[15]);
        check(randomized(new SqueezeExcitation(6, 2, new SiLU(true), new Sigmoid()), 66), randomTensor(67, 2, 2, 3, 6), 2e-2, 1e-3f);
    }

    @Test void frozenParametersGetNoGradientButTheInputDoes() {
        SqueezeExcitation se = mobileNetV3(5, 3, 68);
        se.freeze("");
        check(se, randomTensor(69, 1, 3, 3, 5), 2e-2, 1e-3f);
        for (Parameter p : se.parameters()) assertThat(p.grad()).containsOnly(0f);
    }

    /** The twin gives the same bits, keeps its own weights and records nothing. */
    @Test void fusedTwinComputesTheSameWithItsOwnWeights() {
        SqueezeExcitation se = mobileNetV3(6, 3, 70);
        Tensor x = randomTensor(71, 2, 4, 4, 6);
        float[] expected = se.forward(x.copy()).data.clone();
        Layer twin = se.fused();
        assertThat(twin.isTraining()).isFalse();
        assertThat(twin.forward(x.copy()).data).isEqualTo(expected);
        se.fc1().weight.fill(0f);
        assertThat(twin.forward(x.copy()).data).isEqualTo(expected);
    }

    @Test void rejectsTheWrongChannelCount() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SqueezeExcitation(8, 2).forward(Tensor.zeros(1, 2, 2, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 channels");
    }
}
