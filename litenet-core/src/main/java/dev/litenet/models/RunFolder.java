package dev.litenet.models;

import dev.litenet.TrainEvent;

import dev.litenet.data.Preprocess;
import dev.litenet.BadInputException;
import dev.litenet.eval.HistoryChart;
import dev.litenet.io.Budget;
import dev.litenet.io.Json;
import dev.litenet.io.Safetensors;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.TorchTensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model's folder: {@code model.safetensors} (every weight, the reference's names) and {@code model.json}
 * (architecture, width, class names, preprocessing, padding, where the backbone came from and whether it is unchanged),
 * {@code history.json}, {@code history.png}, and while training, {@code checkpoint.safetensors} for
 * {@code --resume}. {@code manifest.json} vouches for them all with their sha256 and changes them all at once
 * ({@link RunManifest}): after a crash at any moment the folder is the old run or the new one, never a mix.
 */
public final class RunFolder {
    public static final String MODEL = "model.safetensors", META = "model.json", HISTORY = "history.json",
            CHECKPOINT = "checkpoint.safetensors", MANIFEST = RunManifest.FILE;

    public static final String HISTORY_PNG = "history.png", SKIPPED = "skipped.json";

    private RunFolder() {}

    /** The model.json content of a model. */
    public static Map<String, Object> meta(Model model) {
        Network net = model.network();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("architecture", net.config().architecture());
        m.put("width_mult", (double) net.config().widthMult());
        m.put("head", net.headName());
        m.put("num_classes", net.numClasses());
        m.put("classes", model.labels());
        m.put("padding", net.padding() == Padding.TF_SAME ? "tf-same" : "torch");
        m.put("preprocess", model.preprocess().toJson());
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("origin", model.origin());
        weights.put("sha256", model.sha256());
        weights.put("backbone_unchanged", model.backboneUnchanged());   // absent in older runs: not known, so false
        m.put("weights", weights);
        return m;
    }

    private static final String FORMAT = "litenet-run-2", FORMAT_1 = "litenet-run-1";
    private static final Map<String, String> MODEL_METADATA = Map.of("format", "litenet");

    /**
     * What the {@code model.safetensors} of this network would weigh in bytes, computed without writing: every
     * parameter and buffer of its state_dict as float32, with the header {@link #save} writes.
     */
    public static long modelBytes(Network network) { return Safetensors.size(StateDict.of(network), MODEL_METADATA); }

    /**
     * Writes a model in one commit: weights, metadata, history (and its chart when there is one). Whatever the
     * folder held before (another run, a checkpoint) is replaced.
     */
    public static void save(Path dir, Model model) throws IOException {
        List<TrainEvent.EpochStats> history = model.history();
        Map<String, RunManifest.Content> files = new LinkedHashMap<>();
        files.put(MODEL, f -> Safetensors.write(f, StateDict.of(model.network()), MODEL_METADATA));
        files.put(META, json(meta(model)));
        files.put(HISTORY, json(historyJson(history)));
        if (!history.isEmpty()) files.put(HISTORY_PNG, f -> RunManifest.writeForced(f, HistoryChart.png(history)));
        RunManifest.commit(dir, files, true, history.size());
    }

    /** Adds {@code skipped.json} (one "file: reason" line per unreadable photo) to a saved run. */
    public static void saveSkipped(Path dir, List<String> lines) throws IOException {
        RunManifest.commit(dir, Map.of(SKIPPED, json(lines)), false, -1);
    }

    /** A file outside a run folder (a chart, a results file) written whole or not at all: temp file, then rename. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        RunManifest.writeAtomically(file.toAbsolutePath(), bytes);
    }

    /** {@link #writeAtomically} of a value as readable JSON. */
    public static void writeJson(Path file, Object value) throws IOException {
        writeAtomically(file, Json.pretty(value).getBytes(StandardCharsets.UTF_8));
    }

