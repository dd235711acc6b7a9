package dev.litenet.data;

import dev.litenet.Shared;
import dev.litenet.BadInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A folder of 3 real photos (2 cats, 1 dog) and 2 broken files in the dog class. */
class BatchLoaderTest {
    @TempDir Path root;
    List<Sample> samples;
    List<Sample> good;

    @BeforeEach void makeFolder() throws IOException {
        copy("cats-dogs/train/cat/cat.1.jpg", "cat/cat.1.jpg");
        copy("cats-dogs/train/cat/cat.2.jpg", "cat/cat.2.jpg");
        copy("cats-dogs/train/dog/dog.1.jpg", "dog/dog.1.jpg");
        copy("bad-images/empty.jpg", "dog/empty.jpg");
        copy("bad-images/truncated.jpg", "dog/truncated.jpg");
        samples = ImageFolder.open(root).samples();
        good = samples.subList(0, 3);
    }

    void copy(String from, String to) throws IOException {
        Files.createDirectories(root.resolve(to).getParent());
        Files.copy(Shared.path("data/" + from), root.resolve(to));
    }

    static final Transform SMALL = Resize.to(8, 6);

    @Test void skipLeavesBadFilesOutAndReportsThem() {
        List<BadImage> heard = new ArrayList<>();
        List<Batch> batches = new ArrayList<>();
        try (var loader = new BatchLoader(samples, SMALL, BatchLoader.Options.of(2).skipBadImages(heard::add))) {
            assertThat(loader.batchesPerEpoch()).isEqualTo(3);
            for (Batch batch : loader.epoch(0)) batches.add(batch);
            List<BadImage> expected = List.of(new BadImage(root.resolve("dog/empty.jpg"), "empty file"),
                    new BadImage(root.resolve("dog/truncated.jpg"), "truncated JPEG"));
            assertThat(heard).isEqualTo(expected);
            assertThat(loader.badImages()).isEqualTo(expected);
        }
        // [cat.1, cat.2], [dog.1, (empty)], [(truncated)]: the last batch is empty and not returned
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0).images().shape).containsExactly(2, 8, 6, 3);
        assertThat(batches.get(1).images().shape).containsExactly(1, 8, 6, 3);
        assertThat(batches.stream().flatMap(b -> b.files().stream())).containsExactly(
                root.resolve("cat/cat.1.jpg"), root.resolve("cat/cat.2.jpg"), root.resolve("dog/dog.1.jpg"));
        assertThat(batches.stream().flatMapToInt(b -> Arrays.stream(b.labels()))).containsExactly(0, 0, 1);
        // every image is the file decoded and transformed on its own
        for (Batch batch : batches) {
            for (int i = 0; i < batch.size(); i++) {
                float[] alone = SMALL.apply(FloatImage.of(ImageDecoder.decode(batch.files().get(i))), new SplittableRandom(0)).pixels();
                assertThat(Arrays.copyOfRange(batch.images().data, i * alone.length, (i + 1) * alone.length)).containsExactly(alone);
            }
        }
    }

    @Test void failThrowsTheFilesError() {
        try (var loader = new BatchLoader(samples, SMALL, BatchLoader.Options.of(2))) {
            var batches = loader.epoch(0).iterator();
            assertThat(batches.next().files()).hasSize(2);
            assertThatThrownBy(batches::next).isExactlyInstanceOf(BadInputException.class).hasMessage(root.resolve("dog/empty.jpg") + ": empty file");
            assertThat(batches.hasNext()).isFalse();
        }
    }

    @Test void shuffleIsAPermutationThatRepeatsForASeedAndChangesPerEpoch() {
        List<List<Path>> orders = new ArrayList<>(), again = new ArrayList<>();
        try (var a = new BatchLoader(good, SMALL, BatchLoader.Options.of(1).shuffled(5));
             var b = new BatchLoader(good, SMALL, BatchLoader.Options.of(1).shuffled(5).threads(1).prefetch(1))) {
            for (int epoch = 0; epoch < 6; epoch++) {
                orders.add(files(a, epoch));
                again.add(files(b, epoch));
            }
        }
        assertThat(again).isEqualTo(orders);
        assertThat(orders).allSatisfy(order -> assertThat(order).containsExactlyInAnyOrderElementsOf(good.stream().map(Sample::path).toList()));
        assertThat(new HashSet<>(orders)).hasSizeGreaterThan(1);
    }

    @Test void augmentationDependsOnSeedEpochAndSampleNotOnThreads() {
        Transform augment = Pipeline.of(RandomResizedCrop.of(16), new HorizontalFlip(0.5));
        float[] twoThreads, oneThread, nextEpoch, otherSeed;
        try (var a = new BatchLoader(good, augment, BatchLoader.Options.of(3).seed(11));
             var b = new BatchLoader(good, augment, BatchLoader.Options.of(3).seed(11).threads(1));
             var c = new BatchLoader(good, augment, BatchLoader.Options.of(3).seed(12))) {
            twoThreads = a.epoch(0).iterator().next().images().data;
            nextEpoch = a.epoch(1).iterator().next().images().data;
            oneThread = b.epoch(0).iterator().next().images().data;
            otherSeed = c.epoch(0).iterator().next().images().data;
        }
        assertThat(oneThread).containsExactly(twoThreads);
        assertThat(nextEpoch).isNotEqualTo(twoThreads);
        assertThat(otherSeed).isNotEqualTo(twoThreads);
    }

    @Test void aNewEpochAbandonsTheOldOneAndCloseStopsTheThreads() {
        var loader = new BatchLoader(good, SMALL, BatchLoader.Options.of(1));
        var first = loader.epoch(0).iterator();
        assertThat(first.next().files()).containsExactly(good.get(0).path());
        assertThat(files(loader, 1)).hasSize(3);
        assertThat(first.hasNext()).isFalse();
        loader.close();
        assertThatThrownBy(() -> loader.epoch(2).iterator()).isInstanceOf(IllegalStateException.class);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("litenet-decode-")) assertThat(join(t)).as(t.getName()).isFalse();
        }
    }

    /** Whether the thread is still alive after a second (a pool's threads finish exiting just after it terminates). */
    static boolean join(Thread t) {
        try {
            t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return t.isAlive();
    }

    @Test void imagesOfDifferentSizesCannotShareABatch() {
        try (var loader = new BatchLoader(good, (image, random) -> image, BatchLoader.Options.of(3))) {
            assertThatThrownBy(() -> loader.epoch(0).iterator().next()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("one image size per batch");
        }
    }

    static List<Path> files(BatchLoader loader, int epoch) {
        List<Path> files = new ArrayList<>();
        for (Batch batch : loader.epoch(epoch)) files.addAll(batch.files());
        return files;
    }
}
