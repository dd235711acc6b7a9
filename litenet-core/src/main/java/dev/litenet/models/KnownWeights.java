package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.data.Resize;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The weights LiteNet knows by name: torchvision's published ImageNet checkpoints of every torchvision
 * architecture of the zoo (URL, torch.hub hash prefix, the preprocessing of torchvision's metadata, parameter count
 * and published accuracy, as torchvision 0.14's {@code *_Weights} enums list them) and Google's quantized ImageNet
 * MobileNet V2 and V1 TFLite files (google-coral/test_data at commit 104342d2). Names and aliases are matched without regard
 * to case; an architecture's name is the alias of torchvision's {@code DEFAULT} weights for it.
 */
public final class KnownWeights {
    private KnownWeights() {}

    private static final String TORCHVISION_LABELS = "torchvision _IMAGENET_CATEGORIES: the 1000 ILSVRC-2012 classes";
    private static final Resize.Interpolation BILINEAR = Resize.Interpolation.BILINEAR, BICUBIC = Resize.Interpolation.BICUBIC;
    private static final String TFLITE_LABELS = "imagenet_labels.txt beside the model (also zipped inside it): 1001 lines, line 0 = background";
    private static final String CORAL = "https://github.com/google-coral/test_data/raw/104342d2d3480b3e66203073dac24f4e2dbb4c41/";

    /** torchvision {@code MobileNet_V2_Weights.IMAGENET1K_V1}: the paper's recipe. */
    public static final WeightsInfo MOBILENET_V2_IMAGENET1K_V1 = torchvision("mobilenet_v2", "MOBILENET_V2_IMAGENET1K_V1",
            "mobilenet_v2-b0353104.pth", 256, BILINEAR, 3_504_872, 71.878, 90.286);

    /** torchvision {@code MobileNet_V2_Weights.IMAGENET1K_V2} (DEFAULT): the newer recipe, evaluated after a resize to 232. */
    public static final WeightsInfo MOBILENET_V2_IMAGENET1K_V2 = torchvision("mobilenet_v2", "MOBILENET_V2_IMAGENET1K_V2",
            "mobilenet_v2-7ebf99e0.pth", 232, BILINEAR, 3_504_872, 72.154, 90.822);

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
            Preprocess.tfCentralCrop(0.875, 224, 127, 127.49999), TFLITE_LABELS, Map.of());   // 1 / the input's float32 scale, a hair below 127.5

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

    /** torchvision {@code MobileNet_V3_Small_Weights.IMAGENET1K_V1} (DEFAULT). */
    public static final WeightsInfo MOBILENET_V3_SMALL_IMAGENET1K_V1 = torchvision("mobilenet_v3_small", "MOBILENET_V3_SMALL_IMAGENET1K_V1",
            "mobilenet_v3_small-047dcff4.pth", 256, BILINEAR, 2_542_856, 67.668, 87.402);

    /** torchvision {@code MobileNet_V3_Large_Weights.IMAGENET1K_V1}: the paper's recipe. */
    public static final WeightsInfo MOBILENET_V3_LARGE_IMAGENET1K_V1 = torchvision("mobilenet_v3_large", "MOBILENET_V3_LARGE_IMAGENET1K_V1",
            "mobilenet_v3_large-8738ca79.pth", 256, BILINEAR, 5_483_032, 74.042, 91.34);

    /** torchvision {@code MobileNet_V3_Large_Weights.IMAGENET1K_V2} (DEFAULT): the newer recipe, evaluated after a resize to 232. */
    public static final WeightsInfo MOBILENET_V3_LARGE_IMAGENET1K_V2 = torchvision("mobilenet_v3_large", "MOBILENET_V3_LARGE_IMAGENET1K_V2",
            "mobilenet_v3_large-5c1a4163.pth", 232, BILINEAR, 5_483_032, 75.274, 92.566);

    /** torchvision {@code EfficientNet_B0_Weights.IMAGENET1K_V1} (DEFAULT, Ross Wightman's port): evaluated after a bicubic resize to 256. */
    public static final WeightsInfo EFFICIENTNET_B0_IMAGENET1K_V1 = torchvision("efficientnet_b0", "EFFICIENTNET_B0_IMAGENET1K_V1",
            "efficientnet_b0_rwightman-3dd342df.pth", 256, BICUBIC, 5_288_548, 77.692, 93.532);

    /** torchvision {@code ShuffleNet_V2_X0_5_Weights.IMAGENET1K_V1} (DEFAULT). */
    public static final WeightsInfo SHUFFLENET_V2_X0_5_IMAGENET1K_V1 = torchvision("shufflenet_v2_x0_5", "SHUFFLENET_V2_X0_5_IMAGENET1K_V1",
            "shufflenetv2_x0.5-f707e7126e.pth", 256, BILINEAR, 1_366_792, 60.552, 81.746);

    /** torchvision {@code ShuffleNet_V2_X1_0_Weights.IMAGENET1K_V1} (DEFAULT). */
    public static final WeightsInfo SHUFFLENET_V2_X1_0_IMAGENET1K_V1 = torchvision("shufflenet_v2_x1_0", "SHUFFLENET_V2_X1_0_IMAGENET1K_V1",
            "shufflenetv2_x1-5666bf0f80.pth", 256, BILINEAR, 2_278_604, 69.362, 88.316);

    /** torchvision {@code ResNet18_Weights.IMAGENET1K_V1} (DEFAULT). */
    public static final WeightsInfo RESNET18_IMAGENET1K_V1 = torchvision("resnet18", "RESNET18_IMAGENET1K_V1",
            "resnet18-f37072fd.pth", 256, BILINEAR, 11_689_512, 69.758, 89.078);

    /** torchvision {@code ResNet50_Weights.IMAGENET1K_V1}: the paper's recipe. */
    public static final WeightsInfo RESNET50_IMAGENET1K_V1 = torchvision("resnet50", "RESNET50_IMAGENET1K_V1",
            "resnet50-0676ba61.pth", 256, BILINEAR, 25_557_032, 76.13, 92.862);

    /** torchvision {@code ResNet50_Weights.IMAGENET1K_V2} (DEFAULT): the newer recipe, evaluated after a resize to 232. */
    public static final WeightsInfo RESNET50_IMAGENET1K_V2 = torchvision("resnet50", "RESNET50_IMAGENET1K_V2",
            "resnet50-11ad3fa6.pth", 232, BILINEAR, 25_557_032, 80.858, 95.434);

    private static final List<WeightsInfo> ALL = List.of(MOBILENET_V2_IMAGENET1K_V1, MOBILENET_V2_IMAGENET1K_V2,
            MOBILENET_V2_1_0_224_QUANT, TF2_MOBILENET_V2_1_0_224_PTQ, MOBILENET_V1_0_25_128_QUANT,
            MOBILENET_V1_0_5_160_QUANT, MOBILENET_V1_0_75_192_QUANT, MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR,
            MOBILENET_V3_SMALL_IMAGENET1K_V1, MOBILENET_V3_LARGE_IMAGENET1K_V1, MOBILENET_V3_LARGE_IMAGENET1K_V2,
            EFFICIENTNET_B0_IMAGENET1K_V1, SHUFFLENET_V2_X0_5_IMAGENET1K_V1, SHUFFLENET_V2_X1_0_IMAGENET1K_V1,
            RESNET18_IMAGENET1K_V1, RESNET50_IMAGENET1K_V1, RESNET50_IMAGENET1K_V2);

    /** Short names: torchvision's version names of MobileNetV2, each architecture's name for its DEFAULT weights, the Coral files' short names. */
    private static final Map<WeightsInfo, String> ALIASES = Map.ofEntries(
            Map.entry(MOBILENET_V2_IMAGENET1K_V1, "IMAGENET1K_V1"),
            Map.entry(MOBILENET_V2_IMAGENET1K_V2, "IMAGENET1K_V2"),
            Map.entry(MOBILENET_V2_1_0_224_QUANT, "mobilenet_v2_quant"),
            Map.entry(TF2_MOBILENET_V2_1_0_224_PTQ, "mobilenet_v2_ptq"),
            Map.entry(MOBILENET_V1_0_25_128_QUANT, "mobilenet_v1_0.25_quant"),
            Map.entry(MOBILENET_V1_0_5_160_QUANT, "mobilenet_v1_0.5_quant"),
            Map.entry(MOBILENET_V1_0_75_192_QUANT, "mobilenet_v1_0.75_quant"),
            Map.entry(MOBILENET_V1_1_0_224_QUANT_EMBEDDING_EXTRACTOR, "mobilenet_v1_embedding"),
            Map.entry(MOBILENET_V3_SMALL_IMAGENET1K_V1, "mobilenet_v3_small"),
            Map.entry(MOBILENET_V3_LARGE_IMAGENET1K_V2, "mobilenet_v3_large"),
            Map.entry(EFFICIENTNET_B0_IMAGENET1K_V1, "efficientnet_b0"),
            Map.entry(SHUFFLENET_V2_X0_5_IMAGENET1K_V1, "shufflenet_v2_x0_5"),
            Map.entry(SHUFFLENET_V2_X1_0_IMAGENET1K_V1, "shufflenet_v2_x1_0"),
            Map.entry(RESNET18_IMAGENET1K_V1, "resnet18"),
            Map.entry(RESNET50_IMAGENET1K_V2, "resnet50"));

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
        return ALL.stream().map(w -> w.name() + (ALIASES.containsKey(w) ? " (" + ALIASES.get(w) + ")" : "")).collect(Collectors.joining(", "));
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

    /** A torchvision checkpoint at download.pytorch.org/models/: 1000 classes, resize then a 224 centre crop. */
    private static WeightsInfo torchvision(String architecture, String name, String fileName, int resize, Resize.Interpolation filter,
                                           long numParams, double acc1, double acc5) {
        return new WeightsInfo(name, architecture, 1f, URI.create("https://download.pytorch.org/models/" + fileName), null,
                WeightsInfo.torchHubHashPrefix(fileName), fileName, WeightsFormat.PTH, -1, 1000, numParams,
                Preprocess.torchvision(resize, 224, filter), TORCHVISION_LABELS, Map.of("acc@1", acc1, "acc@5", acc5));
    }
}
