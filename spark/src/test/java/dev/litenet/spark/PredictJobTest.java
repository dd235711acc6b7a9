package dev.litenet.spark;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.Shared;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code predict} in local[2] on real photos: one row per image, the library's answers, bad files as rows. */
class PredictJobTest {
    static ImageClassifier net;

    @BeforeAll static void model() { net = ImageClassifier.pretrained(Shared.path(LocalSpark.WEIGHTS)); }

    @Test void agreesWithTheLibraryOnEveryPhoto(@TempDir Path tmp) throws IOException {
        Path photos = tmp.resolve("photos"), out = tmp.resolve("p.parquet");
        LocalSpark.copyPhotos("val", 20, photos);
        renameFirst(photos.resolve("cat"), ".JPG");                        // endings count in any case
        renameFirst(photos.resolve("dog"), ".jPeG");
        String summary = LocalSpark.run("predict", "--weights", Shared.path(LocalSpark.WEIGHTS).toString(),
                "--input", photos.toString(), "--output", out.toString(), "--top", "3", "--batch-size", "8");
        assertThat(summary).contains("40 images (0 unreadable)");

        List<Row> rows = LocalSpark.read(out);
        assertThat(rows).hasSize(40);
        Map<Path, Row> byFile = new HashMap<>();
        for (Row r : rows) byFile.put(LocalSpark.file(r.getAs("path")), r);
        assertThat(byFile).hasSize(40);
        assertThat(byFile.keySet()).extracting(p -> p.getFileName().toString())
                .anyMatch(n -> n.endsWith(".JPG")).anyMatch(n -> n.endsWith(".jPeG"));
        List<Path> files = byFile.keySet().stream().sorted().toList();
        for (ImageClassifier.FilePrediction expected : net.predictAll(files, 3)) {
            Row r = byFile.get(expected.file());
            assertThat((String) r.getAs("error")).isNull();
            assertThat((String) r.getAs("label")).isEqualTo(expected.top().get(0).label());
            assertThat((double) r.getAs("prob")).isCloseTo(expected.top().get(0).probability(), within(1e-5));
            List<Row> top = r.getList(r.fieldIndex("top"));
            assertThat(top).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Prediction p = expected.top().get(i);
                assertThat(top.get(i).getInt(0)).as("%s top %d", expected.file(), i).isEqualTo(p.index());
                assertThat(top.get(i).getString(1)).isEqualTo(p.label());
                assertThat(top.get(i).getDouble(2)).isCloseTo(p.probability(), within(1e-5));
            }
        }
    }

    /** Gives the first photo (in name order) of {@code dir} the ending {@code ending}. */
    static void renameFirst(Path dir, String ending) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            Path p = s.sorted().findFirst().orElseThrow();
            String name = p.getFileName().toString();
            Files.move(p, p.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ending));
        }
    }

    @Test void everyBadImageIsARowWithItsError(@TempDir Path tmp) throws IOException {
        Path bad = Shared.path("data/bad-images").toRealPath(), out = tmp.resolve("bad.parquet");   // Spark names files by real path
        LocalSpark.run("predict", "--weights", Shared.path(LocalSpark.WEIGHTS).toString(),
                "--input", bad.toString(), "--output", out.toString(), "--top", "2");
        List<Path> images;
        try (Stream<Path> s = Files.list(bad)) {
            images = s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        assertThat(images).hasSize(8);
        List<Row> rows = LocalSpark.read(out);
        Map<Path, Row> byFile = new HashMap<>();
        for (Row r : rows) byFile.put(LocalSpark.file(r.getAs("path")), r);
        assertThat(byFile.keySet()).containsExactlyInAnyOrderElementsOf(images);
        assertThat(rows).hasSize(8);
        int unreadable = 0;
        for (Path image : images) {
            Row r = byFile.get(image);
            String error = r.getAs("error");
            boolean readable;
            try {
                net.prepare(image);
                readable = true;
            } catch (BadInputException e) {
                readable = false;
            }
            if (readable) {
                assertThat(error).as(image.toString()).isNull();
                assertThat(r.getList(r.fieldIndex("top"))).hasSize(2);
            } else {
                unreadable++;
                assertThat(error).as(image.toString()).contains(image.getFileName().toString());
                assertThat((Object) r.getAs("label")).isNull();
                assertThat((Object) r.getAs("top")).isNull();
            }
        }
        assertThat(unreadable).isEqualTo(4);                      // empty, text, truncated, header only
    }

    @Test void badArgumentsExitWithCode2(@TempDir Path tmp) {
        LocalSpark.session();
        for (String[] args : List.of(
                new String[]{"predict", "--model", tmp.resolve("no-such-run").toString(), "--input", tmp.toString(), "--output", tmp.resolve("o").toString()},
                new String[]{"predict", "--weights", "no-such-weights", "--input", tmp.toString(), "--output", tmp.resolve("o").toString()},
                new String[]{"predict", "--weights", Shared.path(LocalSpark.WEIGHTS).toString(), "--top", "0", "--input", tmp.toString(), "--output", tmp.resolve("o").toString()})) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            assertThat(LiteNetJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args)).as(err.toString()).isEqualTo(2);
            assertThat(err.toString()).startsWith("litenet-spark: ").doesNotContain("Exception");
        }
    }
}
