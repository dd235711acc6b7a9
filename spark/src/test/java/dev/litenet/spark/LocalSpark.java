package dev.litenet.spark;

import dev.litenet.Shared;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One local[2] Spark session for the tests of this module (started once per JVM, and again after
 * {@link LocalClusterTest} has stopped it for a session of its own), and helpers.
 */
final class LocalSpark {
    static final String WEIGHTS = "weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite";
    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {     // LocalClusterTest stops it to start its own
            session = SparkSession.builder().master("local[2]").appName("litenet-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
        }
        return session;
    }

    /** Stops the shared session if it is running; the next {@link #session()} starts a new one. */
    static synchronized void stop() {
        if (session != null) session.stop();
    }

    /** Runs the job in the test session; fails with the job's own error output if it does not exit 0. */
    static String run(String... args) {
        session();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LiteNetJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        return out.toString();
    }

    static List<Row> read(Path parquet) { return session().read().parquet(parquet.toString()).collectAsList(); }

    /** The local file a Spark path ({@code file:/...}) names. */
    static Path file(String sparkPath) {
        return sparkPath.startsWith("file:/") && !sparkPath.startsWith("file://") ? Path.of(sparkPath.substring("file:".length()))
                : Path.of(URI.create(sparkPath));
    }

    /** The first {@code n} photos (in name order) of each class of a cats-dogs split, copied to {@code to/<class>/}. */
    static void copyPhotos(String split, int n, Path to) {
        for (String cls : List.of("cat", "dog")) {
            Path from = Shared.path("data/cats-dogs/" + split + "/" + cls);
            try (Stream<Path> s = Files.list(from)) {
                Files.createDirectories(to.resolve(cls));
                for (Path p : s.sorted().limit(n).toList()) Files.copy(p, to.resolve(cls).resolve(p.getFileName()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