    public static RunManifest.Content json(Object value) {
        return f -> RunManifest.writeForced(f, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a run folder written by {@link #save}, trusting only files that match its manifest.
     *
     * @throws BadInputException if the folder holds no complete run or a file does not match the manifest
     */
    public static Model load(Path dir) {
        if (!Files.isDirectory(dir)) throw new BadInputException(dir, "run folder not found");
        Map<String, Path> files = RunManifest.verified(dir);
        if (!files.containsKey(META) || !files.containsKey(MODEL)) {
            throw new BadInputException(dir, files.containsKey(CHECKPOINT)
                    ? "holds only the checkpoint of an unfinished training; finish it with train --resume"
                    : "not a LiteNet run folder (needs " + MANIFEST + " vouching for " + META + " and " + MODEL + ")");
        }
        try {
            return read(files.get(META), files.get(MODEL), files.get(HISTORY));
        } catch (OutOfMemoryError e) {
            throw Budget.whileReading(files.get(MODEL), e);
        }
    }

    /** Reads a run's metadata, weights and history (null: none) once they are verified. */
    @SuppressWarnings("unchecked")
    static Model read(Path metaFile, Path weights, Path historyFile) {
        Budget.check(metaFile, "run metadata bytes", Budget.regularFile(metaFile), Budget.TEXT_FILE_BYTES);
        Map<String, Object> meta;
        try {
            meta = (Map<String, Object>) Json.parse(Files.readString(metaFile));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(metaFile, "unreadable: " + e.getMessage());
        }
        try {
            String format = String.valueOf(meta.get("format"));
            if (!format.equals(FORMAT) && !format.equals(FORMAT_1)) throw new BadInputException(metaFile, "unknown run format '" + format + "'");
            List<String> classes = ((List<Object>) meta.get("classes")).stream().map(String::valueOf).toList();
            Architecture architecture = Architectures.get(String.valueOf(meta.get("architecture")));
            float width = ((Number) meta.get("width_mult")).floatValue();
            if (classes.isEmpty() || classes.size() > Architecture.MAX_CLASSES) {
                throw new BadInputException(metaFile, classes.size() + " classes; a classifier has 1 to " + Architecture.MAX_CLASSES);
            }
            Network net = architecture.build(classes.size(), width, 0);
            net.setPadding("tf-same".equals(meta.get("padding")) ? Padding.TF_SAME : Padding.TORCH);
            Map<String, TorchTensor> state = Safetensors.read(weights);
            if (format.equals(FORMAT_1)) state = headAsIn(state, net);
            StateDict.load(net, state, weights.toString());
            net.train(false);
            Preprocess p = Preprocess.fromJson((Map<String, Object>) meta.get("preprocess"));
            Map<String, Object> weightsMeta = (Map<String, Object>) meta.getOrDefault("weights", Map.of());
            return new Model(net, classes, p, String.valueOf(weightsMeta.getOrDefault("origin", "")),
                    String.valueOf(weightsMeta.getOrDefault("sha256", "")), historyFile == null ? List.of() : readHistory(historyFile),
                    false, Boolean.TRUE.equals(weightsMeta.get("backbone_unchanged")));
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new BadInputException(metaFile, "malformed run metadata: " + e.getMessage());
        }
    }

    /**
     * The first run format kept the lesson's bare head, {@code classifier = Linear(1280, classes)}: its
     * {@code classifier.weight} is the head that {@code classifier.1.weight} is now.
     */
    private static Map<String, TorchTensor> headAsIn(Map<String, TorchTensor> state, Network net) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k.startsWith("classifier.") && !k.startsWith(net.headName() + ".")
                ? net.headName() + k.substring("classifier".length()) : k, v));
        return out;
    }

    /** The epochs in a history.json; none when the file is absent. */
    public static List<TrainEvent.EpochStats> readHistory(Path historyFile) {
        if (!Files.isRegularFile(historyFile)) return List.of();
        Budget.check(historyFile, "history bytes", Budget.regularFile(historyFile), Budget.TEXT_FILE_BYTES);
        try {
            return parseHistory(historyFile, Files.readString(historyFile));
        } catch (IOException e) {
            throw new BadInputException(historyFile, "unreadable: " + e.getMessage());
        }
    }

    /** The epochs in {@link #historyJson}'s text, read from {@code where}. */
    @SuppressWarnings("unchecked")
    public static List<TrainEvent.EpochStats> parseHistory(Path where, String json) {
        try {
            List<Object> rows = (List<Object>) ((Map<String, Object>) Json.parse(json)).get("epochs");
            List<TrainEvent.EpochStats> history = new ArrayList<>();
            for (Object r : rows) {
                Map<String, Object> e = (Map<String, Object>) r;
                history.add(new TrainEvent.EpochStats(((Number) e.get("epoch")).intValue(), d(e, "train_acc"), d(e, "train_loss"),
                        d(e, "val_acc"), d(e, "val_loss"), d(e, "seconds")));
            }
            return history;
        } catch (RuntimeException e) {
            throw new BadInputException(where, "malformed history: " + e.getMessage());
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

    private static double d(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
