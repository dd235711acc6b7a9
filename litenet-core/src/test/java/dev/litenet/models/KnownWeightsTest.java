package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.data.Resize;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The registry's metadata against the real files in shared/weights and torchvision's published values. */
class KnownWeightsTest {
    static final WeightsInfo[] TFLITE = {KnownWeights.MOBILENET_V2_1_0_224_QUANT, KnownWeights.TF2_MOBILENET_V2_1_0_224_PTQ,
            KnownWeights.MOBILENET_V1_0_25_128_QUANT, KnownWeights.MOBILENET_V1_0_5_160_QUANT,
            KnownWeights.MOBILENET_V1_0_75_192_QUANT, KnownWeights.MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR};

    @Test
    void tfliteChecksumsAndSizesMatchTheRealFiles() throws Exception {
        for (WeightsInfo w : TFLITE) {
            Path file = Shared.path("weights/" + w.name() + "/" + w.fileName());
            assertThat(Files.size(file)).as(w.name()).isEqualTo(w.sizeBytes());
            assertThat(sha256(file)).as(w.name()).isEqualTo(w.sha256());
            assertThat(w.matchesSha256(sha256(file))).isTrue();
        }
        assertThat(KnownWeights.MOBILENET_V2_1_0_224_QUANT.sizeBytes()).isEqualTo(3_610_798);
    }

    @Test
    void tfliteChecksumsMatchTheSharedManifest() throws IOException {
        String manifest = Files.readString(Shared.path("weights/MANIFEST.sha256"));
        for (WeightsInfo w : TFLITE) {
            assertThat(manifest).contains(w.sha256() + "  " + w.name() + "/" + w.fileName());
        }
    }

    @Test
    void torchvisionEntriesFollowTheTorchHubPrefixRule() {
        WeightsInfo v1 = KnownWeights.MOBILENET_V2_IMAGENET1K_V1, v2 = KnownWeights.MOBILENET_V2_IMAGENET1K_V2;
        assertThat(v1.url()).isEqualTo(URI.create("https://download.pytorch.org/models/mobilenet_v2-b0353104.pth"));
        assertThat(v1.fileName()).isEqualTo("mobilenet_v2-b0353104.pth");
        assertThat(v1.sha256()).isNull();
        assertThat(v1.sha256Prefix()).isEqualTo("b0353104");
        assertThat(v1.expectedHash()).isEqualTo("b0353104...");
        assertThat(v2.sha256Prefix()).isEqualTo("7ebf99e0");
        assertThat(v1.matchesSha256("b0353104" + "0".repeat(56))).isTrue();
        assertThat(v1.matchesSha256("b0353105" + "0".repeat(56))).isFalse();
        assertThat(WeightsInfo.torchHubHashPrefix("resnet18-f37072fd.pth")).isEqualTo("f37072fd");
        assertThat(WeightsInfo.torchHubHashPrefix("weights.pth")).isNull();
    }

    @Test
    void torchvisionMetadataIsTorchvisions() {
        WeightsInfo v1 = KnownWeights.MOBILENET_V2_IMAGENET1K_V1, v2 = KnownWeights.MOBILENET_V2_IMAGENET1K_V2;
        assertThat(v1.numParams()).isEqualTo(3_504_872);
        assertThat(v1.numClasses()).isEqualTo(1000);
        assertThat(v1.metrics()).containsEntry("acc@1", 71.878);
        assertThat(v2.metrics()).containsEntry("acc@1", 72.154);
        assertThat(v1.format()).isEqualTo(WeightsFormat.PTH);
        assertThat(v1.preprocessing().resize()).isEqualTo(Resize.shorterSide(256));
        assertThat(v2.preprocessing().resize()).isEqualTo(Resize.shorterSide(232));
        assertThat(v2.preprocessing().cropSize()).isEqualTo(224);
        assertThat(v1.preprocessing().normalize()).isEqualTo(dev.litenet.data.Normalize.IMAGENET);
    }

