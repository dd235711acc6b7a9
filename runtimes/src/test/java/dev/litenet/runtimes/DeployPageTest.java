package dev.litenet.runtimes;

import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/deploy/classify.html, the web page of docs/DEPLOY.md, as a user runs it: beside an exported file (float32 and
 * int8), LiteRT.js loaded from the npm packages instead of their CDN, a photo by URL. It reads the preprocessing and
 * labels from the file and must name the class {@code litenet predict} names.
 */
class DeployPageTest {
    @TempDir static Path tmp;

    @Test void thePageOfTheDocsClassifiesAPhotoAsLiteNetDoes() throws Exception {
        ImageClassifier run = TrainedRuns.frozenWithFlip(tmp);
        Path fp = tmp.resolve("model.tflite"), q = tmp.resolve("model-int8.tflite");
        run.export(fp, ExportOptions.tflite());
        run.export(q, ExportOptions.tflite().int8(Shared.path("data/cats-dogs/train")).calibrationImages(32));
        Path page = Runtimes.repo().resolve("docs/deploy/classify.html");
        for (Path photo : List.of(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"), Shared.path("data/cats-dogs/val/dog/dog.1000.jpg"))) {
            Prediction ours = run.predict(photo, 1).getFirst();
            for (Path model : List.of(fp, q)) {
                List<String> labels = LiteRt.get().page(page, Map.of("model.tflite", Files.readAllBytes(model), "photo.jpg", Files.readAllBytes(photo)),
                        "model=model.tflite&image=photo.jpg&core=/node_modules/@litertjs/core/&utils=/node_modules/@litertjs/wasm-utils/");
                System.out.printf("page with %s: %s is %s (LiteNet: %s %.3f)%n", model.getFileName(), photo.getFileName(), labels, ours.label(), ours.probability());
                assertThat(labels).hasSize(2);
                assertThat(labels.getFirst()).as(photo + " with " + model.getFileName()).isEqualTo(ours.label());
            }
        }
    }
}
