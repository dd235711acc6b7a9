package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.nn.Layer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Model names to builders, like torchvision's {@code get_model(name, **config)}. Every model comes initialized
 * as torch would, from the config's seed (0 unless given). Only {@code mobilenet_v2} takes a width multiplier;
 * {@code mobilenet_v2_0.5} and {@code mobilenet_v2_0.35} name two of its widths. The lesson's MNIST nets
 * ({@code dense, mlp, cnn1, cnn2}) take (N,1,28,28) inputs; the others take RGB images.
 */
public final class Models {
    /** What a builder is given: number of classes, width multiplier, and the seed of the initial weights. */
    public record Config(int numClasses, float widthMult, long seed) {
        public Config(int numClasses, float widthMult) { this(numClasses, widthMult, 0); }
    }

    @FunctionalInterface
    public interface Builder { Layer build(Config config); }

    private record Entry(Builder builder, boolean takesWidth) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        ENTRIES.put("mobilenet_v2", new Entry(c -> new MobileNetV2(c.numClasses(), c.widthMult()).initialize(c.seed()), true));
        ENTRIES.put("mobilenet_v2_0.5", fixed(c -> new MobileNetV2(c.numClasses(), 0.5f).initialize(c.seed())));
        ENTRIES.put("mobilenet_v2_0.35", fixed(c -> new MobileNetV2(c.numClasses(), 0.35f).initialize(c.seed())));
        ENTRIES.put("resnet18", fixed(c -> ResNet.resnet18(c.numClasses()).initialize(c.seed())));
        ENTRIES.put("dense", fixed(c -> LessonNets.dense(c.numClasses(), c.seed())));
        ENTRIES.put("mlp", fixed(c -> LessonNets.mlp(c.numClasses(), c.seed())));
        ENTRIES.put("cnn1", fixed(c -> LessonNets.oneConv(c.numClasses(), c.seed())));
        ENTRIES.put("cnn2", fixed(c -> LessonNets.multiLayerCnn(c.numClasses(), c.seed())));
    }

    private static Entry fixed(Builder b) { return new Entry(b, false); }

    private Models() {}

    public static Set<String> names() { return ENTRIES.keySet(); }

    /** Builds the named model, initialized as torchvision does. */
    public static Layer create(String name, Config config) {
        Entry e = ENTRIES.get(name);
        if (e == null) throw new BadInputException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        if (config.numClasses() < 1) throw new BadInputException("--num-classes must be at least 1, got " + config.numClasses());
        if (!(config.widthMult() > 0)) throw new BadInputException("--width-mult must be positive, got " + config.widthMult());
        if (!e.takesWidth() && config.widthMult() != 1f) {
            throw new BadInputException("model '" + name + "' has no width multiplier (only mobilenet_v2 takes --width-mult)");
        }
        return e.builder().build(config);
    }
}
