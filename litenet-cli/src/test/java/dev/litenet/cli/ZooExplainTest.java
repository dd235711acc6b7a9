package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.Json;
import dev.litenet.data.Preprocess;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.models.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every architecture of the zoo through {@code litenet explain} and {@code litenet eval --report}: a run folder of
 * random two-class weights at input 64, a photo in each class folder. The map is taken at the architecture's last
 * unit (a 2×2 grid at 64), and the report shows the mistakes.
 */
class ZooExplainTest {
    @TempDir static Path tmp;
    static Path photo, data;

    @BeforeAll static void photos() throws IOException {
        photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
        data = tmp.resolve("data");
        Files.copy(photo, Files.createDirectories(data.resolve("cat")).resolve("cat.100.jpg"));
        Files.copy(Shared.path("data/cats-dogs/val/dog/dog.1000.jpg"), Files.createDirectories(data.resolve("dog")).resolve("dog.1000.jpg"));
    }

    static List<String> architectures() { return Architectures.all().stream().map(Architecture::name).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("architectures") @SuppressWarnings("unchecked")
    void explainAndReport(String arch) throws IOException {
        Network random = Architectures.get(arch).build(2, 1f, 3);
        Path run = tmp.resolve(arch + "-run");
        RunFolder.save(run, new Model(random, List.of("cat", "dog"), Preprocess.torchvision(72, 64), "random", "", List.of()));
        String[] r = ExplainCommandTest.run("explain", "--model", run.toString(), "--json", photo.toString(), "--out", tmp.resolve(arch).toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        Map<String, Object> row = ((List<Map<String, Object>>) Json.parse(r[1].strip())).getFirst();
        assertThat(row.get("layer")).isEqualTo(random.units().getLast().name());
        assertThat(((Map<String, Object>) row.get("heatmap")).get("height")).isEqualTo(2L);
        assertThat(Path.of((String) row.get("overlay"))).exists();

        Path html = tmp.resolve(arch + ".html");
        r = ExplainCommandTest.run("eval", "--model", run.toString(), "--data", data.toString(), "--report", html.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        int mistakes = (int) r[1].lines().filter(l -> l.startsWith("  ") && l.contains("predicted")).count();
        assertThat(Files.readString(html).split("class=\"card\"", -1)).hasSize(mistakes + 1);
    }
}
