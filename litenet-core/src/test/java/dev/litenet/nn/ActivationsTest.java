package dev.litenet.nn;

import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static dev.litenet.nn.GradCheck.check;
import static dev.litenet.nn.GradCheck.randomTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Hardswish, Hardsigmoid, SiLU and Sigmoid: hand-computed values and derivatives (torch's at the kinks), numeric gradients, in place or not. */
class ActivationsTest {
    private static final float[] POINTS = {-4f, -3f, -1f, 0f, 1.5f, 3f, 4f};

    /** y and dL/dx for L = Σ y (so dL/dx is the derivative) at the points. */
    private static float[][] valuesAndDerivatives(Layer layer, float... points) {
        layer.setRecording(true);
        float[] y = layer.forward(new Tensor(points.clone(), 1, points.length)).data.clone();
        Tensor ones = new Tensor(new float[points.length], 1, points.length);
        java.util.Arrays.fill(ones.data, 1f);
        return new float[][]{y, layer.backward(ones).data};
    }

    @Test void hardswishByHand() {
        float[][] r = valuesAndDerivatives(new Hardswish(), POINTS);
        // x·relu6(x + 3)/6: -4·0, -3·0, -1·2/6, 0, 1.5·4.5/6, 3·6/6, 4
        assertThat(r[0]).containsExactly(new float[]{-0f, -0f, -1f / 3f, 0f, 1.125f, 3f, 4f}, within(1e-7f));
        // torch's hardswish_backward: 0 below -3, x/3 + 1/2 on [-3, 3] (so -1/2 at -3 and 3/2 at 3), 1 above
        assertThat(r[1]).containsExactly(new float[]{0f, -0.5f, 1f / 6f, 0.5f, 1f, 1.5f, 1f}, within(1e-7f));
    }

    @Test void hardsigmoidByHand() {
        float[][] r = valuesAndDerivatives(new Hardsigmoid(), POINTS);
        assertThat(r[0]).containsExactly(new float[]{0f, 0f, 1f / 3f, 0.5f, 0.75f, 1f, 1f}, within(1e-7f));
        // torch's hardsigmoid_backward: 1/6 strictly inside (-3, 3), 0 at the kinks and outside
        float sixth = 1f / 6f;
        assertThat(r[1]).containsExactly(new float[]{0f, 0f, sixth, sixth, sixth, 0f, 0f}, within(1e-7f));
    }

    @Test void sigmoidAndSiLUByHand() {
        float ln3 = (float) Math.log(3);                                    // σ(ln 3) = 3/4, σ(-ln 3) = 1/4
        float[][] s = valuesAndDerivatives(new Sigmoid(), 0f, ln3, -ln3, -100f, 100f);
        assertThat(s[0]).containsExactly(new float[]{0.5f, 0.75f, 0.25f, 0f, 1f}, within(1e-7f));
        assertThat(s[1]).containsExactly(new float[]{0.25f, 0.1875f, 0.1875f, 0f, 0f}, within(1e-7f));   // σ(1 − σ)
        float[][] silu = valuesAndDerivatives(new SiLU(), 0f, ln3, -ln3, -100f, 100f);
        assertThat(silu[0]).containsExactly(new float[]{0f, 0.75f * ln3, -0.25f * ln3, -0f, 100f}, within(1e-6f));
        // σ·(1 + x·(1 − σ)): 1/2 at 0; 3/4·(1 + ln3/4) at ln 3; 1/4·(1 − 3·ln3/4) at -ln 3
        assertThat(silu[1]).containsExactly(new float[]{0.5f, 0.75f * (1 + ln3 / 4), 0.25f * (1 - 0.75f * ln3), 0f, 1f}, within(1e-6f));
    }

    /** Inputs in (-5, 5) kept 0.05 away from the kinks at ±3, so a step of 1e-3 never crosses one. */
    private static Tensor awayFromKinks(long seed) {
        Tensor x = randomTensor(seed, 2, 3, 4, 5);
        for (int i = 0; i < x.size(); i++) {
            float v = 5f * x.data[i];
            if (Math.abs(Math.abs(v) - 3f) < 0.05f) v += 0.1f;
            x.data[i] = v;
        }
        return x;
    }

    @Test void gradientsMatchFiniteDifferences() {
        List<Supplier<Layer>> layers = List.of(Hardswish::new, Hardsigmoid::new, SiLU::new, Sigmoid::new,
                () -> new Hardswish(true), () -> new Hardsigmoid(true), () -> new SiLU(true));
        long seed = 40;
        for (Supplier<Layer> make : layers) {
            for (boolean training : new boolean[]{true, false}) {                // no mode-dependent behaviour
                Layer layer = make.get();
                layer.train(training);
                check(layer, awayFromKinks(seed++), 1e-2, 1e-3f);
            }
        }
    }

    /** In place writes into its input and still has the input for backward; not in place leaves it alone. */
    @Test void inPlaceOrNot() {
        for (boolean inplace : new boolean[]{true, false}) {
            for (boolean recording : new boolean[]{true, false}) {
                Layer layer = new Hardswish(inplace);
                layer.setRecording(recording);
                Tensor x = new Tensor(new float[]{-1f, 1f}, 1, 2);
                Tensor y = layer.forward(x);
                assertThat(y == x).isEqualTo(inplace);
                assertThat(x.data).containsExactly(inplace ? new float[]{-1f / 3f, 2f / 3f} : new float[]{-1f, 1f});
                if (recording) assertThat(layer.backward(new Tensor(new float[]{1f, 1f}, 1, 2)).data).containsExactly(new float[]{1f / 6f, 5f / 6f}, within(1e-7f));   // x/3 + 1/2
            }
        }
    }

    /** The static helpers fused code calls give what forward gives, on a range of an array. */
    @Test void staticHelpersApplyInPlaceOnARange() {
        float[] v = {7f, -1f, 0.5f, 4f, 7f};
        Hardswish.apply(v, 1, 4);
        assertThat(v).containsExactly(7f, -1f / 3f, 0.5f * 3.5f / 6f, 4f, 7f);
        v = new float[]{-2f, 2f};
        Hardsigmoid.apply(v, 0, 2);
        assertThat(v).containsExactly(1f / 6f, 5f / 6f);
        Tensor x = awayFromKinks(50);
        float[] silu = x.data.clone(), sigmoid = x.data.clone();
        SiLU.apply(silu, 0, silu.length);
        Sigmoid.apply(sigmoid, 0, sigmoid.length);
        assertThat(new SiLU().forward(x.copy()).data).isEqualTo(silu);
        assertThat(new Sigmoid().forward(x.copy()).data).isEqualTo(sigmoid);
    }

    @Test void namesAsTorch() {
        assertThat(List.of(new Hardswish().typeName(), new Hardsigmoid().typeName(), new SiLU().typeName(), new Sigmoid().typeName()))
                .containsExactly("Hardswish", "Hardsigmoid", "SiLU", "Sigmoid");
        assertThat(List.of(new Hardswish(true).toString(), new Hardsigmoid().toString(), new SiLU(true).toString(), new SiLU().toString(), new Sigmoid().toString()))
                .containsExactly("Hardswish()", "Hardsigmoid()", "SiLU(inplace=True)", "SiLU()", "Sigmoid()");
    }
}
