package dev.litenet.spark;

import dev.litenet.ImageClassifier;
import dev.litenet.data.Preprocess;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import dev.litenet.models.RunFolder;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every architecture of the zoo in the Spark job: a run folder of random weights predicts a few real photos, as the library does. */
class ZooJobTest {
    @TempDir static Path tmp;

    static List<String> architectures() { return Architectures.all().stream().map(Architecture::name).toList(); }

    @ParameterizedTest(name = "{0}") @MethodSource("architectures")
    void predictsAsTheLibraryDoes(String arch) throws Exception {
        Path run = tmp.resolve(arch), photos = tmp.resolve(arch + "-photos"), out = tmp.resolve(arch + ".parquet");
        RunFolder.save(run, new Model(Architectures.get(arch).build(2, 1f, 3), List.of("cat", "dog"),
                Preprocess.torchvision(72, 64), "random", "", List.of()));
        LocalSpark.copyPhotos("val", 2, photos);
        String summary = LocalSpark.run("predict", "--model", run.toString(), "--input", photos.toString(), "--output", out.toString());
        assertThat(summary).contains("4 images (0 unreadable)");
        ImageClassifier net = ImageClassifier.load(run);
        for (Row r : LocalSpark.read(out)) {
            var expected = net.predict(LocalSpark.file(r.getAs("path")), 1).getFirst();
            assertThat((String) r.getAs("label")).isEqualTo(expected.label());
        }
    }
}
