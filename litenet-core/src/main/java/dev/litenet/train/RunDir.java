package dev.litenet.train;

import dev.litenet.TrainEvent;

import dev.litenet.data.Preprocess;
import dev.litenet.BadInputException;
import dev.litenet.eval.HistoryChart;
import dev.litenet.io.Budget;
import dev.litenet.io.Json;
import dev.litenet.models.Pretrained;
import dev.litenet.io.Safetensors;
import dev.litenet.tensor.TorchTensor;
import dev.litenet.models.MobileNetV2;
import dev.litenet.nn.Linear;
import dev.litenet.nn.StateDict;
import dev.litenet.tensor.Padding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's folder: {@code model.safetensors} (every weight, torchvision names, head {@code classifier.*})
 * and {@code model.json} (architecture, class names, preprocessing, padding, where the backbone came from),
 * {@code history.json}, and while training, a checkpoint of the last completed epoch for {@code --resume}.
 * Every file is written to a temporary name and moved into place, so a crash never leaves half a file.
 */
public final class RunDir {
    public static final String MODEL = "model.safetensors", META = "model.json", HISTORY = "history.json",
            CHECKPOINT = "checkpoint.safetensors", CHECKPOINT_META = "checkpoint.json";

    public static final String HISTORY_PNG = "history.png", SKIPPED = "skipped.json";

    /** A trained classifier as read back from a run folder. */
    public record Trained(MobileNetV2 model, List<String> classes, Preprocess preprocess, String origin, String sha256,
                          List<TrainEvent.EpochStats> history) {}

    private RunDir() {}

