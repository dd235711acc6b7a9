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

/** Every architecture of the zoo served: a run folder of random weights answers a predict and an embed of a real photo. */
class ZooServeTest {
    @TempDir static Path tmp;

    static List<String> architectures() { return Architectures.all().stream().map(Architecture::name).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("architectures") @SuppressWarnings("unchecked")
    void predictsAndEmbeds(String arch) throws Exception {
        Path run = tmp.resolve(arch);
        var network = Architectures.get(arch).build(2, 1f, 3);
        RunFolder.save(run, new Model(network, List.of("cat", "dog"), Preprocess.torchvision(72, 64), "random", "", List.of()));
        ImageClassifier net = ImageClassifier.load(run);
        byte[] cat = Files.readAllBytes(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
        try (InferenceServer server = InferenceServer.builder(net).port(0).start()) {
            Http http = Http.of(server.port());
            Http.Answer a = http.postRaw("v1/predict?top=2", "image/jpeg", cat);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            List<Map<String, Object>> top = (List<Map<String, Object>>) a.json().get("top");
            assertThat(top).hasSize(2);
            assertThat(top.getFirst().get("label")).isIn("cat", "dog");
            Http.Answer e = http.postRaw("v1/embed", "image/jpeg", cat);
            assertThat(e.status()).as(e.body()).isEqualTo(200);
            assertThat((List<Object>) e.json().get("embedding")).hasSize(net.embeddingSize());
        }
    }
}
