package dev.litenet.eval;

import dev.litenet.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Comparison} as JSON, on one line (spaced out here):
 * <pre>
 * {"threads": 2,
 *  "setup": {"data": "...", "train_images": 60000, "train_available": 60000, "test_images": 10000, "epochs": 5,
 *            "batch_size": 64, "learning_rate": 0.001, "seed": 0},          (null without a data set)
 *  "trained": [{"model": "cnn2", "layers": "...", "params": 8490, "mult_adds": 467200, "test_accuracy": 0.88,
 *               "train_seconds": 100.2, "final_loss": 0.31, "ms_per_image_batch1": 0.05, "ms_per_image_batch64": 0.01}, ...],
 *  "image_size": 224,
 *  "image": [{"model": "resnet18", "params": 11689512, "mult_adds": 1814073344, "ms_per_image": 150.1, "runs": 5}, ...]}
 * </pre>
 */
public final class ComparisonJson {
    private ComparisonJson() {}

    public static String write(Comparison c) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("threads", c.threads());
        Comparison.Setup s = c.setup();
        if (s == null) {
            root.put("setup", null);
        } else {
            Map<String, Object> setup = new LinkedHashMap<>();
            setup.put("data", s.data());
            setup.put("train_images", s.trainImages());
            setup.put("train_available", s.trainAvailable());
            setup.put("test_images", s.testImages());
            setup.put("epochs", s.epochs());
            setup.put("batch_size", s.batchSize());
            setup.put("learning_rate", s.learningRate());
            setup.put("seed", s.seed());
            root.put("setup", setup);
        }
        List<Object> trained = new ArrayList<>();
        for (Comparison.TrainedModel m : c.trained()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m.name());
            row.put("layers", m.layers());
            row.put("params", m.params());
            row.put("mult_adds", m.multAdds());
            row.put("test_accuracy", m.testAccuracy());
            row.put("train_seconds", m.trainSeconds());
            row.put("final_loss", m.finalLoss());
            row.put("ms_per_image_batch1", m.msPerImageBatch1());
            row.put("ms_per_image_batch64", m.msPerImageBatch64());
            trained.add(row);
        }
        root.put("trained", trained);
        root.put("image_size", c.imageSize());
        List<Object> image = new ArrayList<>();
        for (Comparison.ImageModel m : c.image()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m.name());
            row.put("params", m.params());
            row.put("mult_adds", m.multAdds());
            row.put("ms_per_image", m.msPerImage());
            row.put("runs", m.runs());
            image.add(row);
        }
        root.put("image", image);
        return Json.write(root) + "\n";
    }
}
