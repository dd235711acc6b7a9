package dev.litenet.models;

import dev.litenet.data.Preprocess;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The weights LiteNet knows by name: torchvision's two ImageNet MobileNetV2 checkpoints and Google's two
 * quantized ImageNet MobileNetV2 TFLite files (google-coral/test_data at commit 104342d2). Names and aliases are
 * matched without regard to case.
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

    private static final List<WeightsInfo> ALL = List.of(MOBILENET_V2_IMAGENET1K_V1, MOBILENET_V2_IMAGENET1K_V2,
            MOBILENET_V2_1_0_224_QUANT, TF2_MOBILENET_V2_1_0_224_PTQ);

    /** Short names, one per entry. */
    private static final Map<WeightsInfo, String> ALIASES = Map.of(
            MOBILENET_V2_IMAGENET1K_V1, "IMAGENET1K_V1",
            MOBILENET_V2_IMAGENET1K_V2, "IMAGENET1K_V2",
            MOBILENET_V2_1_0_224_QUANT, "mobilenet_v2_quant",
            TF2_MOBILENET_V2_1_0_224_PTQ, "mobilenet_v2_ptq");

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

    private static WeightsInfo torchvision(String name, String url, int resize, double acc1, double acc5) {
        String fileName = url.substring(url.lastIndexOf('/') + 1);
        return new WeightsInfo(name, "mobilenet_v2", 1f, URI.create(url), null, WeightsInfo.torchHubHashPrefix(fileName), fileName,
                WeightsFormat.PTH, -1, 1000, 3_504_872, Preprocess.torchvision(resize, 224), TORCHVISION_LABELS,
                Map.of("acc@1", acc1, "acc@5", acc5));
    }
}
