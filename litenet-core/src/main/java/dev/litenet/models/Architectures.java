package dev.litenet.models;

import dev.litenet.BadInputException;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The zoo: every architecture LiteNet builds, one row each, as torchvision's {@code get_model(name)} knows them.
 * A new architecture is a row here and a builder.
 */
public final class Architectures {
    private Architectures() {}

    private static final String TORCHVISION = "torchvision 0.14 torchvision/models/";

    private static final List<Architecture> ALL = List.of(
            new Architecture("mobilenet_v2", "MobileNetV2 (Sandler et al. 2018): inverted residuals, linear bottlenecks",
                    TORCHVISION + "mobilenetv2.py", 224, true,
                    c -> new MobileNetV2(c).initialize(c.seed())),
            new Architecture("resnet18", "ResNet-18 (He et al. 2016): the heavy reference, basic blocks",
                    TORCHVISION + "resnet.py", 224, false,
                    c -> ResNet.resnet18(c).initialize(c.seed())),
            new Architecture("resnet50", "ResNet-50 (He et al. 2016): bottleneck blocks, the stride on the 3x3 conv (V1.5)",
                    TORCHVISION + "resnet.py", 224, false,
                    c -> ResNet.resnet50(c).initialize(c.seed())),
            new Architecture("shufflenet_v2_x0_5", "ShuffleNet V2 0.5x (Ma et al. 2018): channel split, depthwise branch, channel shuffle",
                    TORCHVISION + "shufflenetv2.py", 224, false,
                    c -> ShuffleNetV2.x0_5(c).initialize(c.seed())),
            new Architecture("shufflenet_v2_x1_0", "ShuffleNet V2 1.0x (Ma et al. 2018): channel split, depthwise branch, channel shuffle",
                    TORCHVISION + "shufflenetv2.py", 224, false,
                    c -> ShuffleNetV2.x1_0(c).initialize(c.seed())));

    /** Every architecture, in the zoo's order. */
    public static List<Architecture> all() { return ALL; }

    /** The architecture with this name (torchvision's builder name), ignoring case. */
    public static Optional<Architecture> find(String name) {
        String key = name == null ? "" : name.strip();
        return ALL.stream().filter(a -> a.name().equalsIgnoreCase(key)).findFirst();
    }

    /**
     * The architecture with this name.
     *
     * @throws BadInputException naming the known architectures if there is none
     */
    public static Architecture get(String name) {
        return find(name).orElseThrow(() -> new BadInputException("unknown architecture '" + name + "'; known: " + names()));
    }

    /** The names, comma-separated, for messages. */
    public static String names() { return ALL.stream().map(Architecture::name).collect(Collectors.joining(", ")); }
}
