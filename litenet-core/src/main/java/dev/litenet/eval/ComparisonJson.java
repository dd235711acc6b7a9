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
 *  "image": [{"model": "mobilenet_v2_0.5", "architecture": "mobilenet_v2", "width_mult": 0.5, "params": 1968680,
 *             "mult_adds": 97133568, "file_bytes": 7920136,
 *             "latency": [{"batch": 1, "threads": 1, "ms_per_image": 2.1, "runs": 480}, {"batch": 32, "threads": 2, ...}],
 *             "imagenet_top1": {"weights": "...", "top1": 71.878, "input_size": 224}},  (null when none is published)
 *            ...],
 *  "transfer": {"data": "...", "folds": 5, "fold_seed": 0, "recipe": "...", "input_size": 0,   (null without --transfer)
 *               "backbones": [{"weights": "mobilenet_v2_1.0_224_quant", "architecture": "mobilenet_v2", "width_mult": 1.0,
 *                              "input_size": 224, "embedding_size": 1280, "params": 2223872, "mult_adds": 299529472,
 *                              "latency": {"batch": 1, "threads": 1, ...}, "photos": 2700, "accuracy_mean": 0.987,
 *                              "accuracy_sd": 0.002, "log_loss_mean": 0.033, "log_loss_sd": 0.005, "wrong": 34,
 *                              "fold_accuracy": [...], "seconds": 61.2, "imagenet_top1": 70.8}, ...]}}
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
            row.put("architecture", m.architecture());
            row.put("width_mult", (double) m.widthMult());
            row.put("params", m.params());
            row.put("mult_adds", m.multAdds());
            row.put("file_bytes", m.fileBytes());
            row.put("latency", List.of(latency(m.single()), latency(m.batched())));
            Comparison.Published p = m.published();
            row.put("imagenet_top1", p == null ? null : Map.of("weights", p.weights(), "top1", p.top1(), "input_size", p.inputSize()));
            image.add(row);
        }
        root.put("image", image);
        root.put("transfer", c.transfer() == null ? null : transfer(c.transfer()));
        return Json.write(root) + "\n";
    }

    private static Map<String, Object> latency(Latency l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch", l.batch());
        m.put("threads", l.threads());
        m.put("ms_per_image", l.msPerImage());
        m.put("runs", l.runs());
        return m;
    }

    private static Map<String, Object> transfer(Comparison.Transfer t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", t.data());
        m.put("folds", t.folds());
        m.put("fold_seed", t.foldSeed());
        m.put("recipe", t.recipe());
        m.put("input_size", t.inputSize());
        List<Object> rows = new ArrayList<>();
        for (Comparison.Backbone b : t.backbones()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("weights", b.weights());
            row.put("architecture", b.architecture());
            row.put("width_mult", (double) b.widthMult());
            row.put("input_size", b.inputSize());
            row.put("embedding_size", b.embeddingSize());
            row.put("params", b.params());
            row.put("mult_adds", b.multAdds());
            row.put("latency", latency(b.latency()));
            Comparison.CrossValidated cv = b.cv();
            row.put("photos", cv.photos());
            row.put("accuracy_mean", cv.accuracyMean());
            row.put("accuracy_sd", cv.accuracySd());
            row.put("log_loss_mean", cv.logLossMean());
            row.put("log_loss_sd", cv.logLossSd());
            row.put("wrong", cv.wrong());
            row.put("fold_accuracy", cv.foldAccuracy());
            row.put("seconds", cv.seconds());
            row.put("imagenet_top1", b.imagenetTop1());
            rows.add(row);
        }
        m.put("backbones", rows);
        return m;
    }
}
