package dev.litenet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Batched prediction in the library: images asked for one at a time run as one forward pass and get exactly the
 * answers of sequential {@code predict}; a bad file and a closed queue are failed futures; logits beside
 * probabilities.
 */
class AsyncClassifierTest {
    private static ImageClassifier net;
    private static List<Path> photos;

    @BeforeAll
    static void load() throws IOException {
        net = ImageClassifier.pretrained(Shared.quantWeights());
        try (Stream<Path> s = Files.list(Shared.path("data/cats-dogs/val/cat"))) {
            photos = s.sorted().limit(4).toList();
        }
    }

    @Test
    void imagesAskedOneByOneRunAsOneBatchWithTheSequentialAnswers() throws Exception {
        List<List<Prediction>> sequential = new ArrayList<>();
        for (Path p : photos) sequential.add(net.predict(p, 3));
        try (AsyncClassifier async = net.async(photos.size(), Duration.ofSeconds(5), 64)) {
            List<PreparedImage> prepared = photos.stream().map(net::prepare).toList();
            List<CompletableFuture<List<Prediction>>> futures = prepared.stream().map(p -> async.predict(p, 3)).toList();
            for (int i = 0; i < photos.size(); i++) assertThat(futures.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(sequential.get(i));
            assertThat(async.batches()).as("one forward pass for all of them").isEqualTo(1);
        }
    }

    @Test
    void aBadFileAndAClosedQueueAreFailedFutures(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        AsyncClassifier async = net.async();
        assertThatThrownBy(() -> async.predict(empty, 1).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(BadInputException.class);
        async.close();
        assertThatThrownBy(() -> async.predict(photos.getFirst(), 1).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> async.predict(photos.getFirst(), 0)).isInstanceOf(BadInputException.class);
    }

    @Test
    void logitsGiveTheProbabilitiesThroughASoftmax() {
        List<PreparedImage> two = photos.subList(0, 2).stream().map(net::prepare).toList();
        float[][] logits = net.logits(two), probs = net.probabilities(two);
        assertThat(logits[0]).hasSize(net.labels().size());
        for (int i = 0; i < 2; i++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : logits[i]) max = Math.max(max, v);
            for (float v : logits[i]) sum += Math.exp(v - max);
            for (int c = 0; c < logits[i].length; c += 97) {
                assertThat(Math.exp(logits[i][c] - max) / sum).isCloseTo(probs[i][c], within(1e-5));
            }
        }
    }

    @AfterAll
    static void done() { net = null; }
}
