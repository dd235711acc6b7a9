package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.Explanation;
import dev.litenet.ImageClassifier;
import dev.litenet.io.Json;
import dev.litenet.models.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code litenet explain}: Grad-CAM heatmaps of photos, one overlay PNG each. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        header = "Show where photos speak for a class: Grad-CAM heatmaps.",
        description = "For each photo, a Grad-CAM heatmap (Selvaraju et al. 2017) of the predicted class, or of --class, at the "
                + "last convolutional block, or at --layer: the photo as the network saw it, the heatmap over it in the "
                + "viridis colormap, and a legend with the class and its probability, written to DIR as NAME.gradcam.png. "
                + "Unreadable photos are reported one by one and the exit code is then 2; the others are still explained. "
                + "See docs/EXPLAIN.md for what a heatmap can and cannot tell.")
public final class ExplainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin CropOption crop;

    @Option(names = "--class", paramLabel = "<LABEL>",
            description = "Class to explain: a label (e.g. cat, or tabby for ImageNet's 'tabby, tabby cat') or an index (default: the predicted one).")
    String className;

    @Option(names = "--layer", paramLabel = "<NAME>",
            description = "Layer, torch-style: a unit (features.14, layer3.1) or a stage (layer3: its last unit) (default: the last block).")
    String layer;

    @Option(names = "--out", paramLabel = "<DIR>", required = true, description = "Folder for the overlay PNGs (created if needed).")
    Path out;

    @Option(names = "--json", description = "Print JSON: per photo the file, overlay, class, predicted, layer and heatmap grid.")
    boolean json;

    @Mixin ThreadsOption threads;

    @Parameters(arity = "1..*", paramLabel = "<PHOTO>", description = "Photos, or folders (searched recursively).")
    List<Path> inputs;

    @Override public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        Args.outputFolder("--out", out);
        List<Path> files = PredictCommand.imageFiles(inputs);
        if (files.isEmpty()) throw new BadInputException("no image files in " + inputs);
        ImageClassifier net = crop.apply(model.classifier(err));
        int cls = className == null ? Explanation.PREDICTED : net.classIndex(className);
        String unit = net.explainLayer(layer);                   // both checked before any photo is read
        Files.createDirectories(out);
        ProgressBar progress = files.size() > 1 ? new ProgressBar(err, ProgressBar.isTerminal()) : null;
        Set<Path> written = new HashSet<>();
        List<Object> results = new ArrayList<>();
        int bad = 0, done = 0;
        long start = System.nanoTime();
        for (Path file : files) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("file", file.toString());
            try {
                Explanation e = net.explain(net.prepare(file), cls, unit);
                Path png = overlayPath(file, written);
                write(png, e.overlayPng());
                row.put("overlay", png.toString());
                row.putAll(e.toJson());
                row.remove("image");
                if (!json) {
                    stdout.printf(Locale.ROOT, "%s: %s %.1f %%%s at %s -> %s%n", Main.shown(file), Main.shown(e.explained().label()),
                            100 * e.explained().probability(), e.explained().equals(e.predicted()) ? ""
                                    : String.format(Locale.ROOT, " (predicted %s %.1f %%)", Main.shown(e.predicted().label()), 100 * e.predicted().probability()),
                            e.layer(), Main.shown(png));
                }
            } catch (BadInputException e) {
                bad++;
                err.println("litenet: " + Main.shown(e.getMessage()));
                row.put("error", e.getMessage());
            }
            results.add(row);
            done++;
            if (progress != null) progress.update("explain", done, files.size(), done / ((System.nanoTime() - start) / 1e9), "");
        }
        if (json) stdout.println(Json.write(results));
        return bad > 0 ? Main.BAD_INPUT : Main.OK;
    }

    /** {@code DIR/NAME.gradcam.png}, with {@code -2}, {@code -3}, ... when two photos share a name. */
    private Path overlayPath(Path photo, Set<Path> taken) {
        String name = photo.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        Path p = out.resolve(stem + ".gradcam.png");
        for (int i = 2; !taken.add(p); i++) p = out.resolve(stem + "-" + i + ".gradcam.png");
        return p;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            RunFolder.writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
