package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.TrainEvent;
import dev.litenet.TransferLearning;
import dev.litenet.models.RunFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue classes 11 and 7: a bad argument is exit code 2 with one line naming it before any work; data with no
 * readable image where one is needed is one clear error, not an index or division error.
 */
class ArgumentsUpFrontTest {
    @TempDir static Path tmp;
    static Path data, weights, cache, run;

    @BeforeAll static void tinyRun() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 4, 2);
        weights = Shared.quantWeights();
        cache = tmp.resolve("cache");
        run = tmp.resolve("interrupted");          // an augmented run (a checkpoint every epoch) stopped after epoch 1
        TransferLearning recipe = TransferLearning.from(weights).data(data).runFolder(run).epochs(2).inputSize(64)
                .featureCache(cache).augment(true).listener(e -> {
                    if (e instanceof TrainEvent.EpochEnd end && end.stats().epoch() == 2) throw new IllegalStateException("stopped");
                });
        assertThatThrownBy(recipe::fit).hasMessage("stopped");
        assertThat(run.resolve(RunFolder.CHECKPOINT)).exists();
    }

    static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[]{Integer.toString(code), out.toString(), err.toString()};
    }

    static String[] train(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--weights", weights.toString(),
                "--out", tmp.resolve("new-run").toString(), "--input-size", "64", "--cache", cache.toString(), "--epochs", "1"));
        for (int i = 0; i < more.length; i++) {
            int at = args.indexOf(more[i]);
            if (more[i].equals("--resume") || more[i].equals("--augment")) args.add(more[i]);   // flags
            else if (at >= 0) args.set(at + 1, more[++i]);                 // a later value replaces an earlier one
            else args.addAll(List.of(more[i], more[++i]));
        }
        return run(args.toArray(String[]::new));
    }

    static void badInput(String[] r, String... said) {
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2].lines()).as(r[2]).hasSize(1);
        for (String s : said) assertThat(r[2]).contains(s);
        assertThat(r[2]).doesNotContain("Epoch", "features");     // refused before any work
    }

    @Test void emptyPathsAreRefused() {
        badInput(train("--out", ""), "--out is empty");
        badInput(train("--data", ""), "--data is empty");
    }

    @Test void sizesOutOfRangeAreRefused() {
        badInput(train("--input-size", "-5"), "--input-size must be 0 to 1024, got -5");
        badInput(train("--input-size", "100000"), "--input-size must be 0 to 1024, got 100000");
        badInput(train("--unfreeze-from", "-3"), "--unfreeze-from must be -1 to 10000, got -3");
        badInput(run("bench", "--iterations", "2000000000"), "--iterations must be 1 to 100000");
        badInput(run("bench", "--warmup", "-1"), "--warmup must be 0 to 100000");
    }

    @Test void anOutputThatCannotBeWrittenIsRefusedBeforeTheWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        badInput(train("--out", file.toString()), file.toString(), "exists and is not a folder");

        Path input = Files.write(tmp.resolve("x.f32"), new byte[4 * 3 * 32 * 32]);
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));
        badInput(run("forward", "--weights", weights.toString(), "--input", input.toString(), "--shape", "1,3,32,32",
                "--output", folder.toString()), folder.toString(), "is a folder");
        badInput(run("forward", "--weights", weights.toString(), "--input", input.toString(), "--shape", "1,3,32,32",
                "--output", tmp.resolve("no/such/folder/out.f32").toString()), "does not exist");
        badInput(run("compare", "--no-image-models", "--data", tmp.toString(), "--chart", folder.toString()), "is a folder");
    }

    /** Round three: output files of cv and eval, the feature cache folder, --top against the model's classes. */
    @Test void moreOptionsAreCheckedBeforeTheWork() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("cv-out-folder"));
        String[] cv = {"cv", "--data", data.toString(), "--weights", weights.toString(), "--input-size", "64", "--cache", cache.toString()};
        badInput(run(concat(cv, "--out", folder.toString())), folder.toString(), "--out: is a folder");
        badInput(run(concat(cv, "--out", tmp.resolve("no-such-folder/cv.json").toString())), "--out: its folder", "does not exist");
        badInput(run(concat(cv, "--folds", "1")), "--folds must be 2 to 100, got 1");
        badInput(train("--cache", ""), "--cache is empty");
        Path file = Files.writeString(tmp.resolve("cache-file"), "x");
        badInput(train("--cache", file.toString()), "--cache: exists and is not a folder");
        Path photo = data.resolve("val/cat").toFile().listFiles()[0].toPath();
        badInput(run("eval", "--weights", weights.toString(), "--data", data.resolve("val").toString(), "--confusion-png", folder.toString()),
                "--confusion-png: is a folder");
        badInput(run("predict", "--weights", weights.toString(), "--top", "100000", photo.toString()), "--top must be 1 to 1000, got 100000");
        badInput(run("predict", "--weights", weights.toString(), "--top", "0", photo.toString()), "--top must be 1 to");
        String[] ok = run("predict", "--weights", weights.toString(), "--top", "1000", "--format", "csv", photo.toString());
        assertThat(ok[0]).as(ok[2]).isEqualTo("0");
        assertThat(ok[1].lines()).hasSize(1001);
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test void resumeWithOtherTrainingOptionsIsRefused() {
        String[] r = train("--out", run.toString(), "--resume", "--augment", "--unfreeze-from", "17", "--epochs", "2");
        badInput(r, run.resolve(RunFolder.CHECKPOINT).toString(), "--unfreeze-from -1, this run has 17");
        badInput(train("--out", run.toString(), "--resume", "--augment", "--lr", "0.01", "--epochs", "2"), "--lr 0.001, this run has 0.01");
        // and without --resume or --overwrite the unfinished run is not silently replaced
        badInput(train("--out", run.toString()), "--resume");
    }

    /** A PNG declaring 5120000x256 pixels (its data need not be real: the header is refused first) names its file. */
    @Test void predictOfAnImageOverThePixelBudgetNamesTheFile() throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(5_120_000).putInt(256).put((byte) 8).put((byte) 2).array());
        chunk(png, "IDAT", new byte[200_000]);
        chunk(png, "IEND", new byte[0]);
        Path wide = tmp.resolve("wide 5120000x256.png");
        Files.write(wide, png.toByteArray());
        String[] r = run("predict", "--weights", weights.toString(), wide.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2].lines()).as(r[2]).hasSize(1);
        assertThat(r[2]).contains(wide.toString()).contains("over the budget");
    }

    static void chunk(java.io.ByteArrayOutputStream png, String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        crc.update(data);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        png.writeBytes(data);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test void evalOnOnlyBadImagesIsOneClearError() throws IOException {
        Path done = tmp.resolve("done");
        String[] t = train("--out", done.toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        Path bad = badFolder("eval-bad");
        String[] r = run("eval", "--model", done.toString(), "--data", bad.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains(bad.toString()).contains("no readable image");
    }

    @Test void trainingWithOnlyBadValidationImagesIsOneClearError() throws IOException {
        Path mixed = tmp.resolve("bad-val");
        for (String cls : List.of("cat", "dog")) {
            Path dst = Files.createDirectories(mixed.resolve("train").resolve(cls));
            try (Stream<Path> files = Files.list(data.resolve("train").resolve(cls))) {
                for (Path f : files.toList()) Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path val = badFolder("bad-val/val");
        String[] r = train("--data", mixed.toString(), "--out", tmp.resolve("bad-val-run").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).contains("no readable image in the val part");
        assertThat(val).exists();
    }

    /** cat/ and dog/, each holding only unreadable images. */
    static Path badFolder(String name) throws IOException {
        Path dir = tmp.resolve(name);
        for (String cls : List.of("cat", "dog")) {
            Path d = Files.createDirectories(dir.resolve(cls));
            for (String f : List.of("empty.jpg", "truncated.jpg", "text-not-image.jpg")) Files.copy(Shared.path("data/bad-images/" + f), d.resolve(f));
        }
        return dir;
    }
}
