package dev.litenet.spark;

import dev.litenet.Shared;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job never deletes what it reads, gives every listed file a row (names with colons or bytes that are not
 * UTF-8, dangling links, pipes, link loops reported once), and refuses bad arguments in one line with exit code 2.
 */
class SparkNothingLostTest {
    static String weights() { return Shared.path(LocalSpark.WEIGHTS).toString(); }

    record Result(int code, String out, String err) {}

    static Result job(String... args) {
        LocalSpark.session();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LiteNetJob.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static void refused(Result r, String... words) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("litenet-spark: ").doesNotContain("Exception").doesNotContain("\tat ").contains(words);
    }

    @Test void anOutputThatIsHoldsOrIsInsideTheInputIsRefusedWhateverOverwriteSays(@TempDir Path tmp) throws IOException {
        Path photos = tmp.resolve("photos");
        LocalSpark.copyPhotos("val", 1, photos);
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        Files.createSymbolicLink(tmp.resolve("link"), photos);
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "mine");
        List<Path> before = files(tmp);
        for (String out : List.of(photos.toString(), tmp.toString(), photos.resolve("cat").toString(), photos.resolve("p.parquet").toString(),
                tmp.resolve("link").toString(), "file:" + photos, photos + "/../photos")) {
            for (boolean overwrite : new boolean[]{true, false}) {
                List<String> args = new ArrayList<>(List.of("predict", "--weights", weights(), "--input", photos.toString(), "--output", out));
                if (overwrite) args.add("--overwrite");
                refused(job(args.toArray(String[]::new)), "--output");
            }
        }
        refused(job("predict", "--weights", weights(), "--input", photos + "/*/*.jpg", "--output", photos.resolve("dog/x").toString(), "--overwrite"), "inside");
        // an existing folder that is not a job's output is never replaced, an existing output only with --overwrite
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", mine.toString(), "--overwrite"), "thesis.tex");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", mine.toString()), "exists", "--overwrite");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", tmp.resolve("notes.txt").toString(), "--overwrite"), "is a file");
        assertThat(files(tmp)).isEqualTo(List.of(before.toArray(Path[]::new))).contains(mine.resolve("thesis.tex"));
        assertThat(Files.readString(tmp.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test void badArgumentsAreOneLineExitTwo(@TempDir Path tmp) throws IOException {
        Path photos = tmp.resolve("photos");
        LocalSpark.copyPhotos("val", 1, photos);
        String out = tmp.resolve("o.parquet").toString();
        refused(job("predict", "--weights", weights(), "--input", tmp.resolve("missing").toString(), "--output", out), "missing", "no such file");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", out, "--master", "local[x]"), "--master");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", out, "--master", "bogus://"), "--master");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", out, "--top", "100000"), "--top");
        refused(job("predict", "--weights", weights(), "--input", photos.toString(), "--output", out, "--threads", "1000"), "--threads");
        refused(job("predict", "--weights", weights(), "--output", out), "--input");
        refused(job("predict", "--weights", weights(), "--input", "", "--output", out), "--input");
        assertThat(tmp.resolve("o.parquet")).doesNotExist();
    }

    @Test void everyListedFileGetsARow(@TempDir Path tmp) throws Exception {
        LocalSpark.copyPhotos("val", 1, tmp.resolve("photos"));
        Path photos = tmp.resolve("photos").toRealPath(), out = tmp.resolve("o.parquet");
        Path cat;
        try (Stream<Path> s = Files.list(photos.resolve("cat"))) {
            cat = s.findFirst().orElseThrow();
        }
        Files.copy(cat, photos.resolve("cat/with:colon.jpg"));
        Files.createDirectories(photos.resolve("cat/sub"));
        Files.createSymbolicLink(photos.resolve("cat/sub/loop"), photos.resolve("cat"));        // a loop back to a folder above
        Files.createSymbolicLink(photos.resolve("cat/gone.jpg"), photos.resolve("nowhere.jpg"));
        Files.writeString(photos.resolve("cat/notes.txt"), "not an image name: no row");
        sh("mkfifo '" + photos.resolve("dog/pipe.jpg") + "'");
        sh("cp '" + cat + "' '" + photos.resolve("dog") + "'/$(printf 'not-utf8-\\377\\376.jpg')");
        Result r = job("predict", "--weights", weights(), "--input", photos.toString(), "--output", out.toString(), "--top", "2");
        assertThat(r.code()).as(r.err()).isZero();

        List<Row> rows = LocalSpark.read(out);
        assertThat(rows).extracting(row -> (String) row.getAs("path")).doesNotHaveDuplicates();
        assertThat(rows).hasSize(7);                // 2 photos, colon, non-UTF-8, gone, pipe, loop
        for (Row row : rows) {
            String path = row.getAs("path"), error = row.getAs("error");
            if (path.endsWith("gone.jpg") || path.endsWith("pipe.jpg") || path.endsWith("loop")) {
                assertThat(error).as(path).startsWith(path).doesNotContain("Exception");
            } else {
                assertThat(error).as(path).isNull();
                assertThat((String) row.getAs("label")).as(path).isNotNull();
            }
        }
        assertThat(rows).filteredOn(row -> ((String) row.getAs("path")).endsWith("loop")).singleElement()
                .satisfies(row -> assertThat((String) row.getAs("error")).contains("symbolic link loop"));
        assertThat(rows).anyMatch(row -> ((String) row.getAs("path")).endsWith("cat/with:colon.jpg"))
                .anyMatch(row -> ((String) row.getAs("path")).contains("not-utf8-\uFFFD\uFFFD.jpg"));
    }

    /** Spark's wrapped failures become the first cause's message, without class names or more lines. */
    @Test void sparkExceptionsAreOneLineAtTheEdge() {
        Throwable job = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 0 in stage 1.0 failed 1 times",
                new RuntimeException("java.io.IOException: No space left on device\n\tat org.apache.hadoop.fs.RawLocalFileSystem.write"));
        assertThat(LiteNetJob.oneLine(job)).isEqualTo("No space left on device");
        assertThat(LiteNetJob.oneLine(new IllegalStateException((String) null))).doesNotContain("\n").isEqualTo("failed (IllegalStateException)");
    }

    static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).inheritIO().start();
        assertThat(p.waitFor()).as(command).isZero();
    }
}
