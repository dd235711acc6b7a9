package dev.litenet.cli;

import dev.litenet.data.ImageDecoder;
import dev.litenet.data.ImageFolder;
import dev.litenet.data.Pipeline;
import dev.litenet.data.Preprocess;
import dev.litenet.eval.Prediction;
import dev.litenet.BadInputException;
import dev.litenet.io.Json;
import dev.litenet.models.Pretrained;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;
import dev.litenet.train.RunDir;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/** {@code litenet predict}: the top classes of images, with pretrained ImageNet weights or a trained run. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Top-K classes of images, with pretrained weights or a trained run.",
        description = {"Top-K classes of images (files or folders), with ImageNet labels from pretrained weights",
                "or the class names of a run folder written by 'litenet train'. Unreadable files are reported",
                "one by one and the exit code is then 2; the other images are still predicted."})
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    static final class Source {
        @Option(names = "--weights", description = "Pretrained weights: a known name or a .tflite/.pth/.safetensors file.")
        String weights;

        @Option(names = "--model", description = "Run folder written by 'litenet train'.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--top", defaultValue = "5", description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Mixin ThreadsOption threads;

    @Option(names = "--json", description = "Print [{\"file\":..., \"top\":[{\"index\":..,\"label\":..,\"prob\":..}]}].")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_FOLDER", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        if (top < 1) throw new BadInputException("--top must be at least 1");
        Layer net;
        Preprocess preprocess;
        IntFunction<String> label;
        int indexOffset;
        if (source.model != null) {
            RunDir.Trained run = RunDir.load(source.model);
            net = run.model().fused();
            preprocess = run.preprocess();
            label = run.classes()::get;
            indexOffset = 0;
        } else {
            Pretrained p = Pretrained.load(WeightsOption.resolve(source.weights, err));
            net = p.model().fused();
            preprocess = p.preprocess();
            indexOffset = !p.labels().isEmpty() && p.labels().get(0).equals("background") ? 1 : 0;   // TFLite: 1001 classes
            label = p::label;
        }
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).filter(f -> ImageFolder.isImageName(f.getFileName().toString())).sorted().forEach(files::add);
                }
            } else {
                files.add(in);
            }
        }
        Pipeline pipeline = preprocess.pipeline();
        List<Object> results = new ArrayList<>();
        int bad = 0;
        for (Path f : files) {
            float[] x;
            try {
                x = pipeline.apply(ImageDecoder.decode(f), new SplittableRandom(0)).pixels();
            } catch (BadInputException e) {
                bad++;
                err.println("litenet: " + e.getMessage());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", f.toString());
                m.put("error", e.getMessage());
                results.add(m);
                continue;
            }
            int size = preprocess.outputSize();
            Tensor logits = net.forward(new Tensor(x, 1, size, size, 3));
            Prediction p = Prediction.topK(logits, List.of(f), top, i -> label.apply(i)).get(0);
            Prediction shown = new Prediction(f, p.top().stream()
                    .map(s -> new Prediction.Scored(s.index() - indexOffset, s.label(), s.probability())).toList());
            if (json) {
                results.add(shown.toJson());
            } else {
                out.println(f);
                for (var s : shown.top()) out.printf("  %6.2f %%  %4d  %s%n", 100 * s.probability(), s.index(), s.label());
            }
        }
        if (json) out.println(Json.write(results));
        return bad > 0 ? Main.BAD_INPUT : Main.OK;
    }
}
