package dev.litenet;

import dev.litenet.explain.Heatmap;
import dev.litenet.models.Model;
import dev.litenet.models.Pretrained;
import dev.litenet.nn.Init;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ImageClassifier#explain} on real photos with Google's ImageNet MobileNetV2, and the sanity checks of
 * Adebayo et al. 2018 ("Sanity Checks for Saliency Maps"): a map that does not change when the model's weights are
 * randomized explains the photo, not the model (the head's weights randomized: the maps' Spearman rank correlation
 * must fall below 0.5), and a map must follow the object (a photo pasted into the left half of a blank canvas: most
 * of the map's mass on the left half).
 */
class ExplainTest {
    static final String WEIGHTS = "weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite";
    static ImageClassifier imagenet;
    static List<Path> photos;
    @TempDir static Path tmp;

    @BeforeAll static void load() throws IOException {
        imagenet = ImageClassifier.pretrained(Shared.path(WEIGHTS));
        photos = List.of(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"), Shared.path("data/cats-dogs/val/cat/cat.116.jpg"),
                Shared.path("data/cats-dogs/val/cat/cat.117.jpg"), Shared.path("data/cats-dogs/val/dog/dog.1000.jpg"),
                Shared.path("data/cats-dogs/val/dog/dog.113.jpg"), Shared.path("data/cats-dogs/val/dog/dog.121.jpg"));
    }

    @Test
    void explainsThePredictedClassAtTheLastBlock() {
        Explanation e = imagenet.explain(photos.getFirst());
        Prediction top = imagenet.predict(photos.getFirst(), 1).getFirst();
        assertThat(e.explained().index()).isEqualTo(top.index()).isEqualTo(281);            // tabby
        assertThat(e.explained().probability()).isCloseTo(top.probability(), org.assertj.core.api.Assertions.within(1e-4));
        assertThat(e.predicted()).isEqualTo(e.explained());
        assertThat(e.layer()).isEqualTo("features.18");
        assertThat(e.heatmap().height()).isEqualTo(7);
        assertThat(e.heatmap().width()).isEqualTo(7);
        assertThat(e.heatmap().max()).isGreaterThan(0f);
        assertThat(e.view().getWidth()).isEqualTo(224);
        assertThat(e.image()).endsWith("cat.100.jpg");
        BufferedImage overlay = e.overlay();
        assertThat(overlay.getWidth()).isEqualTo(448);
        assertThat(e.title()).isEqualTo("tabby, tabby cat  " + String.format(java.util.Locale.ROOT, "%.1f %%", 100 * top.probability()));
        assertThat(e.toJson()).containsKeys("image", "class", "predicted", "layer", "heatmap");
    }

    @Test
    void anyClassAndAnyLayerCanBeExplained() {
        int dog = imagenet.classIndex("golden retriever");
        Explanation e = imagenet.explain(photos.getFirst(), dog);
        assertThat(e.explained().label()).isEqualTo("golden retriever");
        assertThat(e.predicted().index()).isEqualTo(281);
        assertThat(e.title()).startsWith("why golden retriever (").contains("not tabby, tabby cat (");
        PreparedImage p = imagenet.prepare(photos.getFirst());
        Explanation earlier = imagenet.explain(p, Explanation.PREDICTED, "features.13");
        assertThat(earlier.layer()).isEqualTo("features.13");
        assertThat(earlier.heatmap().height()).isEqualTo(14);
        assertThat(imagenet.explain(p, Explanation.PREDICTED, "features").layer()).isEqualTo("features.18");
        assertThat(imagenet.explainLayer(null)).isEqualTo("features.18");
        assertThat(imagenet.explainLayers()).contains("features.0", "features.18", "features");
        assertThat(imagenet.classIndex("tabby")).isEqualTo(281);
        assertThat(imagenet.classIndex("Tabby, tabby cat")).isEqualTo(281);
        assertThat(imagenet.classIndex("281")).isEqualTo(281);
        // the same map whether asked through a file, a decoded image or a prepared one
        assertThat(imagenet.explain(p, 281, null).heatmap().values()).containsExactly(imagenet.explain(photos.getFirst()).heatmap().values());
    }

    @Test
    void badInputIsOneClearError(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        assertThatThrownBy(() -> imagenet.explain(text)).isInstanceOf(BadInputException.class).hasMessageContaining("notes.jpg");
        assertThatThrownBy(() -> imagenet.explain(photos.getFirst(), 1000)).isInstanceOf(BadInputException.class)
                .hasMessage("class index 1000 is out of range: the model has 1000 classes (0 to 999)");
        assertThatThrownBy(() -> imagenet.classIndex("unicorn")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("no class 'unicorn' in this model; it has 1000 classes");
        PreparedImage p = imagenet.prepare(photos.getFirst());
        assertThatThrownBy(() -> imagenet.explain(p, Explanation.PREDICTED, "layer4")).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("no layer 'layer4' in mobilenet_v2");
        assertThatThrownBy(() -> imagenet.explainLayer("features.99")).isInstanceOf(BadInputException.class);
    }

    /**
     * Adebayo et al.'s model randomization test at the top: the head re-initialized as torch initializes a Linear,
     * five seeds, the six photos, the class the trained model predicts. Each map of the random head is a random
     * mixture of the block's channels, which may still follow where the activations are strong (or their
     * opposite), so single maps can correlate either way; on average they must not.
     */
    @Test
    void randomizingTheHeadChangesTheMap() {
        Model randomized = Pretrained.load(Shared.path(WEIGHTS));
        int seeds = 5, n = 0;
        double sum = 0, largest = -1, smallest = 1;
        for (int seed = 0; seed < seeds; seed++) {
            Init.linear(randomized.network().head(), new SplittableRandom(seed));
            ImageClassifier random = new ImageClassifier(randomized);
            for (Path photo : photos) {
                Explanation e = imagenet.explain(photo);
                Heatmap before = e.heatmap(), after = random.explain(photo, e.explained().index()).heatmap();
                double rho = spearman(before.values(), after.values());
                System.out.printf("sanity (head randomized, seed %d): %s rank correlation %+.3f%n", seed, photo.getFileName(), rho);
                sum += rho;
                n++;
                largest = Math.max(largest, rho);
                smallest = Math.min(smallest, rho);
            }
        }
        System.out.printf("sanity (head randomized): mean rank correlation %+.3f over %d maps (from %+.3f to %+.3f)%n", sum / n, n, smallest, largest);
        assertThat(sum / n).isLessThan(0.5);
    }

    @Test
    void aPhotoInTheLeftHalfDrawsTheMapToTheLeft() throws IOException {
        double least = 1, sum = 0;
        for (Path photo : photos) {
            BufferedImage canvas = new BufferedImage(448, 448, BufferedImage.TYPE_INT_RGB), image = ImageIO.read(photo.toFile());
            Graphics2D g = canvas.createGraphics();
            g.setColor(new Color(128, 128, 128));                 // blank: mid-grey, the network's zero after (x - 128) / 128
            g.fillRect(0, 0, 448, 448);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 112, 224, 224, null);           // the left half, vertically centred
            g.dispose();
            int cls = imagenet.explain(photo).explained().index();
            Heatmap map = imagenet.explain(canvas, cls).heatmap().upsampled(224, 224);
            double left = 0, total = 0;
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    total += map.at(y, x);
                    if (x < 112) left += map.at(y, x);
                }
            }
            double share = left / total;
            System.out.printf("sanity (photo in the left half): %s %.1f %% of the map's mass on the left%n", photo.getFileName(), 100 * share);
            assertThat(share).as(photo.toString()).isGreaterThan(0.5);
            least = Math.min(least, share);
            sum += share;
        }
        System.out.printf("sanity (photo in the left half): mean %.1f %%, least %.1f %% of the mass on the left over %d photos%n",
                100 * sum / photos.size(), 100 * least, photos.size());
    }

    @Test
    void oneExplanationAtBatchOneTakesMilliseconds() {
        PreparedImage p = imagenet.prepare(photos.getFirst());
        for (int i = 0; i < 10; i++) imagenet.explain(p, Explanation.PREDICTED, null);    // warm-up
        long[] nanos = new long[15];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            imagenet.explain(p, Explanation.PREDICTED, null);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        for (int i = 0; i < 3; i++) imagenet.explain(p, Explanation.PREDICTED, null).overlayPng();
        long t0 = System.nanoTime();
        byte[] png = imagenet.explain(p, Explanation.PREDICTED, null).overlayPng();
        long withPng = System.nanoTime() - t0;
        System.out.printf("one explanation at batch 1 (mobilenet_v2, prepared 224 image, %d threads): median %.1f ms, min %.1f ms;"
                        + " with the overlay PNG %.1f ms (%d bytes)%n", LiteNet.threads(), nanos[nanos.length / 2] / 1e6, nanos[0] / 1e6,
                withPng / 1e6, png.length);
        assertThat(nanos[nanos.length / 2]).isLessThan(2_000_000_000L);
    }

    @Test
    void aClassifierTrainedWithTestTimeFlipExplainsThePlainViewWithItsOwnProbabilities() {
        ImageClassifier flip = imagenet.withPreprocess(imagenet.preprocess().withFlipAverage(true));
        Explanation e = flip.explain(photos.get(3));
        Prediction top = flip.predict(photos.get(3), 1).getFirst();
        assertThat(e.predicted().index()).isEqualTo(top.index());
        assertThat(e.explained().probability()).isCloseTo(top.probability(), org.assertj.core.api.Assertions.within(1e-4));
        assertThat(e.heatmap().values()).containsExactly(imagenet.explain(photos.get(3), top.index()).heatmap().values());
    }

    static List<dev.litenet.models.Architecture> zoo() { return dev.litenet.models.Architectures.all(); }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("zoo")
    void everyArchitectureOfTheZooExplainsThroughTheLibrary(dev.litenet.models.Architecture arch) {
        ImageClassifier net = new ImageClassifier(new Model(arch.build(3, 1f, 1), List.of("a", "b", "c"),
                dev.litenet.data.Preprocess.TORCHVISION_IMAGENET.resizedTo(96), arch.name() + " (random init)", "", List.of()));
        Explanation e = net.explain(photos.getFirst(), 2);
        assertThat(e.layer()).isEqualTo(net.network().units().getLast().name());
        assertThat(e.explained().label()).isEqualTo("c");
        assertThat(e.heatmap().height()).isEqualTo(3);                             // 96 / 32
        assertThat(e.view().getWidth()).isEqualTo(96);
        assertThat(e.overlay().getWidth()).isEqualTo(448);
        String stage = net.explainLayers().getLast();
        assertThat(net.explain(net.prepare(photos.getFirst()), Explanation.PREDICTED, stage).heatmap().values()).isNotEmpty();
    }

    @Test
    void googlesMobileNetV1ExplainsAndItsEmbeddingExtractorSaysWhyNot() {
        ImageClassifier v1 = ImageClassifier.pretrained(Shared.path("weights/mobilenet_v1_0.25_128_quant/mobilenet_v1_0.25_128_quant.tflite"));
        Explanation e = v1.explain(photos.getFirst());
        assertThat(e.layer()).isEqualTo(v1.network().units().getLast().name());
        assertThat(e.heatmap().height()).isEqualTo(4);                             // 128 / 32
        assertThat(e.heatmap().max()).isGreaterThan(0f);
        assertThat(e.explained().index()).isEqualTo(v1.predict(photos.getFirst(), 1).getFirst().index());
        ImageClassifier extractor = ImageClassifier.pretrained(Shared.path(
                "weights/mobilenet_v1_1.0_224_quant_embedding_extractor/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"));
        assertThatThrownBy(() -> extractor.explain(photos.getFirst())).isInstanceOf(BadInputException.class)
                .hasMessageContaining("embedding extractor, without a classifier");
    }

    /** Spearman's rank correlation, ties given their mean rank. */
    static double spearman(float[] a, float[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0), mb = Arrays.stream(rb).average().orElse(0), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    private static double[] ranks(float[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) j++;
            for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    }
}
