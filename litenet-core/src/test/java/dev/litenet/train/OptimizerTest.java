package dev.litenet.train;

import dev.litenet.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** One and two optimizer steps against values computed by hand from torch.optim's update rules. */
class OptimizerTest {
    static Parameter param(float value, float grad) {
        Parameter p = Parameter.of(true, 1);
        p.data[0] = value;
        p.grad()[0] = grad;
        return p;
    }

    @Test void sgdWithMomentum() {
        Parameter p = param(1.0f, 0.5f);
        Sgd sgd = new Sgd(List.of(p), 0.1, 0.9);
        sgd.step();                                    // buf = 0.5; p = 1 - 0.1*0.5 = 0.95
        assertThat(p.data[0]).isCloseTo(0.95f, within(1e-7f));
        p.grad()[0] = -0.2f;
        sgd.step();                                    // buf = 0.9*0.5 - 0.2 = 0.25; p = 0.95 - 0.025 = 0.925
        assertThat(p.data[0]).isCloseTo(0.925f, within(1e-7f));
    }

    @Test void adamFirstStepsMoveByLearningRate() {
        Parameter p = param(1.0f, 0.5f);
        Adam adam = new Adam(List.of(p), 0.01, 0.9, 0.999, 1e-8);
        adam.step();
        // m = 0.05, v = 0.00025; m̂ = 0.5, v̂ = 0.25 -> p = 1 - 0.01 * 0.5 / (0.5 + 1e-8)
        assertThat((double) p.data[0]).isCloseTo(1 - 0.01 * 0.5 / (0.5 + 1e-8), within(1e-7));
        p.grad()[0] = -0.2f;
        adam.step();
        // m = 0.9*0.05 + 0.1*(-0.2) = 0.025; v = 0.999*0.00025 + 0.001*0.04 = 0.00028975
        double m = 0.025, v = 0.00028975, mh = m / (1 - 0.81), vh = v / (1 - 0.998001);
        double expected = (1 - 0.01 * 0.5 / (0.5 + 1e-8)) - 0.01 * mh / (Math.sqrt(vh) + 1e-8);
        assertThat((double) p.data[0]).isCloseTo(expected, within(1e-6));
    }

    @Test void frozenParametersDoNotMove() {
        Parameter p = param(1.0f, 0.5f);
        p.setTrainable(false);
        new Adam(List.of(p), 0.01, 0.9, 0.999, 1e-8).step();
        assertThat(p.data[0]).isEqualTo(1.0f);
    }
}
