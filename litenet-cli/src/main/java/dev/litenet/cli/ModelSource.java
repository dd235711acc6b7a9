package dev.litenet.cli;

import dev.litenet.ImageClassifier;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code --weights NAME|FILE} or {@code --model RUN_DIR}: the classifier a command runs. */
final class ModelSource {
    @Option(names = "--weights", paramLabel = "<NAME|FILE>", description = "Pretrained weights: a known name (e.g. mobilenet_v2_1.0_224_quant) or a .tflite/.pth/.safetensors file.")
    String weights;

    @Option(names = "--model", paramLabel = "<RUN_DIR>", description = "Run folder written by 'litenet train'.")
    Path model;

    ImageClassifier open(PrintWriter err) {
        if (model != null) return ImageClassifier.load(Args.inputFolder("--model", model));
        return ImageClassifier.pretrained(WeightsOption.resolve(weights, err));
    }
}
