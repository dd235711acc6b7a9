package dev.litenet.serve;

import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.data.Preprocess;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import dev.litenet.models.RunFolder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/explain} for every architecture of the zoo: random two-class weights at input 64, the JSON grid. */
class ZooExplainRouteTest {
    @TempDir static Path tmp;

    static List<String> architectures() { return Architectures.all().stream().map(Architecture::name).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("architectures") @SuppressWarnings("unchecked")
    void explains(String arch) throws Exception {
        Path run = tmp.resolve(arch);
        var network = Architectures.get(arch).build(2, 1f, 3);
        RunFolder.save(run, new Model(network, List.of("cat", "dog"), Preprocess.torchvision(72, 64), "random", "", List.of()));
        ImageClassifier net = ImageClassifier.load(run);
        byte[] cat = Files.readAllBytes(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
        try (InferenceServer server = InferenceServer.builder(net).port(0).start()) {
            Http.Answer a = Http.of(server.port()).postRaw("v1/explain?class=dog&format=json", "image/jpeg", cat);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().get("layer")).isEqualTo(network.units().getLast().name());
            assertThat((Map<String, Object>) a.json().get("class")).containsEntry("label", "dog");
            assertThat((Map<String, Object>) a.json().get("heatmap")).containsEntry("height", 2L);
        }
    }
}
