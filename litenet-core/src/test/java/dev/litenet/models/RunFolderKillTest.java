package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.TransferLearning;
import dev.litenet.io.Safetensors;
import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue class 10, crash consistency: {@code train} into a folder holding an older run is killed before each step
 * that changes the folder, one run per step. After every kill the folder loads as the old run or the new one (class
 * names and every weight), never a mix; {@code resume} then gives the uninterrupted run's weights bit for bit and
 * leaves no temporary file, staged file or checkpoint behind.
 */
class RunFolderKillTest {
    @TempDir static Path tmp;
    static Path data, oldRun, weights, cache;
    static final List<String> NEW = List.of("cat", "dog"), OLD = List.of("kitten", "puppy");

    /** What a kill -9 does to the writer: it stops there, and no cleanup code runs after it. */
    static final class Killed extends Error {
        Killed(String step) { super("killed before " + step); }
    }

    @BeforeAll static void tinyRuns() throws IOException {
        data = tmp.resolve("pets");
        Path oldData = tmp.resolve("old-pets");
        for (String split : List.of("train", "val")) {
            for (int c = 0; c < 2; c++) {
                Path src = Shared.path("data/cats-dogs/" + split + "/" + NEW.get(c));
                Path dst = Files.createDirectories(data.resolve(split).resolve(NEW.get(c)));
                Path oldDst = Files.createDirectories(oldData.resolve(split).resolve(OLD.get(c)));
                try (Stream<Path> files = Files.list(src)) {
                    for (Path f : files.sorted().limit(split.equals("train") ? 4 : 2).toList()) {
                        Files.copy(f, dst.resolve(f.getFileName()));
                        Files.copy(f, oldDst.resolve(f.getFileName()));
                    }
                }
            }
        }
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
        oldRun = tmp.resolve("old-run");
        recipe(oldData, oldRun).epochs(1).fit();
    }

    @AfterEach void noMoreKills() { RunManifest.beforeWrite = step -> {}; }

    /** Augmented training: features change every epoch, so every epoch ends with a checkpoint. */
    static TransferLearning recipe(Path data, Path out) { return recipe(data, out, true); }

    static TransferLearning recipe(Path data, Path out, boolean augment) {
        return TransferLearning.from(weights.toString()).data(data).runFolder(out).epochs(2).batchSize(4).inputSize(64)
                .featureCache(cache).seed(3).augment(augment);
    }

    /** With checkpoints after every epoch (augmented), and with cached features, where the head is simply trained again. */
    @ParameterizedTest(name = "augment={0}")
    @ValueSource(booleans = {true, false})
    void aKillAtEveryWriteLeavesTheOldRunOrTheNewOneAndResumeEqualsAnUninterruptedRun(boolean augment) throws IOException {
        Path straight = copyOfOldRun("straight-" + augment);
        List<String> steps = new ArrayList<>();
        RunManifest.beforeWrite = steps::add;
        recipe(data, straight, augment).fit();
        RunManifest.beforeWrite = step -> {};
        assertThat(steps).hasSizeGreaterThan(augment ? 10 : 5).contains("rename manifest.json", "move model.json");
        if (augment) assertThat(steps).contains("stage checkpoint.safetensors");
        Map<String, TorchTensor> oldWeights = Safetensors.read(oldRun.resolve(RunFolder.MODEL)),
                newWeights = Safetensors.read(straight.resolve(RunFolder.MODEL));
        assertThat(same(oldWeights, newWeights)).isFalse();

        for (int n = 1; n <= steps.size(); n++) {
            String step = "kill " + n + " before " + steps.get(n - 1);
            Path run = copyOfOldRun("kill-" + augment + "-" + n);
            int[] count = {0};
            int at = n;
            RunManifest.beforeWrite = s -> { if (++count[0] == at) throw new Killed(s); };
            assertThatThrownBy(() -> recipe(data, run, augment).fit()).as(step).isInstanceOf(Killed.class);
            RunManifest.beforeWrite = s -> {};

            ImageClassifier after = ImageClassifier.load(run);
            Map<String, TorchTensor> loaded = StateDict.of(after.network());
            if (after.labels().equals(OLD)) assertThat(same(loaded, oldWeights)).as(step + ": old classes, old weights").isTrue();
            else assertThat(after.labels().equals(NEW) && same(loaded, newWeights)).as(step + ": new classes, new weights").isTrue();

            recipe(data, run, augment).resume(true).fit();
            assertThat(same(Safetensors.read(run.resolve(RunFolder.MODEL)), newWeights)).as(step + ": resumed = uninterrupted").isTrue();
            assertThat(ImageClassifier.load(run).labels()).isEqualTo(NEW);
            try (Stream<Path> left = Files.list(run)) {
                assertThat(left.map(p -> p.getFileName().toString()))
                        .as(step + ": nothing left behind")
                        .containsExactlyInAnyOrder("manifest.json", "model.safetensors", "model.json", "history.json", "history.png");
            }
        }
    }

