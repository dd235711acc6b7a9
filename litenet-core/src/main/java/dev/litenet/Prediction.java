package dev.litenet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One class of an image's top-k: its index in the model's output, its label, and the softmax probability.
 * Indices are the same in the library, the command line and every JSON output: ImageNet weights give
 * torchvision's 0–999 (TFLite's extra "background" class is dropped, see {@link ImageClassifier}); a classifier
 * trained by {@link TransferLearning} gives the position of its class folder in sorted order.
 *
 * @param index       the class index
 * @param label       the class name
 * @param probability the softmax probability, in [0, 1]
 */
public record Prediction(int index, String label, double probability) {
    /**
     * As JSON-ready values, the one form every tool prints: {@code {"index":..,"label":..,"prob":..}}.
     *
     * @return a map with the keys index, label and prob, in that order
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("label", label);
        m.put("prob", probability);
        return m;
    }
}
