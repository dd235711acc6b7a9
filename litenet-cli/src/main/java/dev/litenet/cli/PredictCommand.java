package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.data.ImageFolder;
import dev.litenet.io.Json;
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
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code litenet predict}: the top classes of images, with pretrained ImageNet weights or a trained run. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        header = "Top-K classes of images, with pretrained weights or a trained run.",
        description = "Top-K classes of images (files or folders), with ImageNet labels from pretrained weights "
                + "or the class names of a run folder written by 'litenet train'. Unreadable files are reported "
                + "one by one and the exit code is then 2; the other images are still predicted.")
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin CropOption crop;

    @Option(names = "--top", paramLabel = "<K>", description = "How many classes to show, 1 to the model's classes (default: 5, or all of a model with fewer).")
    Integer top;

    @Option(names = "--batch-size", defaultValue = "" + ImageClassifier.DEFAULT_BATCH_SIZE, paramLabel = "<N>", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin ThreadsOption threads;

    @Option(names = "--json", description = "Print [{\"file\":..., \"top\":[{\"index\":..,\"label\":..,\"prob\":..}]}] (same as --format json).")
    boolean json;

    /** How predictions are printed. */
    enum Format { TEXT, JSON, CSV }

    @Option(names = "--format", defaultValue = "text", paramLabel = "<FORMAT>", description = "text, json, or csv: a header, then one row per file and rank: file,rank,index,label,probability,error (default: ${DEFAULT-VALUE}).")
    Format format;

    @Parameters(arity = "1..*", paramLabel = "<IMAGE_OR_FOLDER>", description = "Image files or folders (searched recursively).")
    List<Path> inputs;

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        if (top != null) Args.range("--top", top, 1, Integer.MAX_VALUE);
        Args.range("--batch-size", batchSize, 1, ImageClassifier.MAX_BATCH_SIZE);
        List<Path> files = imageFiles(inputs);
        ImageClassifier net = crop.apply(model.classifier(err));
        int classes = net.labels().size();
        int top = this.top == null ? Math.min(5, classes) : Args.range("--top", this.top, 1, classes);
        if (json) format = Format.JSON;
        if (format == Format.CSV) out.println("file,rank,index,label,probability,error");
        int bad = 0;
        List<Object> results = new ArrayList<>();
        for (int from = 0; from < files.size(); from += batchSize) {        // printed a batch at a time
            for (ImageClassifier.FilePrediction p : net.predictAll(files.subList(from, Math.min(files.size(), from + batchSize)), top, batchSize)) {
                if (!p.ok()) {
                    bad++;
                    err.println("litenet: " + Main.shown(p.error()));
                }
                if (format == Format.JSON) {
                    results.add(toJson(p));
                } else if (format == Format.CSV) {
                    for (String row : csvRows(p)) out.println(row);
                } else if (p.ok()) {
                    out.println(Main.shown(p.file()));
                    for (Prediction s : p.top()) out.printf("  %6.2f %%  %4d  %s%n", 100 * s.probability(), s.index(), Main.shown(s.label()));
                }
            }
        }
        if (format == Format.JSON) out.println(Json.write(results));
        return bad > 0 ? Main.BAD_INPUT : Main.OK;
    }

    /** Files as given, folders searched recursively for image files, in sorted order. */
    static List<Path> imageFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (in.toString().isEmpty()) throw new BadInputException("an empty name is not an image or folder");
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.walk(in)) {
                    s.filter(Files::isRegularFile).filter(f -> ImageFolder.isImageName(f.getFileName().toString())).sorted().forEach(files::add);
                }
            } else {
                files.add(in);
            }
        }
        return files;
    }

    /** CSV rows of one file: one per rank, or one with the error. */
    static List<String> csvRows(ImageClassifier.FilePrediction p) {
        if (!p.ok()) return List.of(csv(p.file().toString()) + ",,,,," + csv(p.error()));
        List<String> rows = new ArrayList<>();
        int rank = 1;
        for (Prediction s : p.top()) {
            rows.add(String.format(java.util.Locale.ROOT, "%s,%d,%d,%s,%.6f,", csv(p.file().toString()), rank++, s.index(), csv(s.label()), s.probability()));
        }
        return rows;
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
    static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /** {@code {"file":..., "top":[{"index":..,"label":..,"prob":..}]}} or {@code {"file":..., "error":...}}. */
    static Map<String, Object> toJson(ImageClassifier.FilePrediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", p.file().toString());
        if (!p.ok()) {
            m.put("error", p.error());
            return m;
        }
        m.put("top", p.top().stream().map(Prediction::toJson).toList());
        return m;
    }
}
