package dev.litenet.spark;

import dev.litenet.Evaluation;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.TransferLearning;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.ml.functions.array_to_vector;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code embed} in local[2] on a train/val split of real photos: the library's features, a head trained on them
 * with Spark MLlib as accurate as LiteNet's own transfer learning on the same split, and {@code predict} with that
 * trained run folder.
 */
class EmbedJobTest {
    static final int TRAIN_PER_CLASS = 50, VAL_PER_CLASS = 25;
    @TempDir static Path tmp;
    static Path data, embeddings;

    @BeforeAll static void embedTheSplit() {
        data = tmp.resolve("cats-dogs");
        LocalSpark.copyPhotos("train", TRAIN_PER_CLASS, data.resolve("train"));
        LocalSpark.copyPhotos("val", VAL_PER_CLASS, data.resolve("val"));
        embeddings = tmp.resolve("e.parquet");
        String summary = LocalSpark.run("embed", "--weights", Shared.path(LocalSpark.WEIGHTS).toString(),
                "--input", data.toString(), "--output", embeddings.toString(), "--label-from-parent");
        assertThat(summary).contains((2 * (TRAIN_PER_CLASS + VAL_PER_CLASS)) + " images (0 unreadable)");
    }

    @Test void embeddingsAreTheLibrarys() {
        List<Row> rows = LocalSpark.read(embeddings);
        assertThat(rows).hasSize(2 * (TRAIN_PER_CLASS + VAL_PER_CLASS));
        assertThat(rows.get(0).schema().fieldNames()).containsExactly("path", "label", "embedding", "error");
        Map<Path, Row> byFile = new HashMap<>();
        for (Row r : rows) byFile.put(LocalSpark.file(r.getAs("path")), r);
        for (Row r : rows) {
            assertThat((String) r.getAs("label")).isEqualTo(LocalSpark.file(r.getAs("path")).getParent().getFileName().toString());
            assertThat(r.getList(r.fieldIndex("embedding"))).hasSize(1280);
        }
        ImageClassifier net = ImageClassifier.pretrained(Shared.path(LocalSpark.WEIGHTS));
        List<Path> some = byFile.keySet().stream().sorted().limit(8).toList();
        for (ImageClassifier.FileEmbedding e : net.embedAll(some)) {
            List<Float> got = byFile.get(e.file()).getList(byFile.get(e.file()).fieldIndex("embedding"));
            float scale = 0;
            for (float v : e.embedding()) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isCloseTo(e.embedding()[i], within(1e-5f * scale));
        }
    }

    @Test void mllibHeadOnTheEmbeddingsMatchesLiteNetsTrainer() {
        Dataset<Row> all = LocalSpark.session().read().parquet(embeddings.toString())
                .withColumn("features", array_to_vector(col("embedding")))
                .withColumn("y", when(col("label").equalTo("dog"), 1.0).otherwise(0.0));
        Dataset<Row> train = all.filter(col("path").contains("/train/")), val = all.filter(col("path").contains("/val/"));
        LogisticRegressionModel head = new LogisticRegression().setFeaturesCol("features").setLabelCol("y")
                .setRegParam(0.01).setMaxIter(100).fit(train);
        long valRows = val.count();
        double mllib = (double) head.transform(val).filter(col("prediction").equalTo(col("y"))).count() / valRows;

        Path run = tmp.resolve("run");
        TransferLearning.Training t = TransferLearning.from(Shared.path(LocalSpark.WEIGHTS)).data(data)
                .featureCache(tmp.resolve("features")).runFolder(run).fit();
        Evaluation litenet = t.validation();
        assertThat(valRows).isEqualTo(litenet.n()).isEqualTo(2L * VAL_PER_CLASS);
        assertThat(litenet.accuracy()).isGreaterThanOrEqualTo(0.9);
        assertThat(mllib).as("MLlib %.3f vs LiteNet %.3f", mllib, litenet.accuracy()).isGreaterThanOrEqualTo(litenet.accuracy() - 0.04);

        // the trained run folder through predict: the same answers as the library on every val photo
        Path out = tmp.resolve("p.parquet");
        LocalSpark.run("predict", "--model", run.toString(), "--input", data.resolve("val").toString(),
                "--output", out.toString(), "--top", "2");
        Map<Path, Row> byFile = new HashMap<>();
        for (Row r : LocalSpark.read(out)) byFile.put(LocalSpark.file(r.getAs("path")), r);
        assertThat(byFile).hasSize(2 * VAL_PER_CLASS);
        ImageClassifier mine = ImageClassifier.load(run);
        for (ImageClassifier.FilePrediction p : mine.predictAll(byFile.keySet().stream().sorted().toList(), 2)) {
            Row r = byFile.get(p.file());
            assertThat((String) r.getAs("label")).isEqualTo(p.top().get(0).label());
            assertThat((double) r.getAs("prob")).isCloseTo(p.top().get(0).probability(), within(1e-5));
        }
    }
}
