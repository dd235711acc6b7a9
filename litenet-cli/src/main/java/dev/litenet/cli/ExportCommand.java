package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.export.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code litenet export}: a model as an ONNX or TFLite file for other runtimes (ONNX Runtime, LiteRT / TFLite). */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write a model as ONNX or TFLite (float32 or int8) for other runtimes.",
        description = {"Writes any model LiteNet loads (pretrained weights or a trained run) as a file that ONNX Runtime "
                + "(Python, C++, C#, the browser) or LiteRT / TFLite (Android, iOS, microcontrollers, the web) runs. The file takes "
                + "the preprocessed image and gives 'logits' and 'probabilities'; BatchNorm is folded; the architecture, labels, "
                + "preprocessing and LiteNet's version are in its metadata (TFLite: with the labels file, as Android's Task Library "
                + "reads it). A run trained with test-time flip runs both views in the file unless --one-view. docs/DEPLOY.md "
                + "shows how each runtime runs it.",
                "",
                "  litenet export --model runs/cats-dogs --format onnx --out cats-dogs.onnx",
                "  litenet export --model runs/cats-dogs --format tflite --quantize int8 --calibration photos/ --out cats-dogs-int8.tflite"})
public final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--format", paramLabel = "<FORMAT>", description = "onnx or tflite (default: from the --out file's extension).")
    Format format;

    @Option(names = "--out", paramLabel = "<FILE>", required = true, description = "The file to write (replaced if it exists).")
    Path out;

    @Option(names = "--quantize", paramLabel = "<MODE>", defaultValue = "none",
            description = "none (float32) or int8 (TFLite only: full-integer, per-channel int8 weights, uint8 image in and outputs out; needs --calibration). Default: ${DEFAULT-VALUE}.")
    Quantize quantize;

    @Option(names = "--calibration", paramLabel = "<FOLDER>",
            description = "Photos like the ones the model will see (searched recursively), to calibrate int8 activation ranges.")
    Path calibration;

    @Option(names = "--calibration-images", paramLabel = "<N>", defaultValue = "" + ExportOptions.DEFAULT_CALIBRATION_IMAGES,
            description = "How many calibration photos, spread over the folder by a fixed seed (default: ${DEFAULT-VALUE}).")
    int calibrationImages;

    @Option(names = "--one-view", description = "For a run trained with test-time flip: put one view in the file, not the image and its mirror (half the work; average the two yourself for litenet predict's answers).")
    boolean oneView;

    @Mixin ThreadsOption threads;

    enum Format { onnx, tflite }

    enum Quantize { none, int8 }

    @Override public Integer call() {
        threads.apply();
        Args.outputFile("--out", out);
        Format f = format != null ? format : fromName(out);
        if (quantize == Quantize.int8 && f == Format.onnx) {
            throw new BadInputException("--quantize int8 is for --format tflite; ONNX export is float32");
        }
        if (quantize == Quantize.int8 && calibration == null) throw new BadInputException("--quantize int8 needs --calibration FOLDER (photos like the ones the model will see)");
        if (quantize == Quantize.none && calibration != null) throw new BadInputException("--calibration is for --quantize int8");
        Args.range("--calibration-images", calibrationImages, 1, 100_000);
        PrintWriter err = spec.commandLine().getErr();
        ImageClassifier net = model.classifier(err);
        ExportOptions options = (f == Format.onnx ? ExportOptions.onnx() : ExportOptions.tflite()).calibrationImages(calibrationImages);
        if (quantize == Quantize.int8) options = options.int8(Args.inputFolder("--calibration", calibration));
        if (oneView) options = options.oneView();
        Exporter.Result r = net.export(out, options);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s: %s %s, %s, %d classes, input %dx%d, %.1f MB%n", Main.shown(out), f == Format.onnx ? "ONNX" : "TFLite",
                r.int8() ? "int8" : "float32", net.architecture(), net.labels().size(), net.inputSize(), net.inputSize(), r.bytes() / 1e6);
        r.notes().forEach(n -> o.println("  " + n));
        return Main.OK;
    }

    private static Format fromName(Path out) {
        String name = String.valueOf(out.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) return Format.onnx;
        if (name.endsWith(".tflite")) return Format.tflite;
        throw new BadInputException("give --format onnx|tflite, or an --out file ending in .onnx or .tflite");
    }
}
