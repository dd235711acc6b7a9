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
 *  "setup": {"data": "...", "trainImages": 60000, "trainAvailable": 60000, "testImages": 10000, "epochs": 5,
 *            "batchSize": 64, "learningRate": 0.001, "seed": 0},          (null without a data set)
 *  "trained": [{"model": "cnn2", "layers": "...", "params": 8490, "multAdds": 467200, "testAccuracy": 0.88,
 *               "trainSeconds": 100.2, "finalLoss": 0.31, "msPerImageBatch1": 0.05, "msPerImageBatch64": 0.01}, ...],
 *  "imageSize": 224,
 *  "image": [{"model": "resnet18", "params": 11689512, "multAdds": 1814073344, "msPerImage": 150.1, "runs": 5}, ...]}
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
            setup.put("trainImages", s.trainImages());
            setup.put("trainAvailable", s.trainAvailable());
            setup.put("testImages", s.testImages());
            setup.put("epochs", s.epochs());
            setup.put("batchSize", s.batchSize());
            setup.put("learningRate", s.learningRate());
            setup.put("seed", s.seed());
            root.put("setup", setup);
        }
        List<Object> trained = new ArrayList<>();
        for (Comparison.TrainedModel m : c.trained()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m.name());
            row.put("layers", m.layers());
            row.put("params", m.params());
            row.put("multAdds", m.multAdds());
            row.put("testAccuracy", m.testAccuracy());
            row.put("trainSeconds", m.trainSeconds());
            row.put("finalLoss", m.finalLoss());
            row.put("msPerImageBatch1", m.msPerImageBatch1());
            row.put("msPerImageBatch64", m.msPerImageBatch64());
            trained.add(row);
        }
        root.put("trained", trained);
        root.put("imageSize", c.imageSize());
        List<Object> image = new ArrayList<>();
        for (Comparison.ImageModel m : c.image()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", m.name());
            row.put("params", m.params());
            row.put("multAdds", m.multAdds());
            row.put("msPerImage", m.msPerImage());
            row.put("runs", m.runs());
            image.add(row);
        }
        root.put("image", image);
        return Json.write(root) + "\n";
    }
}
