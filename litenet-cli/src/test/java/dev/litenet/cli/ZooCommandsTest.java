package dev.litenet.cli;

import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.io.Json;
import dev.litenet.io.Safetensors;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Network;
import dev.litenet.models.StateDict;
import dev.litenet.nn.Inference;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every architecture of the zoo through the commands, at a small input on a few real photos: random weights saved
 * as a safetensors file are fine-tuned from the last unit ({@code train --arch --unfreeze-from}), and the run is
 * predicted, run raw ({@code forward}, against the library's network), summarized and benchmarked.
 */
class ZooCommandsTest {
    @TempDir static Path tmp;
    static Path data, photo;

    @BeforeAll static void tinyDataset() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 3, 2);
        photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
    }

    static List<String> architectures() { return Architectures.all().stream().map(Architecture::name).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("architectures") @SuppressWarnings("unchecked")
    void trainPredictForwardSummaryAndBench(String arch) throws IOException {
        Network random = Architectures.get(arch).build(10, 1f, 1);
        Path weights = tmp.resolve(arch + ".safetensors"), run = tmp.resolve(arch + "-run");
        Safetensors.write(weights, StateDict.of(random), Map.of());
        int last = random.units().size() - 1;

        String[] r = TrainCommandTest.run("train", "--data", data.toString(), "--weights", weights.toString(), "--arch", arch,
                "--unfreeze-from", Integer.toString(last), "--epochs", "1", "--batch-size", "3", "--input-size", "64",
                "--out", run.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(run.resolve("model.json")));
        assertThat(meta.get("architecture")).isEqualTo(arch);
        ImageClassifier trained = ImageClassifier.load(run);
        assertThat(trained.architecture()).isEqualTo(arch);
        assertThat(trained.labels()).containsExactly("cat", "dog");

        r = TrainCommandTest.run("predict", "--model", run.toString(), "--top", "2", "--format", "csv", photo.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1].lines().skip(1)).hasSize(2).allMatch(line -> line.contains(",cat,") || line.contains(",dog,"));

        Tensor x = Tensor.zeros(1, 64, 64, 3);
        SplittableRandom random01 = new SplittableRandom(5);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (random01.nextDouble() * 2 - 1);
        Path input = tmp.resolve(arch + ".f32"), output = tmp.resolve(arch + "-logits.f32");
        ByteBuffer b = ByteBuffer.allocate(4 * x.data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x.data);
        Files.write(input, b.array());
        r = TrainCommandTest.run("forward", "--model", run.toString(), "--input", input.toString(), "--shape", "1,3,64,64",
                "--layout", "nhwc", "--output", output.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        float[] logits = new float[2];
        ByteBuffer.wrap(Files.readAllBytes(output)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(logits);
        assertThat(logits).containsExactly(Inference.forward(trained.network().fused(), x.copy()).data,
                org.assertj.core.data.Offset.offset(1e-5f));

        r = TrainCommandTest.run("summary", "--arch", arch, "--input-size", "1,3,64,64", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        Map<String, Object> totals = (Map<String, Object>) ((Map<String, Object>) Json.parse(r[1])).get("totals");
        assertThat(((Number) totals.get("total_params")).longValue()).isEqualTo(Architectures.get(arch).build(1000).numParameters());

        r = TrainCommandTest.run("bench", "--model", run.toString(), "--input-size", "64", "--iterations", "1", "--warmup", "0", "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(((Map<String, Object>) Json.parse(r[1])).get("arch")).isEqualTo(arch);
    }
}
