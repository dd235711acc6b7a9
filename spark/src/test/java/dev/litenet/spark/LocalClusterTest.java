package dev.litenet.spark;

import dev.litenet.Shared;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on Spark's {@code local-cluster[2,1,1024]} master, two executor JVMs of one core each started by an
 * in-process master and workers (no daemons, no Spark installation), against local mode ({@code local[2]}): the
 * same rows to the last bit, predictions, embeddings and the bad images' error rows alike, and a summary that
 * names both executors, one model load each, on the Vector API kernels.
 *
 * <p>Spark's workers launch executors as {@code $SPARK_HOME}-based commands: here {@code SPARK_HOME} is
 * {@code target/spark-home}, with an empty {@code jars/} (executor logs go to its {@code work/}), the executors'
 * class path is this JVM's test class path ({@code spark.executor.extraClassPath}), and the launcher learns the
 * Scala version from {@code SPARK_SCALA_VERSION=2.13}; the build sets both variables for the test JVM (a JVM
 * cannot set its own environment).
 * Spark adds its own JDK flags to the executors, {@code --add-modules=jdk.incubator.vector} included.
 */
class LocalClusterTest {
    static final String CLUSTER = "local-cluster[2,1,1024]";

    @Test void twoExecutorJvmsWriteTheRowsOfLocalMode(@TempDir Path tmp) throws IOException {
        Path root = tmp.toRealPath(), photos = root.resolve("photos");       // Spark names files by real path
        LocalSpark.copyPhotos("val", 6, photos);                             // 12 photos
        Path bad = Files.createDirectories(photos.resolve("bad"));
        try (Stream<Path> s = Files.list(Shared.path("data/bad-images"))) {  // 8 images, 4 of them unreadable
            for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(".md")).toList()) Files.copy(p, bad.resolve(p.getFileName()));
        }
        String sparkHome = System.getenv("SPARK_HOME");
        assertThat(sparkHome).as("SPARK_HOME, set by the build for the test JVM").isNotNull();
        Files.createDirectories(Path.of(sparkHome, "jars"));                 // Spark's jars come from the class path

        LocalSpark.stop();                                                  // one SparkContext per JVM
        stopActive();
        Run local, cluster;
        try {
            local = run(SparkSession.builder().master("local[2]"), photos, root.resolve("local"));
        } finally {
            stopActive();
        }
        try {
            cluster = run(SparkSession.builder().master(CLUSTER)
                    .config("spark.executor.extraClassPath", testClassPath())
                    .config("spark.executor.extraJavaOptions", "-Dlog4j2.configurationFile="
                            + Path.of("log4j2.properties").toAbsolutePath()), photos, root.resolve("cluster"));
        } finally {
            stopActive();
        }

        for (String line : List.of(local.predictSummary, local.embedSummary, cluster.predictSummary, cluster.embedSummary)) {
            System.out.print(line);                                          // the test report keeps the figures
        }
        assertThat(local.predict).hasSize(20);
        assertThat(local.predict.stream().filter(r -> r.getAs("error") != null).count()).isEqualTo(4);
        assertThat(local.embed.stream().filter(r -> r.getAs("error") != null).count()).isEqualTo(4);
        assertThat(cluster.predict).as("predict rows, %s against local[2]", CLUSTER).isEqualTo(local.predict);
        assertThat(cluster.embed).as("embed rows, %s against local[2]", CLUSTER).isEqualTo(local.embed);

        assertThat(local.predictSummary).contains("20 images (4 unreadable)").contains("executor driver: ");
        assertThat(cluster.predictSummary).contains("20 images (4 unreadable)")
                .contains("executor 0: ").contains("executor 1: ").doesNotContain("executor driver")
                .doesNotContain("no jdk.incubator.vector");
        for (String executor : List.of("executor 0: ", "executor 1: ")) {   // one task slot each: one load each
            String part = cluster.predictSummary.substring(cluster.predictSummary.indexOf(executor));
            assertThat(part.substring(0, part.contains(";") ? part.indexOf(';') : part.length()).strip())
                    .contains(", 1 model load,").containsPattern("cold start \\d+\\.\\d s");
        }
        assertThat(cluster.embedSummary).doesNotContainPattern("[1-9] model load");   // the same model: reused
    }

    /** Rows of {@code predict} and {@code embed} in one master, sorted by path, and the summary lines. */
    record Run(List<Row> predict, List<Row> embed, String predictSummary, String embedSummary) {}

    private static Run run(SparkSession.Builder builder, Path photos, Path out) {
        SparkSession spark = builder.appName("litenet-local-cluster-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        awaitExecutors(spark, spark.sparkContext().master().startsWith("local-cluster") ? 2 : 0);
        String weights = Shared.path(LocalSpark.WEIGHTS).toString();
        String p = LiteNetJobRunner.run("predict", "--weights", weights, "--input", photos.toString(),
                "--output", out.resolve("p.parquet").toString(), "--top", "3", "--batch-size", "4");
        String e = LiteNetJobRunner.run("embed", "--weights", weights, "--input", photos.toString(),
                "--output", out.resolve("e.parquet").toString(), "--label-from-parent", "--batch-size", "4");
        return new Run(sorted(spark, out.resolve("p.parquet")), sorted(spark, out.resolve("e.parquet")), p, e);
    }

    private static void stopActive() {
        if (SparkSession.getActiveSession().isDefined()) SparkSession.getActiveSession().get().stop();
    }

    private static List<Row> sorted(SparkSession spark, Path parquet) {
        return spark.read().parquet(parquet.toString()).collectAsList().stream()
                .sorted(Comparator.comparing((Row r) -> r.<String>getAs("path"))).toList();
    }

    /**
     * Waits until {@code n} executors besides the driver have registered, so that every one of them gets a task (the
     * input makes as many partitions as the cluster has cores).
     */
    private static void awaitExecutors(SparkSession spark, int n) {
        long deadline = System.nanoTime() + 150_000_000_000L;               // JVM starts are slow on a loaded machine
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
            assertThat(spark.sparkContext().isStopped()).as("the cluster gave up starting executors; see target/spark-home/work").isFalse();
            assertThat(System.nanoTime()).as("%d executors registered within 150 s", n).isLessThan(deadline);
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }

    /** This JVM's test class path, in full (surefire's own property; java.class.path may be a manifest-only jar). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(cp.split(File.pathSeparator)).filter(s -> !s.isBlank()).collect(Collectors.joining(File.pathSeparator));
    }

    /** {@link LiteNetJob#run} in the active session, failing with the job's error output unless it exits 0. */
    private static final class LiteNetJobRunner {
        static String run(String... args) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = LiteNetJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            assertThat(code).as("exit code; stderr: %s", err).isZero();
            return out.toString();
        }
    }
}
