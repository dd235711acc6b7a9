package dev.litenet.eval;

import dev.litenet.nn.Linear;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warm-up counts images, not runs; a measurement says its batch, threads and runs. */
class LatencyTest {
    @Test void warmUpRunsCoverAHundredImages() {
        assertThat(Latency.warmupRuns(1)).isEqualTo(100);
        assertThat(Latency.warmupRuns(32)).isEqualTo(4);
        assertThat(Latency.warmupRuns(64)).isEqualTo(2);
        assertThat(Latency.warmupRuns(1000)).isEqualTo(1);
    }

    @Test void aMeasurementSaysHowItWasTaken() {
        Sequential net = new Sequential(new Linear(8, 4), new ReLU());
        Latency one = Latency.measure(net.fused(), Tensor.zeros(1, 8), 7, 0);
        assertThat(one.batch()).isEqualTo(1);
        assertThat(one.threads()).isEqualTo(Parallel.threads());
        assertThat(one.runs()).isEqualTo(7);
        assertThat(one.msPerImage()).isPositive();
        Latency batch = Latency.measure(net.fused(), Tensor.zeros(16, 8), 3, 0.01);
        assertThat(batch.batch()).isEqualTo(16);
        assertThat(batch.runs()).isGreaterThanOrEqualTo(3);
        assertThatThrownBy(() -> Latency.measure(net, Tensor.zeros(1, 8), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
