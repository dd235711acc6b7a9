package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.Json;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.Pretrained;
import dev.litenet.models.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet explain} and {@code litenet eval --report} end to end: overlay PNGs and JSON grids with Google's
 * ImageNet weights, a chosen class and layer, bad input as one line and exit code 2, and the HTML report of a run
 * whose folders are labelled the wrong way round (so every photo is a mistake to explain).
 */
class ExplainCommandTest {
    @TempDir static Path tmp;
    static Path cat, dog, weights;

    @BeforeAll static void photos() {
        cat = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
        dog = Shared.path("data/cats-dogs/val/dog/dog.1000.jpg");
        weights = Shared.quantWeights();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void writesOneOverlayPerPhoto() throws IOException {
        Path out = tmp.resolve("overlays");
        String[] r = run("explain", "--weights", weights.toString(), cat.toString(), dog.toString(), "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1].lines()).hasSize(2);
        assertThat(r[1]).contains("cat.100.jpg: tabby, tabby cat").contains("at features.18 -> ").contains("cat.100.gradcam.png");
        BufferedImage png = ImageIO.read(out.resolve("cat.100.gradcam.png").toFile());
        assertThat(png.getWidth()).isEqualTo(448);
        assertThat(png.getHeight()).isGreaterThan(448);
        assertThat(out.resolve("dog.1000.gradcam.png")).exists();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasTheGridsOfTheClassAndLayerAsked() {
        Path out = tmp.resolve("json");
        String[] r = run("explain", "--weights", weights.toString(), "--class", "golden retriever", "--layer", "features.13",
                "--json", cat.toString(), "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(r[1].strip());
        Map<String, Object> row = rows.getFirst();
        assertThat(row).containsKeys("file", "overlay", "class", "predicted", "layer", "heatmap");
        assertThat(((Map<String, Object>) row.get("class")).get("label")).isEqualTo("golden retriever");
        assertThat(((Map<String, Object>) row.get("predicted")).get("index")).isEqualTo(281L);
        assertThat(row.get("layer")).isEqualTo("features.13");
        Map<String, Object> grid = (Map<String, Object>) row.get("heatmap");
        assertThat(grid.get("height")).isEqualTo(14L);
        assertThat((List<Object>) grid.get("values")).hasSize(14);
        assertThat(Path.of((String) row.get("overlay"))).exists();
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Path out = tmp.resolve("bad");
        String[] r = run("explain", "--weights", weights.toString(), "--class", "unicorn", cat.toString(), "--out", out.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("litenet: no class 'unicorn' in this model"));
        assertThat(out).doesNotExist();                                   // checked before any work
        r = run("explain", "--weights", weights.toString(), "--layer", "layer4", cat.toString(), "--out", out.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip().lines()).singleElement().satisfies(l -> assertThat(l).startsWith("litenet: no layer 'layer4' in mobilenet_v2"));
        Path broken = Files.writeString(tmp.resolve("broken.jpg"), "not a photo");
        r = run("explain", "--weights", weights.toString(), broken.toString(), cat.toString(), "--out", out.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("broken.jpg").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.resolve("cat.100.gradcam.png")).exists();         // the good photo is still explained
        r = run("explain", "--weights", weights.toString(), cat.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--out");
    }

    @Test
    void evalReportIsOneSelfContainedPageWithEveryMistakeExplained() throws IOException {
        // a run whose class folders are swapped: every photo is misclassified when the head is right about it
        Path run = tmp.resolve("run");
        Model pre = Pretrained.load(weights);
        Network net = pre.network();
        net.replaceHead(2, 0);
        RunFolder.save(run, new Model(net, List.of("cat", "dog"), pre.preprocess(), pre.origin(), pre.sha256(), List.of()));
        Path data = tmp.resolve("swapped");
        for (String[] pair : new String[][] {{"cat", "dog"}, {"dog", "cat"}}) {
            Path to = Files.createDirectories(data.resolve(pair[1]));
            try (Stream<Path> s = Files.list(Shared.path("data/cats-dogs/val/" + pair[0]))) {
                for (Path p : s.sorted().limit(3).toList()) Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        Path html = tmp.resolve("report.html");
        String[] r = run("eval", "--model", run.toString(), "--data", data.toString(), "--report", html.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("report: " + html);
        String page = Files.readString(html);
        assertThat(page).startsWith("<!doctype html>").contains("Confusion matrix").contains("precision").contains("recall")
                .contains("Calibration").contains("reliability diagram").contains("data:image/png;base64,").contains("Misclassified, most confident first");
        assertThat(page).doesNotContain("<script").doesNotContain("src=\"http").doesNotContain("href=\"http").doesNotContain("url(");
        int mistakes = (int) r[1].lines().filter(l -> l.startsWith("  ") && l.contains("predicted")).count();
        assertThat(page.split("class=\"card\"", -1)).hasSize(mistakes + 1);
        assertThat(page.split("data:image/jpeg;base64,", -1)).hasSize(3 * mistakes + 1);
        r = run("eval", "--model", run.toString(), "--data", data.toString(), "--report", tmp.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("--report").contains("is a folder");
    }
}
