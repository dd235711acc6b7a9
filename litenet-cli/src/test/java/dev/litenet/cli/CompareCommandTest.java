package dev.litenet.cli;

import dev.litenet.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet compare} end to end on a tiny IDX data set written here: class k is a bright band at rows
 * 2k+4..2k+5 over noise, which every net learns. Checks the table's rows, the JSON's numbers, the chart, and
 * one clear error per bad input.
 */
class CompareCommandTest {
    record Run(int code, String out, String err) {}

    @TempDir static Path dir;
    static Path data;

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** An IDX file of unsigned bytes: magic 00 00 08 ndims, big-endian dims, values. */
    static byte[] idx(int[] dims, byte[] values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x0800 | dims.length);
        for (int d : dims) out.writeInt(d);
        out.write(values);
        return bytes.toByteArray();
    }

    static void writeSplit(Path folder, String split, int n, int side, int maxLabel, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] images = new byte[n * side * side], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(maxLabel + 1);
            labels[i] = (byte) label;
            for (int p = 0; p < side * side; p++) {
                int row = p / side;
                boolean band = row == 2 * label + 4 || row == 2 * label + 5;
                images[i * side * side + p] = (byte) (band ? 200 + r.nextInt(56) : r.nextInt(60));
            }
        }
        Files.write(folder.resolve(split + "-images-idx3-ubyte"), idx(new int[]{n, side, side}, images));
        Files.write(folder.resolve(split + "-labels-idx1-ubyte"), idx(new int[]{n}, labels));
    }

    static Path dataset(String name, int side, int maxLabel) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        writeSplit(folder, "train", 320, side, maxLabel, 1);
        writeSplit(folder, "t10k", 100, side, maxLabel, 2);
        return folder;
    }

    @BeforeAll static void makeData() throws IOException { data = dataset("bands", 28, 9); }

    static final String[] FAST = {"--epochs", "2", "--lr", "0.01", "--min-time", "0", "--threads", "1"};

    static String[] args(String... more) {
        String[] a = new String[1 + FAST.length + more.length];
        a[0] = "compare";
        System.arraycopy(FAST, 0, a, 1, FAST.length);
        System.arraycopy(more, 0, a, 1 + FAST.length, more.length);
        return a;
    }

    @Test void tableHasEveryNetAndEveryImageModel() {
        Run r = run(args("--data", data.toString(), "--image-size", "32"));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Lesson nets trained on " + data);
        assertThat(lines.get(1)).isEqualTo("320 training images, 100 test images; 2 epochs, batch 64, Adam lr 0.01, seed 0, 1 threads");
        assertThat(lines.get(3)).startsWith("Model  Layers").contains("Params", "Mult-adds", "Test acc", "Train time", "ms/img b=1", "ms/img b=64");
        assertThat(lines.get(4)).matches("dense  784-10 +7,850 +7,840 +[01]\\.\\d{4} +\\d+\\.\\d s +[\\d.]+ +[\\d.]+");
        assertThat(lines.get(5)).matches("mlp    784-100-10 +79,510 +79,400 .*");
        assertThat(lines.get(6)).matches("cnn1   conv 9@5x5, 5184-10 +52,084 +181,440 .*");
        assertThat(lines.get(7)).matches("cnn2   conv 10@5x5, pool, conv 20@5x5, pool, 320-10 +8,490 +467,200 .*");
        assertThat(r.out()).contains("Image models at 32x32, 1000 classes");
        assertThat(lines).anyMatch(l -> l.matches("mobilenet_v2 +3,504,872 .*"))
                .anyMatch(l -> l.matches("mobilenet_v2_0\\.5 +1,968,680 .*"))
                .anyMatch(l -> l.matches("mobilenet_v2_0\\.35 .*"))
                .anyMatch(l -> l.matches("resnet18 +11,689,512 +\\d+\\.\\d\\d M +[\\d.]+ +1\\.000 +1\\.000"));
        assertThat(r.err()).contains("dense epoch 1/2: loss ", "cnn2 epoch 2/2: ", "measuring resnet18 at 32x32");
    }

    @Test void jsonHasTheNumbers() {
        Run r = run(args("--data", data.toString(), "--models", "dense,cnn2", "--no-image-models", "--json", "--train-limit", "200"));
        assertThat(r.code()).as(r.err()).isZero();
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        @SuppressWarnings("unchecked") Map<String, Object> setup = (Map<String, Object>) root.get("setup");
        assertThat(setup).containsEntry("train_images", 200L).containsEntry("train_available", 320L)
                .containsEntry("test_images", 100L).containsEntry("epochs", 2L).containsEntry("batch_size", 64L);
        @SuppressWarnings("unchecked") List<Map<String, Object>> trained = (List<Map<String, Object>>) root.get("trained");
        assertThat(trained).extracting(m -> m.get("model")).containsExactly("dense", "cnn2");
        assertThat(trained).extracting(m -> m.get("params")).containsExactly(7850L, 8490L);
        assertThat(trained).extracting(m -> m.get("mult_adds")).containsExactly(7840L, 467200L);
        // the bands are easy: the dense net gets nearly all right after 2 epochs of 200 images (chance is 0.1)
        assertThat((Double) trained.getFirst().get("test_accuracy")).isGreaterThan(0.8);
        for (Map<String, Object> m : trained) {
            assertThat((Double) m.get("train_seconds")).isPositive();
            assertThat((Double) m.get("ms_per_image_batch1")).isPositive();
            assertThat((Double) m.get("ms_per_image_batch64")).isPositive();
        }
        assertThat((List<?>) root.get("image")).isEmpty();
    }

    @Test void trainLimitIsSaidInTheTable() {
        Run r = run(args("--data", data.toString(), "--models", "dense", "--no-image-models", "--train-limit", "100"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("100 training images (--train-limit: the first 100 of 320), 100 test images");
    }

    @Test void chartIsAPng() throws IOException {
        Path png = dir.resolve("accuracy.png");
        Run r = run(args("--data", data.toString(), "--models", "dense,mlp", "--no-image-models", "--chart", png.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(AccuracyChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(AccuracyChart.HEIGHT);
    }

    @Test void badInputsGetOneClearError() throws IOException {
        Path small = dataset("small-images", 20, 9), eleven = dataset("eleven-classes", 28, 10);
        Object[][] cases = {
                {new String[]{"compare", "--data", dir.resolve("missing").toString()}, "--data: folder not found"},
                {new String[]{"compare", "--data", small.toString()}, "are 20x20; the lesson's nets need 28x28"},
                {new String[]{"compare", "--data", eleven.toString(), "--no-image-models"}, "label is 10"},
                {new String[]{"compare", "--data", data.toString(), "--epochs", "0"}, "--epochs must be 1 to"},
                {new String[]{"compare", "--data", data.toString(), "--models", "vgg"}, "unknown small net 'vgg'"},
                {new String[]{"compare", "--no-image-models"}, "nothing to compare"},
                {new String[]{"compare", "--chart", "x.png"}, "--chart plots test accuracy"},
                {new String[]{"compare", "--image-size", "8"}, "--image-size must be 16 to 1024"},
        };
        for (Object[] c : cases) {
            Run r = run((String[]) c[0]);
            assertThat(r.code()).as(String.join(" ", (String[]) c[0])).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).startsWith("litenet: ").contains((String) c[1]);
            assertThat(r.out()).isEmpty();
        }
    }
}
