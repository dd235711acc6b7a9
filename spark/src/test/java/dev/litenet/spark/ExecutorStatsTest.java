package dev.litenet.spark;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-executor accumulator: tasks add up by executor, copies merge, and the summary reads as documented. */
class ExecutorStatsTest {
    @Test void tasksAddUpPerExecutorAndMerge() {
        ExecutorStats a = new ExecutorStats(), b = new ExecutorStats();
        assertThat(a.isZero()).isTrue();
        a.add(new ExecutorStats.Task("0", true, false, 1, 4_200_000_000L));      // cold: loads, scalar start
        a.add(new ExecutorStats.Task("0", true, true, 0, 300_000_000L));
        b.add(new ExecutorStats.Task("1", true, true, 1, 5_000_000_000L));
        b.add(new ExecutorStats.Task("0", true, true, 0, -1));                   // a task without rows
        ExecutorStats total = a.copy();
        total.merge(b);

        assertThat(total.value().get("0")).isEqualTo(new ExecutorStats.Executor(3, 2, true, 1, 4_200_000_000L));
        assertThat(total.value().get("1")).isEqualTo(new ExecutorStats.Executor(1, 1, true, 1, 5_000_000_000L));
        assertThat(a.value()).hasSize(1);                                        // the copy left it alone
        assertThat(ExecutorStats.format(total.value())).isEqualTo(
                "executor 0: 3 tasks (2 vector, 1 scalar), 1 model load, cold start 4.2 s; "
                        + "executor 1: 1 task (1 vector, 0 scalar), 1 model load, cold start 5.0 s");
        total.reset();
        assertThat(total.isZero()).isTrue();
    }

    @Test void saysWhenAnExecutorHasNoVectorModule() {
        ExecutorStats s = new ExecutorStats();
        s.add(new ExecutorStats.Task("7", false, false, 2, -1));
        assertThat(ExecutorStats.format(s.value()))
                .isEqualTo("executor 7: 1 task (0 vector, 1 scalar: no jdk.incubator.vector), 2 model loads, cold start -");
    }
}