    @Test
    void tflitePreprocessingIsTheInputQuantizationOnZeroTo255Pixels() {
        Preprocess quant = KnownWeights.MOBILENET_V2_1_0_224_QUANT.preprocessing();
        Preprocess tf2 = KnownWeights.TF2_MOBILENET_V2_1_0_224_PTQ.preprocessing();
        assertThat(quant.centralFraction()).isEqualTo(0.875);
        assertThat(quant.resize()).isEqualTo(Resize.to(224, 224).with(Resize.Interpolation.TF_BILINEAR));   // TF-slim's resize_bilinear
        assertThat(quant.cropSize()).isZero();
        for (int p : new int[] {0, 1, 127, 128, 200, 255}) {
            assertThat(normalize(quant, p)).as("quant p=%d", p).isCloseTo((p - 128) / 128.0, within(1e-6));
            assertThat(normalize(tf2, p)).as("tf2 p=%d", p).isCloseTo((p - 127) / 127.5, within(1e-6));
        }
        assertThat(KnownWeights.MOBILENET_V2_1_0_224_QUANT.numClasses()).isEqualTo(1001);
    }

    /**
     * The MobileNet V1 entries say what the files say (TfliteMobileNetV1Test reads the same from the files): the
     * architecture and width, 1001 classes (none for the embedding extractor), TF-slim's eval preprocessing at the
     * file's input size, and mobilenet_v1.md's top-1 of the 8-bit models.
     */
    @Test
    void mobilenetV1EntriesNameTheirWidthSizeAndPublishedTop1() {
        WeightsInfo[] v1 = {KnownWeights.MOBILENET_V1_0_25_128_QUANT, KnownWeights.MOBILENET_V1_0_5_160_QUANT,
                KnownWeights.MOBILENET_V1_0_75_192_QUANT, KnownWeights.MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR};
        float[] widths = {0.25f, 0.5f, 0.75f, 1f};
        int[] sizes = {128, 160, 192, 224};
        double[] top1 = {39.9, 57.7, 66.2};
        for (int i = 0; i < v1.length; i++) {
            WeightsInfo w = v1[i];
            assertThat(w.architecture()).isEqualTo("mobilenet_v1");
            assertThat(Architectures.get(w.architecture()).takesWidth()).isTrue();
            assertThat(w.widthMult()).isEqualTo(widths[i]);
            assertThat(w.preprocessing()).isEqualTo(Preprocess.tfCentralCrop(0.875, sizes[i], 128, 128));
            assertThat(w.format()).isEqualTo(WeightsFormat.TFLITE);
            assertThat(w.url()).hasToString("https://github.com/google-coral/test_data/raw/104342d2d3480b3e66203073dac24f4e2dbb4c41/" + w.fileName());
            assertThat(w.fileName()).isEqualTo(w.name() + ".tflite");
            if (i < 3) {
                assertThat(w.numClasses()).isEqualTo(1001);
                assertThat(w.metrics()).containsExactly(Map.entry("acc@1", top1[i]));
            } else {
                assertThat(w.numClasses()).isZero();
                assertThat(w.metrics()).isEmpty();
            }
        }
    }

    @Test
    void lookupIgnoresCaseAndAcceptsAliases() {
        assertThat(KnownWeights.find("mobilenet_v2_imagenet1k_v1")).contains(KnownWeights.MOBILENET_V2_IMAGENET1K_V1);
        assertThat(KnownWeights.find("IMAGENET1K_V2")).contains(KnownWeights.MOBILENET_V2_IMAGENET1K_V2);
        assertThat(KnownWeights.find("imagenet1k_v1")).contains(KnownWeights.MOBILENET_V2_IMAGENET1K_V1);
        assertThat(KnownWeights.find("Mobilenet_V2_Quant")).contains(KnownWeights.MOBILENET_V2_1_0_224_QUANT);
        assertThat(KnownWeights.find("mobilenet_v2_1.0_224_quant")).contains(KnownWeights.MOBILENET_V2_1_0_224_QUANT);
        assertThat(KnownWeights.find("mobilenet_v2_ptq")).contains(KnownWeights.TF2_MOBILENET_V2_1_0_224_PTQ);
        assertThat(KnownWeights.find("MobileNet_V1_0.25_128_Quant")).contains(KnownWeights.MOBILENET_V1_0_25_128_QUANT);
        assertThat(KnownWeights.find("mobilenet_v1_0.5_quant")).contains(KnownWeights.MOBILENET_V1_0_5_160_QUANT);
        assertThat(KnownWeights.find("mobilenet_v1_0.75_quant")).contains(KnownWeights.MOBILENET_V1_0_75_192_QUANT);
        assertThat(KnownWeights.find("mobilenet_v1_embedding")).contains(KnownWeights.MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR);
        assertThat(KnownWeights.find("vgg16")).isEmpty();
        assertThat(KnownWeights.find("RESNET50")).containsSame(KnownWeights.RESNET50_IMAGENET1K_V2);       // torchvision's DEFAULT
        assertThat(KnownWeights.find("efficientnet_b0").orElseThrow().preprocessing().resize().interpolation())
                .isEqualTo(dev.litenet.data.Resize.Interpolation.BICUBIC);
        assertThat(KnownWeights.find("mobilenet_v2-b0353104.pth")).isEmpty();
        assertThat(KnownWeights.all()).extracting(WeightsInfo::name).startsWith("MOBILENET_V2_IMAGENET1K_V1",
                "MOBILENET_V2_IMAGENET1K_V2", "mobilenet_v2_1.0_224_quant", "tf2_mobilenet_v2_1.0_224_ptq",
                "mobilenet_v1_0.25_128_quant", "mobilenet_v1_0.5_160_quant", "mobilenet_v1_0.75_192_quant",
                "mobilenet_v1_1.0_224_quant_embedding_extractor")
                .contains("MOBILENET_V3_LARGE_IMAGENET1K_V2", "EFFICIENTNET_B0_IMAGENET1K_V1", "RESNET50_IMAGENET1K_V1").doesNotHaveDuplicates();
    }

