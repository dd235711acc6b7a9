package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;
import dev.litenet.tensor.TorchTensor;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.StateDicts;

import dev.litenet.data.Preprocess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pretrained MobileNetV2 with what travels with its weights: the preprocessing its input expects, its class
 * labels, and where it came from. TFLite files give 1001 classes (index 0 = "background") and TF SAME padding;
 * torchvision {@code .pth} and safetensors files give 1000 classes and torchvision's preprocessing.
 */
public record Pretrained(MobileNetV2 model, Preprocess preprocess, List<String> labels, String origin, String sha256) {
    /** The most classes a classifier head may have. */
    public static final int MAX_CLASSES = 100_000;

    /** Reads a {@code .tflite}, {@code .pth} or {@code .safetensors} file into a MobileNetV2 in eval mode. */
    public static Pretrained load(Path file) {
        try {
            return read(file);
        } catch (OutOfMemoryError e) {
            throw Budget.whileReading(file, e);
        }
    }

    private static Pretrained read(Path file) {
        if (!Files.exists(file)) throw new BadInputException(file, "no such weights file");
        Budget.regularFile(file);
        String sha = sha256(file);
        boolean tflite = file.getFileName().toString().endsWith(".tflite");
        PreparedWeights.Prepared prepared = PreparedWeights.read(PreparedWeights.defaultDir(), sha);
        if (prepared == null) {
            prepared = tflite ? importTflite(file) : importTorch(file, sha);
            if (FileHashes.known(sha)) PreparedWeights.write(PreparedWeights.defaultDir(), sha, prepared);   // a bounded few
        }
        int classes = prepared.model().numClasses();
        List<String> labels;
        if (tflite) {
            List<String> own = TfliteMobileNetV2.labels(file);
            labels = own.size() == classes ? own : classes == 1001 ? withBackground(imagenetLabels()) : List.of();
        } else {
            labels = classes == 1000 ? imagenetLabels() : List.of();
        }
        return new Pretrained(prepared.model(), prepared.preprocess(), labels, file.getFileName().toString(), sha);
    }

    private static PreparedWeights.Prepared importTflite(Path file) {
        TfliteImport imported = TfliteMobileNetV2.toStateDict(TfliteFile.read(file));
        MobileNetV2 model = new MobileNetV2(imported.numClasses());
        model.setPadding(imported.padding());
        StateDict.load(model, imported.stateDict(), file.toString());
        model.train(false);
        return new PreparedWeights.Prepared(model, imported.preprocessing());
    }

    private static PreparedWeights.Prepared importTorch(Path file, String sha) {
        Map<String, TorchTensor> state = StateDicts.read(file);
        TorchTensor bias = state.get("classifier.1.bias");
        if (bias == null) throw new BadInputException(file, "not a MobileNetV2 state_dict (no classifier.1.bias)");
        if (bias.shape().length != 1 || bias.shape()[0] < 1 || bias.shape()[0] > MAX_CLASSES) {
            throw new BadInputException(file, "classifier.1.bias has shape " + java.util.Arrays.toString(bias.shape())
                    + ", expected [classes] with 1 to " + MAX_CLASSES + " classes");
        }
        MobileNetV2 model = new MobileNetV2(bias.shape()[0]);
        StateDict.load(model, state, file.toString());
        model.train(false);
        // a known checkpoint brings its own preprocessing (IMAGENET1K_V2 is evaluated after a resize to 232)
        Preprocess preprocess = KnownWeights.bySha256(sha).map(WeightsInfo::preprocessing).orElse(Preprocess.TORCHVISION_IMAGENET);
        return new PreparedWeights.Prepared(model, preprocess);
    }

    /** The label of class i, or "class i" when the weights came without labels. */
    public String label(int i) { return i < labels.size() ? labels.get(i) : "class " + i; }

    /** torchvision's names of the 1000 ImageNet classes, in index order. */
    public static List<String> imagenetLabels() { return ImageNetLabels.ALL; }

    private static List<String> withBackground(List<String> labels) {
        List<String> out = new java.util.ArrayList<>(labels.size() + 1);
        out.add("background");
        out.addAll(labels);
        return List.copyOf(out);
    }

    /** Read once, on first use. */
    private static final class ImageNetLabels {
        static final List<String> ALL = read();

        private static List<String> read() {
            try (var in = Pretrained.class.getResourceAsStream("imagenet_classes.txt")) {
                if (in == null) throw new IllegalStateException("imagenet_classes.txt missing from the library");
                List<String> lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
                if (lines.size() != 1000) throw new IllegalStateException("imagenet_classes.txt has " + lines.size() + " lines, not 1000");
                return lines;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The file's sha256 in hex; an unreadable file is bad input. */
    public static String sha256(Path file) {
        try {
            return WeightsCache.sha256Hex(file);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e.getMessage());
        }
    }
}
