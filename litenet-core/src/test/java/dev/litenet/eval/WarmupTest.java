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

    @Test void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Warmup.untilCompiled(() -> {}, -1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Warmup.untilCompiled(() -> {}, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
