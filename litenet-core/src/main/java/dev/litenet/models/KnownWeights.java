package dev.litenet.models;

import dev.litenet.data.Preprocess;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The weights LiteNet knows by name: torchvision's two ImageNet MobileNetV2 checkpoints, Google's two quantized
 * ImageNet MobileNetV2 TFLite files and four TF-slim MobileNet V1 TFLite files (google-coral/test_data at commit
 * 104342d2). Names and aliases are matched without regard to case.
 */
public final class KnownWeights {
    private KnownWeights() {}

    private static final String TORCHVISION_LABELS = "torchvision _IMAGENET_CATEGORIES: the 1000 ILSVRC-2012 classes";
    private static final String TFLITE_LABELS = "imagenet_labels.txt beside the model (also zipped inside it): 1001 lines, line 0 = background";
    private static final String CORAL = "https://github.com/google-coral/test_data/raw/104342d2d3480b3e66203073dac24f4e2dbb4c41/";

    /** torchvision {@code MobileNet_V2_Weights.IMAGENET1K_V1}: the paper's recipe. */
    public static final WeightsInfo MOBILENET_V2_IMAGENET1K_V1 = torchvision("MOBILENET_V2_IMAGENET1K_V1",
            "https://download.pytorch.org/models/mobilenet_v2-b0353104.pth", 256, 71.878, 90.286);

    /** torchvision {@code MobileNet_V2_Weights.IMAGENET1K_V2}: the newer recipe, evaluated after a resize to 232. */
    public static final WeightsInfo MOBILENET_V2_IMAGENET1K_V2 = torchvision("MOBILENET_V2_IMAGENET1K_V2",
            "https://download.pytorch.org/models/mobilenet_v2-7ebf99e0.pth", 232, 72.154, 90.822);

    /** TF-slim MobileNetV2 1.0/224, quantization-aware trained, uint8 per-tensor; input {@code (p - 128) / 128}. */
    public static final WeightsInfo MOBILENET_V2_1_0_224_QUANT = new WeightsInfo("mobilenet_v2_1.0_224_quant", "mobilenet_v2", 1f,
            URI.create(CORAL + "mobilenet_v2_1.0_224_quant.tflite"),
            "7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776", null,
            "mobilenet_v2_1.0_224_quant.tflite", WeightsFormat.TFLITE, 3_610_798, 1001, -1,
            Preprocess.tfCentralCrop(0.875, 224, 128, 128), TFLITE_LABELS, Map.of("acc@1", 70.8, "acc@5", 89.9));

    /**
     * TF2 MobileNetV2 1.0/224, post-training quantized (int8 per-channel weights). Its uint8 input has zero point
     * 127 and scale 1/127.5, so the float it sees is {@code (p - 127) / 127.5}.
     */
    public static final WeightsInfo TF2_MOBILENET_V2_1_0_224_PTQ = new WeightsInfo("tf2_mobilenet_v2_1.0_224_ptq", "mobilenet_v2", 1f,
            URI.create(CORAL + "tf2_mobilenet_v2_1.0_224_ptq.tflite"),
            "5d3137241276e79c86d14a74fe43581398ae0e815191d3dba45495b810840e8c", null,
            "tf2_mobilenet_v2_1.0_224_ptq.tflite", WeightsFormat.TFLITE, 4_070_174, 1001, -1,
            Preprocess.tfCentralCrop(0.875, 224, 127, 127.5), TFLITE_LABELS, Map.of());

    /** TF-slim MobileNet V1 0.25/128, quantization-aware trained, uint8 per-tensor; input {@code (p - 128) / 128}. */
    public static final WeightsInfo MOBILENET_V1_0_25_128_QUANT = mobilenetV1("mobilenet_v1_0.25_128_quant", 0.25f, 128,
            "cb273c23ee76374b05b9583177e28aa19744858a7679c56a250e83d0333da785", 525_598, 39.9);

    /** TF-slim MobileNet V1 0.5/160, quantization-aware trained, uint8 per-tensor; input {@code (p - 128) / 128}. */
    public static final WeightsInfo MOBILENET_V1_0_5_160_QUANT = mobilenetV1("mobilenet_v1_0.5_160_quant", 0.5f, 160,
            "3cc6d2ca460abd2e0f699a6d0d2550c6b61c6e3b0e27a3616e384ea74cb86f43", 1_392_846, 57.7);

    /** TF-slim MobileNet V1 0.75/192, quantization-aware trained, uint8 per-tensor; input {@code (p - 128) / 128}. */
    public static final WeightsInfo MOBILENET_V1_0_75_192_QUANT = mobilenetV1("mobilenet_v1_0.75_192_quant", 0.75f, 192,
            "41daeb22fdcf947e0e5ec32373aa9df7c31f3ef45dbd0ef7b5940fbce3c20f6a", 2_652_542, 66.2);

