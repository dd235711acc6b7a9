package dev.litenet.export;

import dev.litenet.BadInputException;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every architecture of the zoo lowers to a graph that computes what the network computes: the graph run op by op
 * ({@link GraphRunner}) gives LiteNet's logits within 1e-5 of the largest, with one view and with test-time flip's two.
 * A new architecture is covered by being in {@link Architectures#all()}; a layer type without a lowering fails here.
 */
class LoweringTest {
    static List<Architecture> architectures() { return Architectures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void theGraphComputesTheNetwork(Architecture a) {
        for (boolean flip : new boolean[] {false, true}) {
            Model model = Exportable.model(a, 5, 64, flip);
            Graph graph = Lowering.lower(model, flip, null);
            float[] x = Exportable.input(64, 3);
            float[] ours = Exportable.logits(model, x);
            List<Tensor> out = new GraphRunner(graph).run(new Tensor(x.clone(), 1, 64, 64, 3));
            assertThat(Exportable.relativeError(out.get(0).data, ours)).as(a.name() + (flip ? " with flip" : "")).isLessThan(1e-5);
            assertThat(out.get(1).data).hasSize(5);
            assertThat(graph.opCounts()).doesNotContainKey("BatchNorm2d");
        }
    }

    @Test void aLayerWithoutALoweringIsNamed() {
        Model model = Exportable.model(Architectures.get("mobilenet_v2"), 2, 32, false);
        class Mystery extends Layer {
            @Override public Tensor forward(Tensor x) { return x; }
            @Override public Tensor backward(Tensor dy) { return dy; }
        }
        ((dev.litenet.models.MobileNetV2) model.network()).features().set(3, new Mystery());
        assertThatThrownBy(() -> Lowering.lower(model, false, null)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("layer type Mystery (features.3) has no export");
    }
}