    /** The model.json content for a MobileNetV2 with a Linear head. */
    public static Map<String, Object> meta(MobileNetV2 model, List<String> classes, Preprocess p, String origin, String sha256) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "litenet-run-1");
        m.put("architecture", "mobilenet_v2");
        m.put("width_mult", (double) model.widthMult);
        m.put("head", "linear");
        m.put("num_classes", classes.size());
        m.put("classes", classes);
        m.put("padding", model.features().get(0) instanceof dev.litenet.models.ConvBNReLU c
                && c.conv().padding() == Padding.TF_SAME ? "tf-same" : "torch");
        m.put("preprocess", p.toJson());
        m.put("weights", Map.of("origin", origin, "sha256", sha256));
        return m;
    }

    /**
     * Writes a classifier: weights, metadata, history (and its chart when there is one). The weights go first and
     * {@code model.json} last, so a reader never pairs new metadata with old weights.
     */
    public static void save(Path dir, MobileNetV2 model, List<String> classes, Preprocess p, String origin, String sha256,
                            List<TrainEvent.EpochStats> history) throws IOException {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(MODEL), StateDict.of(model), Map.of("format", "litenet"));
        writeJson(dir.resolve(HISTORY), historyJson(history));
        if (!history.isEmpty()) writeAtomically(dir.resolve(HISTORY_PNG), HistoryChart.png(history));
        writeJson(dir.resolve(META), meta(model, classes, p, origin, sha256));
    }

    /** The width multipliers a run folder may declare (torchvision's are 0.35 to 1.4). */
    private static final float MIN_WIDTH = 0.1f, MAX_WIDTH = 4f;

    /** Reads a run folder written by {@link #save}. */
    @SuppressWarnings("unchecked")
    public static Trained load(Path dir) {
        Path metaFile = dir.resolve(META), weights = dir.resolve(MODEL);
        if (!Files.isRegularFile(metaFile) || !Files.isRegularFile(weights)) {
            throw new BadInputException(dir, "not a LiteNet run folder (needs " + META + " and " + MODEL + ")");
        }
        Budget.check(metaFile, "run metadata bytes", Budget.regularFile(metaFile), Budget.TEXT_FILE_BYTES);
        Map<String, Object> meta;
        try {
            meta = (Map<String, Object>) Json.parse(Files.readString(metaFile));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(metaFile, "unreadable: " + e.getMessage());
        }
        try {
            List<String> classes = ((List<Object>) meta.get("classes")).stream().map(String::valueOf).toList();
            float width = ((Number) meta.get("width_mult")).floatValue();
            if (!(width >= MIN_WIDTH && width <= MAX_WIDTH)) {
                throw new BadInputException(metaFile, "width_mult " + width + " is outside [" + MIN_WIDTH + ", " + MAX_WIDTH + "]");
            }
            if (classes.isEmpty() || classes.size() > Pretrained.MAX_CLASSES) {
                throw new BadInputException(metaFile, classes.size() + " classes; a classifier has 1 to " + Pretrained.MAX_CLASSES);
            }
            MobileNetV2 model = new MobileNetV2(classes.size(), width);
            model.setClassifier(new Linear(model.lastChannel, classes.size()));
            model.setPadding("tf-same".equals(meta.get("padding")) ? Padding.TF_SAME : Padding.TORCH);
            StateDict.load(model, Safetensors.read(weights), weights.toString());
            model.train(false);
            Preprocess p = Preprocess.fromJson((Map<String, Object>) meta.get("preprocess"));
            Map<String, Object> weightsMeta = (Map<String, Object>) meta.getOrDefault("weights", Map.of());
            return new Trained(model, classes, p, String.valueOf(weightsMeta.getOrDefault("origin", "")),
                    String.valueOf(weightsMeta.getOrDefault("sha256", "")), readHistory(dir.resolve(HISTORY)));
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new BadInputException(metaFile, "malformed run metadata: " + e.getMessage());
        }
    }

    /** Saves the state after a completed epoch: model, optimizer state, history. */
    public static void saveCheckpoint(Path dir, MobileNetV2 model, Optimizer optimizer, List<TrainEvent.EpochStats> history)
            throws IOException {
        Files.createDirectories(dir);
        LinkedHashMap<String, TorchTensor> state = StateDict.of(model);
        optimizer.state().forEach((k, v) -> state.put("optimizer." + k, new TorchTensor(new int[]{v.length}, v)));
        Safetensors.write(dir.resolve(CHECKPOINT), state, Map.of("epoch", Integer.toString(history.size())));
        writeJson(dir.resolve(HISTORY), historyJson(history));
        writeJson(dir.resolve(CHECKPOINT_META), Map.of("completed_epochs", history.size()));
    }

    /** Restores a checkpoint into the model and optimizer; returns the history so far (empty if none). */
    @SuppressWarnings("unchecked")
    public static List<TrainEvent.EpochStats> loadCheckpoint(Path dir, MobileNetV2 model, Optimizer optimizer) {
        Path file = dir.resolve(CHECKPOINT), historyFile = dir.resolve(HISTORY);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(historyFile)) return List.of();
        LinkedHashMap<String, TorchTensor> state = Safetensors.read(file);
        Map<String, float[]> opt = new LinkedHashMap<>();
        LinkedHashMap<String, TorchTensor> weights = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith("optimizer.")) opt.put(k.substring("optimizer.".length()), v.data());
            else weights.put(k, v);
        });
        StateDict.load(model, weights, file.toString());
        optimizer.loadState(opt);
        return readHistory(historyFile);
    }

    /** The epochs in a history.json; none when the file is absent. */
    @SuppressWarnings("unchecked")
    public static List<TrainEvent.EpochStats> readHistory(Path historyFile) {
        if (!Files.isRegularFile(historyFile)) return List.of();
        try {
            List<Object> rows = (List<Object>) ((Map<String, Object>) Json.parse(Files.readString(historyFile))).get("epochs");
            List<TrainEvent.EpochStats> history = new ArrayList<>();
            for (Object r : rows) {
                Map<String, Object> e = (Map<String, Object>) r;
                history.add(new TrainEvent.EpochStats(((Number) e.get("epoch")).intValue(), d(e, "train_acc"), d(e, "train_loss"),
                        d(e, "val_acc"), d(e, "val_loss"), d(e, "seconds")));
            }
            return history;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(historyFile, "malformed history: " + e.getMessage());
        }
    }

    public static Map<String, Object> historyJson(List<TrainEvent.EpochStats> history) {
        List<Object> rows = new ArrayList<>();
        for (TrainEvent.EpochStats s : history) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", s.epoch());
            e.put("train_acc", s.trainAcc());
            e.put("train_loss", s.trainLoss());
            e.put("val_acc", s.valAcc());
            e.put("val_loss", s.valLoss());
            e.put("seconds", s.seconds());
            rows.add(e);
        }
        return Map.of("epochs", rows);
    }

    public static void writeJson(Path file, Object value) throws IOException {
        writeAtomically(file, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the checkpoint once the final model is written. */
    public static void dropCheckpoint(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(CHECKPOINT));
        Files.deleteIfExists(dir.resolve(CHECKPOINT_META));
    }

    private static double d(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