    /**
     * TF-slim MobileNet V1 1.0/224 (uint8, quantization-aware trained) cut by Coral after the average pool for
     * last-layer transfer learning: a 1024-d embedding and no classifier (0 classes, no labels, no accuracy of its own).
     */
    public static final WeightsInfo MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR = new WeightsInfo(
            "mobilenet_v1_1.0_224_quant_embedding_extractor", "mobilenet_v1", 1f,
            URI.create(CORAL + "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite"),
            "f409ef4f73fcbb9667841965623c5c8524aac33d41b9bf5f3667161fb4a76319", null,
            "mobilenet_v1_1.0_224_quant_embedding_extractor.tflite", WeightsFormat.TFLITE, 3_251_736, 0, -1,
            Preprocess.tfCentralCrop(0.875, 224, 128, 128), "none: an embedding extractor has no classifier", Map.of());

    private static final List<WeightsInfo> ALL = List.of(MOBILENET_V2_IMAGENET1K_V1, MOBILENET_V2_IMAGENET1K_V2,
            MOBILENET_V2_1_0_224_QUANT, TF2_MOBILENET_V2_1_0_224_PTQ, MOBILENET_V1_0_25_128_QUANT,
            MOBILENET_V1_0_5_160_QUANT, MOBILENET_V1_0_75_192_QUANT, MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR);

    /** Short names, one per entry. */
    private static final Map<WeightsInfo, String> ALIASES = Map.of(
            MOBILENET_V2_IMAGENET1K_V1, "IMAGENET1K_V1",
            MOBILENET_V2_IMAGENET1K_V2, "IMAGENET1K_V2",
            MOBILENET_V2_1_0_224_QUANT, "mobilenet_v2_quant",
            TF2_MOBILENET_V2_1_0_224_PTQ, "mobilenet_v2_ptq",
            MOBILENET_V1_0_25_128_QUANT, "mobilenet_v1_0.25_quant",
            MOBILENET_V1_0_5_160_QUANT, "mobilenet_v1_0.5_quant",
            MOBILENET_V1_0_75_192_QUANT, "mobilenet_v1_0.75_quant",
            MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR, "mobilenet_v1_embedding");

    /** Every known entry, in a fixed order. */
    public static List<WeightsInfo> all() { return ALL; }

    /** The short alias of an entry, or null. */
    public static String aliasOf(WeightsInfo weights) { return ALIASES.get(weights); }

    /** The entry whose file has this sha256 (full, or torch.hub's prefix rule). */
    public static Optional<WeightsInfo> bySha256(String hexDigest) {
        return ALL.stream().filter(w -> w.matchesSha256(hexDigest)).findFirst();
    }

    /** The entry with this name or alias, ignoring case. */
    public static Optional<WeightsInfo> find(String nameOrAlias) {
        String key = nameOrAlias.strip();
        return ALL.stream()
                .filter(w -> w.name().equalsIgnoreCase(key) || key.equalsIgnoreCase(ALIASES.get(w)))
                .findFirst();
    }

    /** The names with their aliases, for messages: {@code "MOBILENET_V2_IMAGENET1K_V1 (IMAGENET1K_V1), ..."}. */
    public static String describeNames() {
        return ALL.stream().map(w -> w.name() + " (" + ALIASES.get(w) + ")").collect(Collectors.joining(", "));
    }

    /**
     * A TF-slim MobileNet V1 ImageNet classifier from the Coral repository: 1001 classes, TF-slim's eval preprocessing
     * at the file's input size (its input quantization: scale 1/128, zero point 128), the 8-bit model's top-1 as
     * mobilenet_v1.md publishes it.
     */
    private static WeightsInfo mobilenetV1(String name, float alpha, int size, String sha256, long bytes, double acc1) {
        return new WeightsInfo(name, "mobilenet_v1", alpha, URI.create(CORAL + name + ".tflite"), sha256, null, name + ".tflite",
                WeightsFormat.TFLITE, bytes, 1001, -1, Preprocess.tfCentralCrop(0.875, size, 128, 128), TFLITE_LABELS,
                Map.of("acc@1", acc1));
    }

    private static WeightsInfo torchvision(String name, String url, int resize, double acc1, double acc5) {
        String fileName = url.substring(url.lastIndexOf('/') + 1);
        return new WeightsInfo(name, "mobilenet_v2", 1f, URI.create(url), null, WeightsInfo.torchHubHashPrefix(fileName), fileName,
                WeightsFormat.PTH, -1, 1000, 3_504_872, Preprocess.torchvision(resize, 224), TORCHVISION_LABELS,
                Map.of("acc@1", acc1, "acc@5", acc5));
    }
}
