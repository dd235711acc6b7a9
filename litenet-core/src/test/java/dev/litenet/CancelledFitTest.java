package dev.litenet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Future.cancel(true)} on a running {@code fit()}: the training thread stops within a batch with a
 * {@link CancellationException}, and the run folder holds no half-written model.
 */
class CancelledFitTest {
    @Test
    void cancelStopsAFitPromptlyAndLeavesNoModelBehind(@TempDir Path tmp) throws Exception {
        Path data = Shared.catsDogs(tmp.resolve("data"), 24, 8);
        Path run = tmp.resolve("run");
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> training = pool.submit(() -> {
                try {
                    TransferLearning.from(Shared.quantWeights().toString()).data(data).epochs(3)
                            .featureCache(tmp.resolve("features")).runFolder(run)
                            .listener(e -> { if (e instanceof TrainEvent.Progress) started.countDown(); })
                            .fit();
                } catch (Throwable t) {
                    ended.set(t);
                    throw t;
                } finally {
                    finished.countDown();
                }
            });
            assertThat(started.await(60, TimeUnit.SECONDS)).as("training started").isTrue();
            long cancelled = System.nanoTime();
            training.cancel(true);
            assertThat(finished.await(10, TimeUnit.SECONDS)).as("stopped within 10 s of the cancel").isTrue();
            System.out.printf("fit stopped %.2f s after cancel%n", (System.nanoTime() - cancelled) / 1e9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ended.get()).isInstanceOf(CancellationException.class);
        assertThat(run.resolve("model.json")).doesNotExist();
        assertThat(run.resolve("model.safetensors")).doesNotExist();
    }

    @Test
    void anInterruptedThreadDoesNotStartTraining(@TempDir Path tmp) throws IOException {
        Path data = Shared.catsDogs(tmp.resolve("data"), 4, 4);
        Thread.currentThread().interrupt();
        try {
            TransferLearning.from(Shared.quantWeights().toString()).data(data).epochs(1).featureCache(null).fit();
            throw new AssertionError("trained although interrupted");
        } catch (CancellationException expected) {
            assertThat(Thread.currentThread().isInterrupted()).as("the flag stays set").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.exists(tmp.resolve("run"))).isFalse();
    }
}
