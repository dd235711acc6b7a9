package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.models.RunFolder;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Train, eval and predict through the command line on a few real photos at a small input size, and bad images.
 */
class TrainCommandTest {
    @TempDir static Path tmp;
    static Path data, weights, cache;

    @BeforeAll static void tinyDataset() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 8, 4);
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
    }

    static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }


    @Test @SuppressWarnings("unchecked")
    void trainEvalPredictThroughTheCommandLine() {
        Path out = tmp.resolve("run-cli");
        String[] r = run("train", "--data", data.toString(), "--weights", weights.toString(), "--out", out.toString(),
                "--epochs", "3", "--batch-size", "4", "--input-size", "96", "--cache", cache.toString(), "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("Epoch 1/3: train acc").contains("Epoch 3/3: train acc");
        assertThat(out.resolve("model.safetensors")).exists();
        assertThat(out.resolve("model.json")).exists();
        assertThat(out.resolve("history.json")).exists();
        assertThat(out.resolve("history.png")).exists();
        assertThat(out.resolve(RunFolder.CHECKPOINT)).doesNotExist();

        // a second run into the same folder must say so
        String[] again = run("train", "--data", data.toString(), "--weights", weights.toString(), "--out", out.toString(),
                "--epochs", "1", "--input-size", "96", "--cache", cache.toString());
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains(out.toString()).contains("--overwrite");

        String[] e = run("eval", "--model", out.toString(), "--data", data.resolve("val").toString(), "--json");
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        Map<String, Object> eval = (Map<String, Object>) Json.parse(e[1].strip());
        assertThat(eval.get("n")).isEqualTo(8L);
        assertThat(eval.get("classes")).isEqualTo(List.of("cat", "dog"));
        List<List<Long>> confusion = (List<List<Long>>) eval.get("confusion");
        long correct = confusion.get(0).get(0) + confusion.get(1).get(1);
        assertThat((Double) eval.get("accuracy")).isEqualTo(correct / 8.0);
        // the train command's own val figure is the same measurement
        Map<String, Object> trained = (Map<String, Object>) Json.parse(r[1].strip());
        assertThat((Double) trained.get("val_accuracy")).isEqualTo((Double) eval.get("accuracy"));
        // with train's feature cache (warm) or a new one (filled as it goes), eval prints the same, digit for digit
        Path fresh = tmp.resolve("eval-cache");
        for (Path c : List.of(cache, fresh)) {
            String[] cached = run("eval", "--model", out.toString(), "--data", data.resolve("val").toString(), "--json", "--cache", c.toString());
            assertThat(cached[0]).as(cached[2]).isEqualTo("0");
            assertThat(cached[1]).isEqualTo(e[1]);
        }
        assertThat(fresh.toFile().list()).hasSize(2).allSatisfy(f -> assertThat(f).startsWith("features-"));   // plain and mirrored views

        Path cat = data.resolve("val/cat").toFile().listFiles()[0].toPath();
        String[] p = run("predict", "--model", out.toString(), "--json", "--top", "2", cat.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        List<Map<String, Object>> preds = (List<Map<String, Object>>) Json.parse(p[1].strip());
        List<Map<String, Object>> top = (List<Map<String, Object>>) preds.get(0).get("top");
        assertThat(top).extracting(t -> t.get("label")).containsExactlyInAnyOrder("cat", "dog");
        assertThat((Double) top.get(0).get("prob") + (Double) top.get(1).get("prob")).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void badImagesAreSkippedAndListedOrStopTheRun() throws IOException {
        Path withBad = tmp.resolve("with-bad");
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("cat", "dog")) {
                Path dst = Files.createDirectories(withBad.resolve(split).resolve(cls));
                try (Stream<Path> files = Files.list(data.resolve(split).resolve(cls))) {
                    files.forEach(f -> copy(f, dst.resolve(f.getFileName())));
                }
            }
        }
        copy(Shared.path("data/bad-images/empty.jpg"), withBad.resolve("train/cat/empty.jpg"));
        copy(Shared.path("data/bad-images/truncated.jpg"), withBad.resolve("train/dog/truncated.jpg"));
        copy(Shared.path("data/bad-images/cmyk.jpg"), withBad.resolve("train/cat/cmyk.jpg"));     // readable: kept

        Path out = tmp.resolve("run-bad");
        String[] r = run("train", "--data", withBad.toString(), "--weights", weights.toString(), "--out", out.toString(),
                "--epochs", "1", "--input-size", "96", "--cache", cache.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("skipped " + withBad.resolve("train/cat/empty.jpg") + ": empty file")
                .contains("skipped " + withBad.resolve("train/dog/truncated.jpg") + ": truncated JPEG");
        assertThat(Files.readString(out.resolve("skipped.json"))).contains("empty.jpg").contains("truncated.jpg").doesNotContain("cmyk");

        String[] f = run("train", "--data", withBad.toString(), "--weights", weights.toString(), "--out", tmp.resolve("run-fail").toString(),
                "--epochs", "1", "--input-size", "96", "--cache", tmp.resolve("cache-fail").toString(), "--on-bad-image", "fail");
        assertThat(f[0]).isEqualTo("2");
        assertThat(f[2].strip().lines().toList()).last().isEqualTo("litenet: " + withBad.resolve("train/cat/empty.jpg") + ": empty file");
        assertThat(f[2]).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
