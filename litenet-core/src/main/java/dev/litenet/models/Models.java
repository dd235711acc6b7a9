package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.nn.Layer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every model {@code summary} and {@code compare} can build, like torchvision's {@code get_model(name, **config)}:
 * the zoo's image networks ({@link Architectures}), two named widths of MobileNetV2 ({@code mobilenet_v2_0.5},
 * {@code mobilenet_v2_0.35}) and the lesson's MNIST nets ({@code dense, mlp, cnn1, cnn2}, (N,1,28,28) inputs).
 * Every model comes initialized as its reference would, from the config's seed (0 unless given).
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
        for (Architecture a : Architectures.all()) {
            ENTRIES.put(a.name(), new Entry(c -> a.build(c.numClasses(), c.widthMult(), c.seed()), a.takesWidth()));
        }
        ENTRIES.put("mobilenet_v2_0.5", fixed(c -> new MobileNetV2(c.numClasses(), 0.5f).initialize(c.seed())));
        ENTRIES.put("mobilenet_v2_0.35", fixed(c -> new MobileNetV2(c.numClasses(), 0.35f).initialize(c.seed())));
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
            throw new BadInputException("model '" + name + "' has no width multiplier");
        }
        return e.builder().build(config);
    }
}
