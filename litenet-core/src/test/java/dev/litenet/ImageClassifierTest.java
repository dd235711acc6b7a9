package dev.litenet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The public API end to end on real photos: pretrained ImageNet predictions with the indices and labels of
 * torchvision, batch prediction that reports bad files one by one, embeddings, concurrent use, and transfer
 * learning saved and loaded back.
 */
class ImageClassifierTest {
    static ImageClassifier imagenet;
    static Path cats, dogs;
    @TempDir static Path tmp;

    @BeforeAll static void load() {
        imagenet = ImageClassifier.pretrained(Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"));
        cats = Shared.path("data/cats-dogs/val/cat");
        dogs = Shared.path("data/cats-dogs/val/dog");
    }

    static List<Path> photos(Path dir, int n) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().limit(n).toList();
        }
    }

    @Test
    void tfliteWeightsSpeakTorchvisionsImageNetIndices() throws IOException {
        assertThat(imagenet.labels()).hasSize(1000);
        assertThat(imagenet.labels().get(285)).isEqualTo("Egyptian cat");
        assertThat(imagenet.labels()).doesNotContain("background");
        assertThat(imagenet.inputSize()).isEqualTo(224);
        assertThat(imagenet.embeddingSize()).isEqualTo(1280);
        // ImageNet's cat classes are 281-285; most of the first cat photos land there
        int catLike = 0;
        for (Path p : photos(cats, 10)) {
            List<Prediction> top = imagenet.predict(p, 5);
            assertThat(top).hasSize(5);
            assertThat(top).isSortedAccordingTo((a, b) -> Double.compare(b.probability(), a.probability()));
            assertThat(top.get(0).label()).isEqualTo(imagenet.labels().get(top.get(0).index()));
            if (top.get(0).index() >= 281 && top.get(0).index() <= 285) catLike++;
        }
        assertThat(catLike).isGreaterThanOrEqualTo(7);
    }

    @Test
    void probabilitiesSumToOneOverTheThousandClasses() throws IOException {
        float[][] p = imagenet.probabilities(List.of(imagenet.prepare(photos(dogs, 1).get(0))));
        double sum = 0;
        for (float v : p[0]) sum += v;
        assertThat(p[0]).hasSize(1000);
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void aDecodedImageAndItsFileGiveTheSameAnswer() throws IOException {
        Path photo = photos(cats, 1).get(0);
        BufferedImage image = ImageIO.read(photo.toFile());
        assertThat(imagenet.predict(image, 3)).isEqualTo(imagenet.predict(photo, 3));
        assertThat(imagenet.prepare(photo.toString(), Files.readAllBytes(photo)).pixels()).isEqualTo(imagenet.prepare(photo).pixels());
    }

    @Test
    void manyFilesAreBatchedAndABadFileIsReportedNotThrown() throws IOException {
        List<Path> files = new ArrayList<>(photos(cats, 3));
        files.add(Shared.path("data/bad-images/truncated.jpg"));
        files.addAll(photos(dogs, 3));
        List<ImageClassifier.FilePrediction> all = imagenet.predictAll(files, 2, 4);
        assertThat(all).hasSize(7);
        assertThat(all.get(3).ok()).isFalse();
        assertThat(all.get(3).error()).contains("truncated.jpg").contains("truncated JPEG");
        for (int i : new int[] {0, 1, 2, 4, 5, 6}) {
            assertThat(all.get(i).file()).isEqualTo(files.get(i));
            // batching does not change an image's answer
            assertThat(all.get(i).top().get(0).index()).isEqualTo(imagenet.predict(files.get(i), 1).get(0).index());
            assertThat(all.get(i).top().get(0).probability()).isCloseTo(imagenet.predict(files.get(i), 1).get(0).probability(), within(1e-5));
        }
        assertThatThrownBy(() -> imagenet.predict(Shared.path("data/bad-images/empty.jpg"), 1))
                .isInstanceOf(BadInputException.class).hasMessageContaining("empty.jpg").hasMessageContaining("empty file");
    }

    @Test
    void embeddingsAreTheBackbonesFeaturesAndSeparateCatsFromDogs() throws IOException {
        List<ImageClassifier.FileEmbedding> e = imagenet.embedAll(List.of(photos(cats, 2).get(0), photos(cats, 2).get(1), photos(dogs, 1).get(0)));
        assertThat(e).allMatch(ImageClassifier.FileEmbedding::ok);
        assertThat(e.get(0).embedding()).hasSize(1280);
        for (float v : e.get(0).embedding()) assertThat(v).isGreaterThanOrEqualTo(0f);   // ReLU6 then mean pooling
        double catCat = cosine(e.get(0).embedding(), e.get(1).embedding()), catDog = cosine(e.get(0).embedding(), e.get(2).embedding());
        assertThat(catCat).isGreaterThan(catDog);
    }

    @Test
    void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
        List<Path> files = photos(cats, 4);
        List<List<Prediction>> expected = new ArrayList<>();
        for (Path f : files) expected.add(imagenet.predict(f, 3));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction>>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) for (Path f : files) futures.add(pool.submit(() -> imagenet.predict(f, 3)));
            for (int i = 0; i < futures.size(); i++) assertThat(futures.get(i).get()).isEqualTo(expected.get(i % files.size()));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void torchvisionWeightsGetImageNetLabels() {
        ImageClassifier tv = ImageClassifier.pretrained(Shared.path("fixtures/mobilenet_v2/mobilenet_v2_calib.pth"));
        assertThat(tv.labels()).hasSize(1000);
        assertThat(tv.labels().get(285)).isEqualTo("Egyptian cat");
        assertThat(tv.predict(cats.resolve("cat.100.jpg"), 1).get(0).label()).doesNotStartWith("class ");
    }

    @Test
    void transferLearningFitsSavesAndLoadsBack() throws IOException {
        Path data = tmp.resolve("pets");
        for (String cls : List.of("cat", "dog")) {
            Path dst = Files.createDirectories(data.resolve(cls));
            for (Path p : photos(cls.equals("cat") ? cats : dogs, 10)) Files.copy(p, dst.resolve(p.getFileName()));
        }
        List<TrainEvent> events = new ArrayList<>();
        ImageClassifier mine = TransferLearning.from(Shared.path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"))
                .data(data).epochs(3).inputSize(96).featureCache(null).listener(events::add).fit().classifier();
        assertThat(mine.labels()).containsExactly("cat", "dog");
        assertThat(mine.history()).hasSize(3);
        assertThat(events).filteredOn(e -> e instanceof TrainEvent.EpochEnd).hasSize(3);

        Path run = tmp.resolve("run");
        mine.save(run);
        assertThat(run.resolve("model.safetensors")).exists();
        assertThat(run.resolve("history.png")).exists();
        ImageClassifier again = ImageClassifier.load(run);
        assertThat(again.labels()).isEqualTo(mine.labels());
        assertThat(again.history()).isEqualTo(mine.history());
        Path photo = photos(dogs, 20).get(15);                         // not one of the ten it trained on
        assertThat(again.predict(photo, 2)).isEqualTo(mine.predict(photo, 2));
        Evaluation e = again.evaluate(data);
        assertThat(e.n()).isEqualTo(20);
        assertThat(e.accuracy()).isGreaterThanOrEqualTo(0.9);            // the photos it trained on (or validated on)
    }

    @Test
    void badSettingsAreRefusedWhenSet() {
        TransferLearning t = TransferLearning.from("mobilenet_v2_1.0_224_quant");
        assertThatThrownBy(() -> t.epochs(0)).isInstanceOf(BadInputException.class).hasMessageContaining("epochs");
        assertThatThrownBy(() -> t.learningRate(Double.POSITIVE_INFINITY)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> t.weightDecay(Double.NaN)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> t.batchSize(Integer.MAX_VALUE)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> t.inputSize(-5)).isInstanceOf(BadInputException.class);
        assertThatThrownBy(t::fit).isInstanceOf(BadInputException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> imagenet.predict(cats.resolve("cat.100.jpg"), 0)).isInstanceOf(BadInputException.class);
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.sqrt(aa * bb);
    }
}
