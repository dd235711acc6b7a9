package dev.litenet.models;

import dev.litenet.Shared;
import dev.litenet.train.FeatureCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caches are checked, never trusted: an entry is used only when its keyed MAC says LiteNet wrote it for exactly
 * what it claims. Forged, copied, renamed, linked, damaged and torn entries are ignored and rebuilt.
 */
class CacheTrustTest {
    static final String SHA = KnownWeights.MOBILENET_V2_1_0_224_QUANT.sha256();

    @Test void aHashEntryCopiedOrForgedForAnotherFileIsNotTrusted(@TempDir Path dir) throws IOException {
        Path memo = dir.resolve("memo"), known = dir.resolve("known.tflite"), other = dir.resolve("other.tflite");
        Files.copy(Shared.quantWeights(), known);
        assertThat(FileHashes.sha256Hex(known, memo)).isEqualTo(SHA);
        String good = Files.readString(FileHashes.entry(memo, FileHashes.version(known)));
        byte[] bytes = Files.readAllBytes(known);
        bytes[bytes.length / 2] ^= 1;                                      // another model, one value changed
        Files.write(other, bytes);
        String version = FileHashes.version(other), mac = good.strip().split("\n")[3];
        for (String forged : List.of(version + "\n" + SHA + "\n" + mac + "\n",                 // the known entry's MAC
                version + "\n" + SHA + "\n" + "00".repeat(32) + "\n", version + "\n" + SHA + "\n")) {
            Files.writeString(FileHashes.entry(memo, version), forged);
            assertThat(FileHashes.sha256Hex(other, memo)).as(forged).isEqualTo(FileHashes.hash(other)).isNotEqualTo(SHA);
            clearMemory();
        }
    }

    @Test void aPreparedFileOfAnotherModelRenamedOrLinkedIsNotUsed(@TempDir Path dir) throws IOException {
        Model pretrained = Pretrained.load(Shared.quantWeights());
        var prepared = new PreparedWeights.Prepared(pretrained.network(), pretrained.preprocess(), false);
        String otherSha = KnownWeights.MOBILENET_V2_IMAGENET1K_V1.sha256();
        PreparedWeights.write(dir, SHA, prepared);
        Path file = dir.resolve(SHA + ".lnpw");
        assertThat(PreparedWeights.read(dir, SHA)).isNotNull();
        Files.copy(file, dir.resolve(otherSha + ".lnpw"));
        assertThat(PreparedWeights.read(dir, otherSha)).as("renamed").isNull();
        Files.delete(dir.resolve(otherSha + ".lnpw"));
        Files.createSymbolicLink(dir.resolve(otherSha + ".lnpw"), file);
        assertThat(PreparedWeights.read(dir, otherSha)).as("linked").isNull();
        // torn at any point (a crash without an atomic rename): never a model
        byte[] good = Files.readAllBytes(file);
        for (int cut = 0; cut < good.length; cut += good.length / 40 + 1) {
            Files.write(file, Arrays.copyOf(good, cut));
            assertThat(PreparedWeights.read(dir, SHA)).as("cut at %d", cut).isNull();
        }
        PreparedWeights.write(dir, SHA, prepared);
        assertThat(PreparedWeights.read(dir, SHA)).as("written again").isNotNull();
    }

    @Test void aDamagedSwappedOrForeignFeatureCacheIsRebuiltWithOneNote(@TempDir Path dir) throws IOException {
        FeatureCache cache = FeatureCache.open(dir, SHA, "resize 224", 4);
        cache.put("aa".repeat(32), new float[]{1, 2, 3, 4});
        cache.put("bb".repeat(32), new float[]{5, 6, 7, 8});
        cache.save();
        Path file = cache.file();
        byte[] good = Files.readAllBytes(file);
        FeatureCache back = FeatureCache.open(dir, SHA, "resize 224", 4);
        assertThat(back.note()).isNull();
        assertThat(back.get("aa".repeat(32))).containsExactly(1, 2, 3, 4);

        byte[] exponent = good.clone();
        exponent[9 + 32] ^= 0x40;                                          // the first value's exponent: 1 -> huge
        byte[] swapped = good.clone();                                     // the two records' keys exchanged
        System.arraycopy(good, 9, swapped, 9 + 48, 32);
        System.arraycopy(good, 9 + 48, swapped, 9, 32);
        FeatureCache other = FeatureCache.open(dir.resolve("other"), "cd".repeat(32), "resize 224", 4);
        other.put("aa".repeat(32), new float[]{9, 9, 9, 9});
        other.save();
        byte[] foreign = Files.readAllBytes(other.file());
        for (byte[] bad : List.of(exponent, swapped, foreign, Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, 40), new byte[0])) {
            Files.write(file, bad);
            FeatureCache c = FeatureCache.open(dir, SHA, "resize 224", 4);
            assertThat(c.size()).isZero();
            assertThat(c.note()).contains("not used").doesNotContain("\n");
            c.put("aa".repeat(32), new float[]{1, 2, 3, 4});
            c.save();
            assertThat(FeatureCache.open(dir, SHA, "resize 224", 4).note()).as("rebuilt").isNull();
        }
    }

    private static void clearMemory() {
        try {
            var f = FileHashes.class.getDeclaredField("BY_VERSION");
            f.setAccessible(true);
            ((java.util.Map<?, ?>) f.get(null)).clear();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
