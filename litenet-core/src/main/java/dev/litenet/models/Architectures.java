package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.TorchTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The zoo: every architecture LiteNet builds, one row each, as torchvision's {@code get_model(name)} knows them
 * (MobileNet V1, which torchvision lacks, as TF-slim builds it). A new architecture is a row here and a builder.
 */
public final class Architectures {
    private Architectures() {}

    private static final String TORCHVISION = "torchvision 0.14 torchvision/models/";

    /** Smallest idea first: the MobileNets, EfficientNet, ShuffleNet, then the heavy ResNet baselines. */
    private static final List<Architecture> ALL = List.of(
            new Architecture("mobilenet_v1", "MobileNet V1 (Howard et al. 2017): depthwise-separable convolutions, as TF-slim builds it",
                    "TF-slim tensorflow/models research/slim/nets/mobilenet_v1.py", 224, true,
                    c -> new MobileNetV1(c).initialize(c.seed())),
            new Architecture("mobilenet_v2", "MobileNetV2 (Sandler et al. 2018): inverted residuals, linear bottlenecks",
                    TORCHVISION + "mobilenetv2.py", 224, true,
                    c -> new MobileNetV2(c).initialize(c.seed())),
            new Architecture("mobilenet_v3_small", "MobileNetV3-Small (Howard et al. 2019, Table 2): the low-resource "
                    + "member, squeeze-and-excitation, hard swish", TORCHVISION + "mobilenetv3.py", 224, true,
                    c -> MobileNetV3.small(c).initialize(c.seed())),
            new Architecture("mobilenet_v3_large", "MobileNetV3-Large (Howard et al. 2019, Table 1): searched blocks, "
                    + "squeeze-and-excitation, hard swish", TORCHVISION + "mobilenetv3.py", 224, true,
                    c -> MobileNetV3.large(c).initialize(c.seed())),
            new Architecture("efficientnet_b0", "EfficientNet-B0 (Tan & Le 2019): MBConv blocks with squeeze-and-excitation "
                    + "and SiLU, stochastic depth; torchvision's ImageNet weights are evaluated after a bicubic resize to 256 "
                    + "and a 224 crop",
                    TORCHVISION + "efficientnet.py", 224, false,
                    c -> EfficientNet.b0(c).initialize(c.seed())),
            new Architecture("shufflenet_v2_x0_5", "ShuffleNet V2 0.5x (Ma et al. 2018): channel split, depthwise branch, channel shuffle",
                    TORCHVISION + "shufflenetv2.py", 224, false,
                    c -> ShuffleNetV2.x0_5(c).initialize(c.seed())),
            new Architecture("shufflenet_v2_x1_0", "ShuffleNet V2 1.0x (Ma et al. 2018): channel split, depthwise branch, channel shuffle",
                    TORCHVISION + "shufflenetv2.py", 224, false,
                    c -> ShuffleNetV2.x1_0(c).initialize(c.seed())),
            new Architecture("resnet18", "ResNet-18 (He et al. 2016): the heavy reference, basic blocks",
                    TORCHVISION + "resnet.py", 224, false,
                    c -> ResNet.resnet18(c).initialize(c.seed())),
            new Architecture("resnet50", "ResNet-50 (He et al. 2016): bottleneck blocks, the stride on the 3x3 conv (V1.5)",
                    TORCHVISION + "resnet.py", 224, false,
                    c -> ResNet.resnet50(c).initialize(c.seed())));

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

    // ---- recognizing a state_dict -----------------------------------------------------------------------------

    /** The widths tried for an architecture that takes one: torchvision's MobileNetV2 widths and TF-slim's alphas. */
    private static final float[] WIDTHS = {1f, 0.75f, 0.5f, 0.35f, 0.25f, 1.3f, 1.4f};
    /** An architecture's state_dict keys and head, read once off a network built for the purpose. */
    private record Probe(Set<String> keys, String head) {}

    private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

    private static Probe probe(Architecture a) {
        return PROBES.computeIfAbsent(a.name(), n -> {
            Network net = a.build(1);
            return new Probe(new LinkedHashSet<>(net.stateEntries().keySet()), net.headName());
        });
    }

    /**
     * The architecture, width and classes of a state_dict, from its keys and shapes: the one configuration whose
     * network has exactly these entries. With {@code hint} only that architecture is tried.
     *
     * @throws BadInputException naming the candidates when none fits or several architectures do (then give
     *                           {@code --arch}); with a hint, listing the keys and shapes that do not fit it
     */
    public static Architecture.Config recognize(Map<String, TorchTensor> state, String hint, String source) {
        List<Architecture> candidates = hint == null ? ALL : List.of(get(hint));
        List<Architecture.Config> fits = new ArrayList<>();
        String closest = null;
        int closestDistance = Integer.MAX_VALUE;
        for (Architecture a : candidates) {
            Set<String> keys = probe(a).keys();
            int distance = (int) keys.stream().filter(k -> !state.containsKey(k)).count()
                    + (int) state.keySet().stream().filter(k -> !keys.contains(k)).count();
            if (distance < closestDistance) {
                closestDistance = distance;
                closest = a.name();
            }
            if (distance > 0) continue;
            int classes = classes(state, a);
            if (classes < 1) continue;
            for (float width : a.takesWidth() ? WIDTHS : new float[] {1f}) {
                Network n = a.build(classes, width, 0);
                if (shapesFit(n.stateEntries(), state)) {
                    fits.add(n.config());
                    break;                                    // widths that round alike are the same network
                }
            }
        }
        if (fits.size() == 1) return fits.get(0);
        if (fits.isEmpty()) {
            if (hint != null) {                               // loading lists every key and shape that does not fit
                Architecture a = get(hint);
                Network n = a.build(Math.max(1, classes(state, a)));
                StateDict.load(n, state, source);
                return n.config();
            }
            throw new BadInputException(source + ": not the state_dict of an architecture LiteNet knows (" + names() + ")"
                    + (closestDistance == 0 ? "; it has the keys of " + closest + " but not its shapes"
                    : closest == null ? "" : "; the closest is " + closest + ", " + closestDistance + " keys apart")
                    + "; give --arch NAME to see what does not fit");
        }
        throw new BadInputException(source + ": fits " + fits.stream().map(c -> c.architecture() + (c.widthMult() == 1f ? "" : " width " + c.widthMult()))
                .collect(Collectors.joining(" and ")) + "; say which with --arch");
    }

    /** The classes of the head a state_dict holds for this architecture: the rows of its weight, or 0 when absent or odd. */
    private static int classes(Map<String, TorchTensor> state, Architecture a) {
        TorchTensor w = state.get(probe(a).head() + ".weight");
        if (w == null || w.shape().length != 2 || w.shape()[0] < 1 || w.shape()[0] > Architecture.MAX_CLASSES) return 0;
        return w.shape()[0];
    }

    private static boolean shapesFit(Map<String, Parameter> entries, Map<String, TorchTensor> state) {
        for (var e : entries.entrySet()) {
            TorchTensor t = state.get(e.getKey());
            if (t == null || !(Arrays.equals(t.shape(), e.getValue().shape()) || t.numel() == 1 && e.getValue().numel() == 1)) return false;
        }
        return true;
    }
}
