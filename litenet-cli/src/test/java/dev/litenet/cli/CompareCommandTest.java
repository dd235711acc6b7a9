package dev.litenet.cli;

import dev.litenet.Shared;
import dev.litenet.io.Json;
import dev.litenet.io.Safetensors;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.Network;
import dev.litenet.models.StateDict;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
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
import static org.assertj.core.api.Assertions.within;

/**
 * {@code litenet compare} end to end on a tiny IDX data set written here (class k is a bright band at rows
 * 2k+4..2k+5 over noise, which every net learns), the zoo at a small input size, and the transfer comparison with
 * one real TFLite backbone on a few real photos. Checks the tables' rows, the JSON's numbers against the library's
 * own, the charts, and one clear error per bad input.
 */
class CompareCommandTest {
    record Run(int code, String out, String err) {}

    @TempDir static Path dir;
    static Path data, pets;

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

    @BeforeAll static void makeData() throws IOException {
        data = dataset("bands", 28, 9);
        pets = Shared.catsDogs(dir.resolve("pets"), 8, 4);
    }

    static String[] concat(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    static final String[] FAST = {"--epochs", "2", "--lr", "0.01", "--min-time", "0", "--threads", "1"};

    static String[] args(String... more) {
        String[] a = new String[1 + FAST.length + more.length];
        a[0] = "compare";
        System.arraycopy(FAST, 0, a, 1, FAST.length);
        System.arraycopy(more, 0, a, 1 + FAST.length, more.length);
        return a;
    }

    @Test void tableHasEveryNetAndTheChosenArchitectures() {
        Run r = run(args("--data", data.toString(), "--image-size", "32", "--archs", "mobilenet_v2_0.35,resnet18,mobilenet_v2"));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Lesson nets trained on " + data);
        assertThat(lines.get(1)).isEqualTo("320 training images, 100 test images; 2 epochs, batch 64, Adam lr 0.01, seed 0, 1 threads");
        assertThat(lines.get(3)).startsWith("Model  Layers").contains("Params", "Mult-adds", "Test acc", "Train time", "ms/img b=1", "ms/img b=64");
        assertThat(lines.get(4)).matches("dense  784-10 +7,850 +7,840 +[01]\\.\\d{4} +\\d+\\.\\d s +[\\d.]+ +[\\d.]+");
        assertThat(lines.get(5)).matches("mlp    784-100-10 +79,510 +79,400 .*");
        assertThat(lines.get(6)).matches("cnn1   conv 9@5x5, 5184-10 +52,084 +181,440 .*");
        assertThat(lines.get(7)).matches("cnn2   conv 10@5x5, pool, conv 20@5x5, pool, 320-10 +8,490 +467,200 .*");
        assertThat(lines.get(9)).isEqualTo("Architectures at 32x32, 1000 classes: fused eval forward, median ms per image after warm-up; "
                + "b1 t1 = batch 1 on 1 thread, b32 t2 = batch 32 on 2 threads");
        assertThat(lines.get(11)).matches("Model +Params +Mult-adds +File +ms b1 t1 +ms b32 t2 +GMAC/s b1 t1 +ImageNet top-1 \\(published, weights\\)");
        // the rows in the order asked for; MobileNetV2 0.35 has no published weights, the others torchvision's IMAGENET1K_V1
        assertThat(lines.get(12)).matches("mobilenet_v2_0\\.35 +1,677,128 +[\\d.]+ M +6\\.\\d MB +[\\d.]+ +[\\d.]+ +[\\d.]+ +-");
        assertThat(lines.get(13)).matches("resnet18 +11,689,512 +[\\d.]+ M +46\\.\\d MB( +[\\d.]+){3} +69\\.758 % \\(RESNET18_IMAGENET1K_V1, at 224\\)");
        assertThat(lines.get(14)).matches("mobilenet_v2 +3,504,872 .* 71\\.878 % \\(MOBILENET_V2_IMAGENET1K_V1, at 224\\)");
        assertThat(lines).hasSize(15);
        assertThat(r.err()).contains("dense epoch 1/2: loss ", "cnn2 epoch 2/2: ", "architecture 2/3: resnet18", "ETA ");
    }

    /**
     * Every architecture of the zoo is a row, with the parameters of {@code Architectures.get(name).build(1000)}, the
     * multiply-adds the summary counts, the size its model.safetensors has when written, and both latencies.
     */
    @Test @SuppressWarnings("unchecked")
    void zooHasEveryArchitectureWithTheSummarysNumbers() throws IOException {
        Run r = run("compare", "--image-size", "32", "--min-time", "0", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        assertThat(root.get("image_size")).isEqualTo(32L);
        assertThat(root.get("transfer")).isNull();
        List<Map<String, Object>> image = (List<Map<String, Object>>) root.get("image");
        assertThat(image).extracting(m -> m.get("model")).containsAll(Architectures.all().stream().map(Architecture::name).toList())
                .contains("mobilenet_v2_0.5", "mobilenet_v2_0.35").doesNotHaveDuplicates();
        for (Map<String, Object> row : image) {
            String name = (String) row.get("model"), arch = (String) row.get("architecture");
            float width = ((Double) row.get("width_mult")).floatValue();
            Network net = Architectures.get(arch).build(1000, width, 0);
            if (width == 1f) {
                assertThat(name).isEqualTo(arch);
                assertThat(row.get("params")).as(name).isEqualTo(Architectures.get(name).build(1000).numParameters());
            }
            assertThat(row.get("params")).as(name).isEqualTo(net.numParameters());
            assertThat(row.get("mult_adds")).as(name).isEqualTo(ModelStatistics.of(LayerTrace.collect(net, List.of(1, 3, 32, 32))).multAdds());
            List<Map<String, Object>> latency = (List<Map<String, Object>>) row.get("latency");
            assertThat(latency).extracting(l -> l.get("batch"), l -> l.get("threads"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 1L), org.assertj.core.groups.Tuple.tuple(32L, 2L));
            for (Map<String, Object> l : latency) {
                assertThat((Double) l.get("ms_per_image")).as(name).isPositive();
                assertThat((Long) l.get("runs")).as(name).isGreaterThanOrEqualTo(5);
            }
        }
        Map<String, Object> v2 = image.stream().filter(m -> m.get("model").equals("mobilenet_v2")).findFirst().orElseThrow();
        Path file = dir.resolve("mobilenet_v2.safetensors");
        Safetensors.write(file, StateDict.of(Architectures.get("mobilenet_v2").build(1000)), Map.of("format", "litenet"));
        assertThat(v2.get("file_bytes")).isEqualTo(Files.size(file));
        assertThat((Map<String, Object>) v2.get("imagenet_top1")).containsEntry("weights", "MOBILENET_V2_IMAGENET1K_V1")
                .containsEntry("top1", 71.878).containsEntry("input_size", 224L);
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

    /** One real TFLite backbone cross-validated on a few real photos: a row with its numbers, the table, and a chart that decodes. */
    @Test @SuppressWarnings("unchecked")
    void transferCrossValidatesABackboneAndDrawsTheChart() throws IOException {
        Path png = dir.resolve("transfer.png");
        String[] transfer = {"compare", "--no-image-models", "--transfer", pets.toString(), "--backbones", "mobilenet_v1_0.25_quant",
                "--folds", "3", "--cache", dir.resolve("features").toString(), "--min-time", "0", "--threads", "1"};
        Run r = run(concat(transfer, "--json", "--transfer-chart", png.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Object> t = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.out())).get("transfer");
        assertThat(t).containsEntry("folds", 3L).containsEntry("fold_seed", 0L).containsEntry("input_size", 0L);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) t.get("backbones");
        assertThat(rows).hasSize(1);
        Map<String, Object> b = rows.getFirst();
        assertThat(b).containsEntry("weights", "mobilenet_v1_0.25_128_quant").containsEntry("architecture", "mobilenet_v1")
                .containsEntry("width_mult", 0.25).containsEntry("input_size", 128L).containsEntry("embedding_size", 256L)
                .containsEntry("photos", 24L).containsEntry("imagenet_top1", 39.9);
        // the backbone is the network without its 1001-class head: Linear(256, 1001)
        Network v1 = Architectures.get("mobilenet_v1").build(1001, 0.25f, 0);
        assertThat(b.get("params")).isEqualTo(v1.numParameters() - 256L * 1001 - 1001);
        assertThat(b.get("mult_adds")).isEqualTo(ModelStatistics.of(LayerTrace.collect(v1, List.of(1, 3, 128, 128))).multAdds() - 256L * 1001);
        double accuracy = (Double) b.get("accuracy_mean");
        assertThat(accuracy).isBetween(0.0, 1.0);
        List<Double> folds = (List<Double>) b.get("fold_accuracy");
        assertThat(folds).hasSize(3).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
        assertThat(accuracy).isCloseTo(folds.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-12));
        assertThat((Double) b.get("log_loss_mean")).isPositive();
        assertThat((Double) ((Map<String, Object>) b.get("latency")).get("ms_per_image")).isPositive();
        assertThat(((Map<String, Object>) b.get("latency"))).containsEntry("batch", 1L).containsEntry("threads", 1L);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(TransferChart.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TransferChart.HEIGHT);
        assertThat(r.err()).contains("backbone 1/1: mobilenet_v1_0.25_128_quant at 128x128", "fold 3/3: accuracy");

        Run text = run(transfer);                                          // the features are cached now
        assertThat(text.code()).as(text.err()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Frozen-feature transfer on " + pets + ": 3-fold cross-validation (fold seed 0) of 24 photos, "
                + "each backbone at its own input size");
        assertThat(lines.get(1)).startsWith("Head: TransferLearning's defaults: ").contains("mirrored views", "10 epochs", "cosine");
        assertThat(lines.get(3)).matches("Backbone +Input +Embedding +Params +Mult-adds +ms b1 t1 +CV accuracy +CV log-loss +Wrong +ImageNet top-1 +Time");
        assertThat(lines.get(4)).matches("mobilenet_v1_0\\.25_128_quant +128 +256 +[\\d,]+ +[\\d.]+ M +[\\d.]+ +"
                + String.format(java.util.Locale.ROOT, "%.2f", 100 * accuracy).replace(".", "\\.") + " % ± [\\d.]+ +[\\d.]+ ± [\\d.]+ +\\d+ +39\\.9 % +[\\d.]+ s");
    }

    @Test void withoutNamesEveryKnownBackboneOnThisMachineIsTaken() {
        StringWriter err = new StringWriter();
        List<TransferCompare.Backbone> found = TransferCompare.resolve(null, new PrintWriter(err));
        assertThat(found).extracting(b -> b.weights().name()).contains("mobilenet_v1_0.25_128_quant", "mobilenet_v2_1.0_224_quant");
        assertThat(found).allSatisfy(b -> assertThat(b.file()).isRegularFile());
        assertThat(err.toString()).isEmpty();                              // nothing was downloaded
    }

    @Test void listShowsTheRowsAndTheKnownWeights() {
        Run r = run("compare", "--list");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Rows of the zoo (--archs): mobilenet_").contains("mobilenet_v2_0.35", "resnet18");
        assertThat(r.out().lines()).anyMatch(l -> l.matches("mobilenet_v1_0\\.25_128_quant +mobilenet_v1_0\\.25_quant +mobilenet_v1 +0\\.25 +128 +39\\.9 % +yes"));
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
                {new String[]{"compare", "--archs", "vgg16"}, "--archs: unknown architecture 'vgg16'; known: mobilenet_"},
                {new String[]{"compare", "--archs", "resnet18,resnet18"}, "--archs lists resnet18 twice"},
                {new String[]{"compare", "--archs", "resnet18", "--no-image-models", "--transfer", pets.toString()}, "--archs chooses rows of the zoo"},
                {new String[]{"compare", "--transfer", dir.resolve("missing").toString()}, "--transfer: folder not found"},
                {new String[]{"compare", "--no-image-models", "--transfer", pets.toString(), "--backbones", "vgg16"}, "--backbones: unknown weights 'vgg16'"},
                {new String[]{"compare", "--no-image-models", "--transfer", pets.toString(), "--backbones", "mobilenet_v2_quant,mobilenet_v2_1.0_224_quant"},
                        "--backbones names mobilenet_v2_1.0_224_quant twice"},
                {new String[]{"compare", "--backbones", "mobilenet_v2_quant"}, "--backbones belongs to the transfer comparison: it needs --transfer DIR"},
                {new String[]{"compare", "--transfer-chart", "t.png"}, "--transfer-chart belongs to the transfer comparison"},
                {new String[]{"compare", "--transfer", pets.toString(), "--folds", "1"}, "--folds must be 2 to 100, got 1"},
                {new String[]{"compare", "--transfer", pets.toString(), "--transfer-input-size", "16"}, "--transfer-input-size must be 32 to 1024"},
                {new String[]{"compare", "--transfer", pets.toString(), "--transfer-chart", dir.toString()}, "--transfer-chart: is a folder"},
                {new String[]{"compare", "--data", data.toString(), "--chart", "a.png", "--transfer", pets.toString(), "--transfer-chart", "./a.png"},
                        "--chart and --transfer-chart name the same file"},
        };
        for (Object[] c : cases) {
            Run r = run((String[]) c[0]);
            assertThat(r.code()).as(String.join(" ", (String[]) c[0])).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).startsWith("litenet: ").contains((String) c[1]);
            assertThat(r.err().lines()).as(String.join(" ", (String[]) c[0])).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
    }
}
