package dev.litenet;

import dev.litenet.io.Json;
import dev.litenet.models.Pretrained;
import dev.litenet.models.RunFolder;
import dev.litenet.models.RunManifest;
import dev.litenet.train.FeatureCache;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ImageClassifier#evaluate(Path, int, Path)} with the feature cache training filled: the same evaluation bit
 * for bit, the backbone skipped for photos found there, a fine-tuned (or unlabelled old) run never reading it, and a
 * damaged cache file rebuilt.
 */
class EvaluateCacheTest {
    /** Field by field, doubles and floats by their bits: NaN (an empty calibration bin) equals NaN, 0.1 only 0.1. */
    static final RecursiveComparisonConfiguration SAME = RecursiveComparisonConfiguration.builder()
            .withComparatorForType(Double::compare, Double.class).withComparatorForType(Float::compare, Float.class).build();

    @TempDir static Path tmp;
    static Path data, val, weights, trainedCache;
    static Path mirroredRun, plainRun;

    @BeforeAll static void frozenRuns() throws IOException {
        data = Shared.catsDogs(tmp.resolve("pets"), 4, 3);
        val = data.resolve("val");
        weights = Shared.quantWeights();
        trainedCache = tmp.resolve("cache");
        mirroredRun = tmp.resolve("mirrored-run");
        plainRun = tmp.resolve("plain-run");
        TransferLearning.from(weights.toString()).data(data).inputSize(64).epochs(2).featureCache(trainedCache).mirrored(true)
                .fit().classifier().save(mirroredRun);
        TransferLearning.from(weights.toString()).data(data).inputSize(64).epochs(2).featureCache(trainedCache).mirrored(false)
                .fit().classifier().save(plainRun);
    }

    @Test
    void aWarmCacheGivesTheSameEvaluation() {
        for (Path run : List.of(mirroredRun, plainRun)) {
            ImageClassifier net = ImageClassifier.load(run);
            assertThat(net.model().backboneUnchanged()).isTrue();
            Evaluation uncached = net.evaluate(val, 4, null);
            Path cache = copyOf(trainedCache);
            for (int batchSize : new int[]{1, 4, 32}) {
                assertThat(net.evaluate(val, batchSize, cache)).usingRecursiveComparison(SAME).isEqualTo(uncached);
            }
        }
    }

    @Test
    void anUnreadablePhotoIsSkippedAsWithoutTheCache() throws IOException {
        Path mixed = tmp.resolve("val-with-bad");
        for (String cls : List.of("cat", "dog")) {
            Path dst = Files.createDirectories(mixed.resolve(cls));
            for (Path photo : photos(val.resolve(cls))) Files.copy(photo, dst.resolve(photo.getFileName()));
        }
        Files.copy(Shared.path("data/bad-images/truncated.jpg"), mixed.resolve("dog/truncated.jpg"));
        ImageClassifier net = ImageClassifier.load(mirroredRun);
        Evaluation uncached = net.evaluate(mixed, 4, null);
        assertThat(uncached.skipped()).hasSize(1);
        assertThat(net.evaluate(mixed, 4, copyOf(trainedCache))).usingRecursiveComparison(SAME).isEqualTo(uncached);
    }

    @Test
    void theCacheIsReallyReadAndNewFeaturesAreAddedToIt() {
        ImageClassifier net = ImageClassifier.load(mirroredRun);
        Path empty = tmp.resolve("empty-cache");
        Evaluation uncached = net.evaluate(val, 4, null);
        assertThat(net.evaluate(val, 4, empty)).usingRecursiveComparison(SAME).isEqualTo(uncached);
        assertThat(views(net, empty)).allSatisfy(c -> assertThat(c.size()).isEqualTo(6));   // both views of the 6 photos

        Path poisoned = copyOf(trainedCache);
        for (FeatureCache c : views(net, poisoned)) {
            for (Path photo : photos(val)) c.put(Pretrained.sha256(photo), new float[net.embeddingSize()]);
            save(c);
        }
        Evaluation fromZeros = net.evaluate(val, 4, poisoned);
        assertThat(fromZeros.n()).isEqualTo(uncached.n());
        assertThat(fromZeros.loss()).isNotEqualTo(uncached.loss());   // every photo scored as the head's bias alone
    }