    @Test
    void badEntriesAreRefused() {
        Preprocess pre = Preprocess.torchvision(256, 224);
        URI url = URI.create("http://127.0.0.1/x");
        assertThatThrownBy(() -> new WeightsInfo("x", "mobilenet_v2", 1f, url, "abc", null, "x.pth", WeightsFormat.PTH, -1, 1, -1, pre, "", Map.of()))
                .hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> new WeightsInfo("x", "mobilenet_v2", 1f, url, null, "b035", "x.pth", WeightsFormat.PTH, -1, 1, -1, pre, "", Map.of()))
                .hasMessageContaining("8 to 64");
        assertThatThrownBy(() -> new WeightsInfo("x", "mobilenet_v2", 1f, url, "a".repeat(64), "b0353104", "x.pth", WeightsFormat.PTH, -1, 1, -1, pre, "", Map.of()))
                .hasMessageContaining("does not start with");
        assertThatThrownBy(() -> new WeightsInfo("x", "mobilenet_v2", 1f, url, null, "b0353104", "../x.pth", WeightsFormat.PTH, -1, 1, -1, pre, "", Map.of()))
                .hasMessageContaining("not a plain file name");
    }

    private static double normalize(Preprocess pre, int pixel) {
        return (pixel - pre.normalize().offset()[0]) / (double) pre.normalize().scale()[0];
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            sha.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Every torchvision entry names an architecture of the zoo, carries torch.hub's hash prefix of its file name and a parameter count that architecture has. */
    @org.junit.jupiter.api.Test void torchvisionEntriesFitTheirArchitectures() {
        for (WeightsInfo w : KnownWeights.all()) {
            if (w.format() != WeightsFormat.PTH) continue;
            assertThat(w.url().toString()).isEqualTo("https://download.pytorch.org/models/" + w.fileName());
            assertThat(w.sha256Prefix()).isEqualTo(WeightsInfo.torchHubHashPrefix(w.fileName()));
            Architectures.find(w.architecture()).ifPresent(a ->
                    assertThat(a.build(w.numClasses()).numParameters()).as(w.name()).isEqualTo(w.numParams()));
        }
    }

    /** A prepared copy takes its preprocessing from the known entry: it must be what importing the file itself gives. */
    @Test void everyTfliteEntryHasThePreprocessingItsFileImplies() {
        for (WeightsInfo w : KnownWeights.all()) {
            if (w.format() != WeightsFormat.TFLITE) continue;
            java.nio.file.Path file = dev.litenet.Shared.path("weights/" + w.fileName().replace(".tflite", "") + "/" + w.fileName());
            var graph = dev.litenet.io.TfliteFile.read(file);
            TfliteImport imported = TfliteMobileNetV1.recognizes(graph) ? TfliteMobileNetV1.toStateDict(graph) : TfliteMobileNetV2.toStateDict(graph);
            assertThat(imported.preprocessing()).as(w.name()).isEqualTo(w.preprocessing());
            assertThat(imported.architecture()).as(w.name()).isEqualTo(w.architecture());
            assertThat(imported.widthMult()).as(w.name()).isEqualTo(w.widthMult());
        }
    }
}
