package dev.litenet.eval;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarmupTest {
    @Test void runsTheLeastPassesThenStopsAtTheTimeLimit() {
        AtomicInteger runs = new AtomicInteger();
        Warmup w = Warmup.untilCompiled(runs::incrementAndGet, 7, 1, 0, 0);
        assertThat(runs.get()).isEqualTo(7);
        assertThat(w.passes()).isEqualTo(7);
        assertThat(w.quiet()).isFalse();
    }

    @Test void endsOnceNothingCompilesForTheQuietPasses() {
        AtomicInteger runs = new AtomicInteger();
        Warmup w = Warmup.untilCompiled(runs::incrementAndGet, 0, 50, 0, 60);
        assertThat(w.quiet()).isTrue();
        assertThat(w.passes()).isEqualTo(runs.get()).isGreaterThanOrEqualTo(50);
    }

    @Test void aQueueNamingLiteNetOrTheVectorApiIsStillCompiling() {
        String busy = """
                Current compiles:
                C2 CompilerThread0  1377       4       dev.litenet.tensor.GemmSimd::tile4x4Full (912 bytes)

                C1 compile queue:
                Empty

                C2 compile queue:
                1386       4       java.lang.Integer::bitCount (53 bytes)
                """;
        String vector = "C2 compile queue:\n1401       4       jdk.incubator.vector.FloatVector::fma (24 bytes)\n";
        String other = "Current compiles:\n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n1386       4       java.lang.Integer::bitCount (53 bytes)\n";
        assertThat(Warmup.mentionsOurs(busy)).isTrue();
        assertThat(Warmup.mentionsOurs(vector)).isTrue();
        assertThat(Warmup.mentionsOurs(other)).isFalse();
        Warmup.compilingOurs();                               // askable here, whatever it answers
    }

    @Test void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Warmup.untilCompiled(() -> {}, -1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Warmup.untilCompiled(() -> {}, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
