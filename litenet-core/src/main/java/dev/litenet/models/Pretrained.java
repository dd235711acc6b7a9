package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.io.Budget;
import dev.litenet.tensor.TorchTensor;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteImport;
import dev.litenet.io.TfliteMobileNetV2;
import dev.litenet.io.StateDicts;

import dev.litenet.data.Normalize;
import dev.litenet.data.Preprocess;
import dev.litenet.data.Resize;
import dev.litenet.models.MobileNetV2;
import dev.litenet.nn.StateDict;

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
        if (!Files.exists(file)) throw new BadInputException(file, "no such weights file");
        Budget.regularFile(file);
        String sha = sha256(file);
        if (file.getFileName().toString().endsWith(".tflite")) {
            TfliteImport imported = TfliteMobileNetV2.toStateDict(TfliteFile.read(file));
            MobileNetV2 model = new MobileNetV2(imported.numClasses());
            model.setPadding(imported.padding());
            StateDict.load(model, imported.stateDict(), file.toString());
            model.train(false);
            TfliteImport.Preprocessing p = imported.preprocessing();
            Preprocess preprocess = new Preprocess(p.cropFraction(), Resize.to(p.inputSize(), p.inputSize()), 0,
                    Normalize.pixel(p.mean(), p.std()));
            return new Pretrained(model, preprocess, imported.labels(), file.getFileName().toString(), sha);
        }
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
        return new Pretrained(model, Preprocess.TORCHVISION_IMAGENET, List.of(), file.getFileName().toString(), sha);
    }

    /** The label of class i, or "class i" when the weights came without labels. */
    public String label(int i) { return i < labels.size() ? labels.get(i) : "class " + i; }

    /** The file's sha256 in hex; an unreadable file is bad input. */
    public static String sha256(Path file) {
        try {
            return WeightsCache.sha256Hex(file);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + e.getMessage());
        }
    }
}