    @Test
    void aFineTunedRunIgnoresTheCache() throws IOException {
        Path run = tmp.resolve("fine-tuned-run");
        TransferLearning.from(weights.toString()).data(data).inputSize(64).epochs(1).unfreezeFrom(18).featureCache(trainedCache)
                .fit().classifier().save(run);
        assertThat(weightsMeta(run)).containsEntry("backbone_unchanged", false);
        ImageClassifier net = ImageClassifier.load(run);
        assertThat(net.model().backboneUnchanged()).isFalse();
        assertThat(net.sha256()).isEqualTo(ImageClassifier.load(plainRun).sha256());   // same base weights, same cache key
        Path poisoned = poisonedCopy(net);
        assertThat(net.evaluate(val, 4, poisoned)).usingRecursiveComparison(SAME).isEqualTo(net.evaluate(val, 4, null));
    }

    @Test
    void aRunFolderThatDoesNotSayIgnoresTheCache() throws IOException {
        Path old = copyOf(plainRun);
        assertThat(weightsMeta(plainRun)).containsEntry("backbone_unchanged", true);
        Map<String, Object> meta = meta(old);
        @SuppressWarnings("unchecked")
        Map<String, Object> weightsMeta = (Map<String, Object>) meta.get("weights");
        weightsMeta.remove("backbone_unchanged");                      // as written before it was recorded
        RunManifest.commit(old, Map.of(RunFolder.META, RunFolder.json(meta)), false, -1);
        ImageClassifier net = ImageClassifier.load(old);
        assertThat(net.model().backboneUnchanged()).isFalse();
        assertThat(net.evaluate(val, 4, poisonedCopy(net))).usingRecursiveComparison(SAME).isEqualTo(net.evaluate(val, 4, null));
    }

    @Test
    void aDamagedCacheFileIsRebuiltNotTrusted() throws IOException {
        ImageClassifier net = ImageClassifier.load(plainRun);
        Evaluation uncached = net.evaluate(val, 4, null);
        for (int damage = 0; damage < 2; damage++) {
            Path cache = poisonedCopy(net);                            // every val photo's features zeros
            Path file = views(net, cache).getFirst().file();
            byte[] bytes = Files.readAllBytes(file);
            if (damage == 0) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length - 3);   // cut short inside a feature
            } else {
                bytes[0] ^= 0x20;                                      // a wrong magic
            }
            Files.write(file, bytes);
            assertThat(net.evaluate(val, 4, cache)).usingRecursiveComparison(SAME).isEqualTo(uncached);
            FeatureCache rebuilt = views(net, cache).getFirst();
            assertThat(rebuilt.size()).isEqualTo(6);
            assertThat(net.evaluate(val, 4, cache)).usingRecursiveComparison(SAME).isEqualTo(uncached);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> meta(Path run) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(run.resolve(RunFolder.META)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> weightsMeta(Path run) throws IOException {
        return (Map<String, Object>) meta(run).get("weights");
    }

    /** The cache files of a classifier's views in {@code dir}, keyed as training keys them. */
    static List<FeatureCache> views(ImageClassifier net, Path dir) {
        String key = net.preprocess().featureKey();
        FeatureCache plain = FeatureCache.open(dir, net.sha256(), key, net.embeddingSize());
        return net.preprocess().flipAverage() ? List.of(plain, FeatureCache.open(dir, net.sha256(), key + " hflip", net.embeddingSize()))
                : List.of(plain);
    }

    /** A copy of the trained cache whose entries for the val photos (both views, mirrored or not) are zeros. */
    static Path poisonedCopy(ImageClassifier net) {
        Path cache = copyOf(trainedCache);
        for (boolean mirrored : new boolean[]{false, true}) {
            ImageClassifier as = net.withPreprocess(net.preprocess().withFlipAverage(mirrored));
            for (FeatureCache c : views(as, cache)) {
                for (Path photo : photos(val)) c.put(Pretrained.sha256(photo), new float[net.embeddingSize()]);
                save(c);
            }
        }
        return cache;
    }

    static List<Path> photos(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void save(FeatureCache c) {
        try {
            c.save();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of a folder's files (one level deep). */
    static Path copyOf(Path dir) {
        try {
            Path copy = Files.createTempDirectory(tmp, dir.getFileName().toString());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, copy.resolve(f.getFileName()));
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
