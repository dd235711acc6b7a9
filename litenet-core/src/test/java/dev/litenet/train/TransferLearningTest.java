package dev.litenet.train;

import dev.litenet.TrainEvent;

import dev.litenet.Shared;
import dev.litenet.data.BadImagePolicy;
import dev.litenet.io.Json;
import dev.litenet.io.Safetensors;
import dev.litenet.tensor.TorchTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transfer learning on a few real photos at a small input size: determinism for a fixed seed, resume after an
 * interrupted run, fine-tuning and augmentation.
 */
class TransferLearningTest {
    @TempDir static Path tmp;
    static Path data, weights, cache;

    @BeforeAll static void tinyDataset() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 8, 4);
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
    }

    TrainOptions options(Path out, int epochs, boolean resume, Path dataDir, BadImagePolicy policy) {
        return new TrainOptions(dataDir, weights, out, epochs, 4, 1e-3, 0.05, "adam", -1, false, 0, 0.2,
                policy, cache, 96, resume);
    }

    @Test
    void sameSeedSameModel() throws IOException {
        Path a = tmp.resolve("seed-a"), b = tmp.resolve("seed-b");
        new Trainer(options(a, 2, false, data, BadImagePolicy.SKIP), e -> {}).run();
        new Trainer(options(b, 2, false, data, BadImagePolicy.SKIP), e -> {}).run();
        assertThat(head(a)).isEqualTo(head(b));
    }

    @Test
    void resumeContinuesAnInterruptedRun() throws IOException {
        Path straight = tmp.resolve("straight"), interrupted = tmp.resolve("interrupted");
        new Trainer(options(straight, 4, false, data, BadImagePolicy.SKIP), e -> {}).run();
        assertThatThrownBy(() -> new Trainer(options(interrupted, 4, false, data, BadImagePolicy.SKIP), e -> {
            if (e instanceof TrainEvent.EpochEnd end && end.stats().epoch() == 2) throw new IllegalStateException("killed");
        }).run()).hasMessage("killed");
        assertThat(interrupted.resolve(dev.litenet.models.RunFolder.MODEL)).doesNotExist();
        // the checkpoint of epoch 1 exists; epoch 2's event came before its checkpoint, so the run resumes after epoch 1
        Trainer.Result resumed = new Trainer(options(interrupted, 4, true, data, BadImagePolicy.SKIP), e -> {}).run();
        assertThat(resumed.model().history()).hasSize(4);
        assertThat(head(interrupted)).isEqualTo(head(straight));
    }

    static float[] head(Path run) {
        TorchTensor w = Safetensors.read(run.resolve(dev.litenet.models.RunFolder.MODEL)).get("classifier.1.weight");
        return w.data();
    }

    @Test
    void fineTuningMovesOnlyTheUnfrozenBlocksAndBatchNormStaysPut() throws IOException {
        Path out = tmp.resolve("fine-tune");
        TrainOptions o = new TrainOptions(data, weights, out, 1, 4, 1e-3, 0.0, "adam", 17, false, 0, 0.2,
                BadImagePolicy.SKIP, cache, 96, false);
        new Trainer(o, e -> {}).run();
        var tuned = Safetensors.read(out.resolve(dev.litenet.models.RunFolder.MODEL));
        var pretrained = dev.litenet.models.Pretrained.load(weights).network().stateEntries();
        assertThat(tuned.get("features.16.conv.2.weight").data()).isEqualTo(pretrained.get("features.16.conv.2.weight").toTorch().data());
        assertThat(tuned.get("features.17.conv.2.weight").data()).isNotEqualTo(pretrained.get("features.17.conv.2.weight").toTorch().data());
        // frozen BatchNorm: running statistics are not updated by fine-tuning
        assertThat(tuned.get("features.17.conv.3.running_mean").data()).isEqualTo(pretrained.get("features.17.conv.3.running_mean").toTorch().data());
    }

    @Test
    void augmentedTrainingRunsAndSaysWhyFeaturesAreNotCached() throws IOException {
        java.util.List<String> notes = new java.util.ArrayList<>();
        TrainOptions o = new TrainOptions(data, weights, tmp.resolve("augment"), 2, 4, 1e-3, 0.05, "adam", -1, true, 0, 0.2,
                BadImagePolicy.SKIP, cache, 96, false);
        Trainer.Result r = new Trainer(o, e -> { if (e instanceof TrainEvent.Note n) notes.add(n.text()); }).run();
        assertThat(r.model().history()).hasSize(2);
        assertThat(notes).anyMatch(n -> n.contains("--augment") && n.contains("not cached"));
    }
}