    @Test void aFileChangedAfterItsRunWasWrittenIsRefusedByName() throws IOException {
        Path run = copyOfOldRun("tampered");
        Files.writeString(run.resolve(RunFolder.META), Files.readString(run.resolve(RunFolder.META)).replace("kitten", "dog"));
        assertThatThrownBy(() -> ImageClassifier.load(run)).isInstanceOf(BadInputException.class)
                .hasMessageContaining(run.resolve(RunFolder.META).toString()).hasMessageContaining("does not match its sha256");
        Path bare = Files.createDirectories(tmp.resolve("no-manifest"));
        Files.copy(oldRun.resolve(RunFolder.META), bare.resolve(RunFolder.META));
        Files.copy(oldRun.resolve(RunFolder.MODEL), bare.resolve(RunFolder.MODEL));
        assertThatThrownBy(() -> ImageClassifier.load(bare)).isInstanceOf(BadInputException.class).hasMessageContaining("manifest.json");
    }

    @Test void leftoversOfACrashAreCleanedOnTheNextWrite() throws IOException {
        Path run = copyOfOldRun("leftovers");
        Files.write(run.resolve(".model.safetensors.5f3a9c.tmp"), new byte[100]);
        Files.write(run.resolve(".manifest.json.77.tmp"), "{\"form".getBytes());
        Files.write(Files.createDirectories(run.resolve(RunManifest.STAGING)).resolve(RunFolder.MODEL), new byte[10]);
        Files.write(run.resolve(RunFolder.CHECKPOINT), new byte[10]);                // not vouched for: not part of the run
        Files.writeString(run.resolve("notes.txt"), "mine");                     // not LiteNet's: kept
        ImageClassifier.load(run).save(run);
        try (Stream<Path> left = Files.list(run)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("manifest.json", "model.safetensors", "model.json", "history.json", "history.png", "notes.txt");
        }
    }

    @Test void resumeWithOtherTrainingOptionsIsRefusedBeforeAnyWork() throws IOException {
        Path run = tmp.resolve("other-options");
        RunManifest.beforeWrite = s -> { if (s.equals("stage model.safetensors")) throw new Killed(s); };
        assertThatThrownBy(() -> recipe(data, run).fit()).isInstanceOf(Killed.class);
        RunManifest.beforeWrite = s -> {};
        assertThatThrownBy(() -> recipe(data, run).resume(true).learningRate(0.01).fit()).isInstanceOf(BadInputException.class)
                .hasMessageContaining(RunFolder.CHECKPOINT).hasMessageContaining("--lr 0.001, this run has 0.01");
        assertThatThrownBy(() -> ImageClassifier.load(run)).isInstanceOf(BadInputException.class)
                .hasMessageContaining("only the checkpoint of an unfinished training");
    }

    static Path copyOfOldRun(String name) throws IOException {
        Path dst = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(oldRun)) {
            for (Path f : files.toList()) Files.copy(f, dst.resolve(f.getFileName()));
        }
        return dst;
    }

    /** Same tensor names, shapes and float bits. */
    static boolean same(Map<String, TorchTensor> a, Map<String, TorchTensor> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (String k : a.keySet()) {
            if (!Arrays.equals(a.get(k).shape(), b.get(k).shape()) || !Arrays.equals(a.get(k).data(), b.get(k).data())) return false;
        }
        return true;
    }
}
