package dev.litenet.models;

import dev.litenet.io.BadInputException;
import dev.litenet.nn.Layer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Model names to builders, like torchvision's {@code get_model(name, **config)}. */
public final class Models {
    /** What a builder is given: number of classes and width multiplier. */
    public record Config(int numClasses, float widthMult) {}

    @FunctionalInterface
    public interface Builder { Layer build(Config config); }

    private static final Map<String, Builder> BUILDERS = new LinkedHashMap<>();

    static {
        BUILDERS.put("mobilenet_v2", c -> new MobileNetV2(c.numClasses(), c.widthMult()));
    }

    private Models() {}

    public static Set<String> names() { return BUILDERS.keySet(); }

    /** Builds the named model, initialized as torchvision does (seed 0). */
    public static Layer create(String name, Config config) {
        Builder b = BUILDERS.get(name);
        if (b == null) throw new BadInputException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        if (config.numClasses() < 1) throw new BadInputException("--num-classes must be at least 1, got " + config.numClasses());
        if (!(config.widthMult() > 0)) throw new BadInputException("--width-mult must be positive, got " + config.widthMult());
        Layer model = b.build(config);
        if (model instanceof MobileNetV2 m) m.initialize(0);
        return model;
    }
}
