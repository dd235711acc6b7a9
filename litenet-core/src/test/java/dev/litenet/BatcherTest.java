package dev.litenet;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batcher alone, with a stand-in for the model: batch sizes, the delay bound, the full queue, failures, close. */
class BatcherTest {
    private final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

    private Batcher<Integer, Integer> batcher(Function<List<Integer>, List<Integer>> f, int maxBatch, Duration delay, int capacity) {
        return new Batcher<>("test-batcher", f, maxBatch, delay.toNanos(), capacity, sizes::add);
    }

    private static List<Integer> doubled(List<Integer> in) { return in.stream().map(x -> 2 * x).toList(); }

    @Test void inputsArrivingWithinTheDelayRunAsOneBatch() throws Exception {
        try (var b = batcher(BatcherTest::doubled, 32, Duration.ofMillis(300), 64)) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) results.add(b.submit(i));
            for (int i = 0; i < 5; i++) assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(2 * i);
            assertThat(sizes).containsExactly(5);
        }
    }

    @Test void batchesStopAtMaxBatch() throws Exception {
        try (var b = batcher(BatcherTest::doubled, 3, Duration.ofMillis(300), 64)) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 7; i++) results.add(b.submit(i));
            for (var r : results) r.get(5, TimeUnit.SECONDS);
            assertThat(sizes).containsExactly(3, 3, 1);
        }
    }

    @Test void aLoneInputWaitsNoLongerThanTheDelay() throws Exception {
        try (var b = batcher(BatcherTest::doubled, 32, Duration.ofMillis(20), 64)) {
            long start = System.nanoTime();
            assertThat(b.submit(21).get(5, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
            assertThat(sizes).containsExactly(1);
        }
    }

    @Test void aFullQueueRefusesAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var b = batcher(in -> { await(release); return in; }, 1, Duration.ZERO, 2)) {
            try {
                CompletableFuture<Integer> running = b.submit(0);
                while (b.queued() > 0) Thread.onSpinWait();      // the worker holds input 0 in the "model"
                b.submit(1);
                b.submit(2);
                long start = System.nanoTime();
                assertThatThrownBy(() -> b.submit(3)).isInstanceOf(Batcher.QueueFullException.class).hasMessageContaining("queue full");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
                release.countDown();
                assertThat(running.get(5, TimeUnit.SECONDS)).isZero();
            } finally {
                release.countDown();                             // never leave the worker blocked, or close() would wait for ever
            }
        }
    }

    @Test void aFailingBatchFailsOnlyItsOwnInputs() throws Exception {
        try (var b = batcher(in -> {
            if (in.contains(-1)) throw new IllegalStateException("model broke");
            return doubled(in);
        }, 4, Duration.ofMillis(100), 64)) {
            CompletableFuture<Integer> bad = b.submit(-1), mate = b.submit(5);
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasMessageContaining("model broke");
            assertThatThrownBy(() -> mate.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(b.submit(7).get(5, TimeUnit.SECONDS)).isEqualTo(14);          // the worker carries on
        }
    }

    @Test void closeRunsWhatIsQueuedThenRefuses() throws Exception {
        var b = batcher(BatcherTest::doubled, 2, Duration.ofMillis(50), 64);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 9; i++) results.add(b.submit(i));
        b.close();
        for (var r : results) assertThat(r).isCompleted();
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
        assertThatThrownBy(() -> b.submit(1)).isInstanceOf(IllegalStateException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
