package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.Json;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code litenet predict} with Google's ImageNet weights: sensible labels, the JSON shape, bad files one by one. */
class PredictCommandTest {
    static final String WEIGHTS = "weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite";

    @Test void aCatIsATabby() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "predict", "--weights",
                Shared.path(WEIGHTS).toString(), "--top", "5", Shared.path("data/cats-dogs/val/cat/cat.100.jpg").toString());
        assertThat(code).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(1)).contains("281").contains("tabby");            // torchvision's index of "tabby"
    }

    @Test @SuppressWarnings("unchecked")
    void jsonAndBadFilesOneByOne() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "predict", "--weights",
                Shared.path(WEIGHTS).toString(), "--json", "--top", "3", Shared.path("data/bad-images").toString());
        assertThat(code).isEqualTo(2);                                          // some files were unreadable
        List<Map<String, Object>> results = (List<Map<String, Object>>) Json.parse(out.toString().strip());
        assertThat(results).hasSize(8);
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        for (var r : results) byName.put(java.nio.file.Path.of((String) r.get("file")).getFileName().toString(), r);
        for (String bad : List.of("empty.jpg", "text-not-image.jpg", "truncated.jpg", "truncated-header-only.jpg")) {
            assertThat((String) byName.get(bad).get("error")).contains(bad);
            assertThat(err.toString()).contains(bad);
        }
        for (String good : List.of("cmyk.jpg", "png-content-with-jpg-extension.jpg", "grayscale.jpg", "rgba.png")) {
            List<Map<String, Object>> top = (List<Map<String, Object>>) byName.get(good).get("top");
            assertThat(top).hasSize(3);
            assertThat(top.get(0)).containsKeys("index", "label", "prob");
        }
        // the CMYK and PNG-named-.jpg files are the same cat photo: both converted right, both a cat class
        for (String cat : List.of("cmyk.jpg", "png-content-with-jpg-extension.jpg")) {
            long index = (Long) ((List<Map<String, Object>>) byName.get(cat).get("top")).get(0).get("index");
            assertThat(index).isBetween(281L, 285L);
        }
    }
}
