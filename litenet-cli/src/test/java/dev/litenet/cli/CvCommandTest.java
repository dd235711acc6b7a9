package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet cv} on a few real photos at a small input size (the same tiny set as {@link TrainCommandTest}),
 * and {@code eval}'s confusion-matrix PNG and top-k lines and {@code predict --format csv} on a trained run.
 */
class CvCommandTest {
    @TempDir static Path tmp;
    static Path data, weights, cache;

    @BeforeAll static void tinyDataset() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 8, 4);
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
    }

    static String[] run(String... args) { return TrainCommandTest.run(args); }

    @Test @SuppressWarnings("unchecked")
    void crossValidatesPrintsATableAndWritesJson() throws IOException {
        Path result = tmp.resolve("cv.json");
        String[] r = run("cv", "--data", data.toString(), "--weights", weights.toString(), "--folds", "3", "--epochs", "2",
                "--input-size", "96", "--cache", cache.toString(), "--out", result.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("3-fold cross-validation (fold seed 0) of 24 photos").contains("mean").contains("sd");
        assertThat(r[1].lines().filter(l -> l.matches("[123] +16 +8 .*"))).hasSize(3);
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(result));
        assertThat(((Number) m.get("photos")).intValue()).isEqualTo(24);
        List<Object> folds = (List<Object>) m.get("per_fold");
        double mean = folds.stream().mapToDouble(f -> ((Number) ((Map<String, Object>) f).get("accuracy")).doubleValue()).average().orElseThrow();
        assertThat(((Number) m.get("accuracy_mean")).doubleValue()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r[1]).contains(String.format("%.2f%%", 100 * mean));
        assertThat((String) m.get("args")).contains("--folds 3");
    }

    @Test
    void badDataIsAClearErrorWithExitCode2() throws IOException {
        Path one = Files.createDirectories(tmp.resolve("one-class/cat"));
        Files.copy(data.resolve("train/cat").toFile().listFiles()[0].toPath(), one.resolve("a.jpg"));
        String[] r = run("cv", "--data", tmp.resolve("one-class").toString(), "--weights", weights.toString(), "--folds", "2");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("litenet: ").contains("at least 2 classes").doesNotContain("Exception");
        String[] few = run("cv", "--data", data.toString(), "--weights", weights.toString(), "--folds", "20");
        assertThat(few[0]).isEqualTo("2");
        assertThat(few[2]).contains("has 12 photos, fewer than the 20 folds");
    }

    @Test
    void evalDrawsTheConfusionMatrixAndPredictWritesCsv() throws IOException {
        Path out = tmp.resolve("run-for-eval");
        String[] t = run("train", "--data", data.toString(), "--weights", weights.toString(), "--out", out.toString(),
                "--epochs", "2", "--input-size", "96", "--cache", cache.toString(), "--mirror");
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        Path png = tmp.resolve("confusion.png");
        String[] e = run("eval", "--model", out.toString(), "--data", data.resolve("val").toString(), "--confusion-png", png.toString());
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        var image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isGreaterThan(300);
        assertThat(e[1]).contains("top-2 accuracy 1.0000");                          // two classes: always among the top 2
        Path cat = data.resolve("val/cat").toFile().listFiles()[0].toPath();
        String[] p = run("predict", "--model", out.toString(), "--format", "csv", "--top", "2", cat.toString());
        assertThat(p[0]).isEqualTo("0");
        List<String> lines = p[1].lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("file,rank,index,label,probability,error");
        assertThat(lines.get(1)).startsWith(cat + ",1,");
        double p1 = Double.parseDouble(lines.get(1).split(",")[4]), p2 = Double.parseDouble(lines.get(2).split(",")[4]);
        assertThat(p1 + p2).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(PredictCommand.csv("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
    }
}
