package dev.litenet.eval;

import dev.litenet.nn.CrossEntropy;
import dev.litenet.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** The top classes for one image, with softmax probabilities. */
public record Prediction(Path file, List<Scored> top) {
    public record Scored(int index, String label, double probability) {}

    /** Top-k of each row of logits (N, K); {@code label} names class indices. */
    public static List<Prediction> topK(Tensor logits, List<Path> files, int k, java.util.function.IntFunction<String> label) {
        int n = logits.dim(0), classes = logits.size() / n;
        Tensor p = CrossEntropy.softmax(logits);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int row = i;
            List<Scored> top = IntStream.range(0, classes).boxed()
                    .sorted(Comparator.comparingDouble(c -> -p.data[row * classes + c]))
                    .limit(Math.min(k, classes))
                    .map(c -> new Scored(c, label.apply(c), p.data[row * classes + c])).toList();
            out.add(new Prediction(files.get(i), top));
        }
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("top", top.stream().map(s -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", s.index());
            e.put("label", s.label());
            e.put("prob", s.probability());
            return e;
        }).toList());
        return m;
    }
}
