package dev.litenet.cli;

import dev.litenet.data.BadImage;
import dev.litenet.data.BadImagePolicy;
import dev.litenet.Evaluation;
import dev.litenet.EvaluationReport;
import dev.litenet.ImageClassifier;
import dev.litenet.BadInputException;
import dev.litenet.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code litenet eval}: a trained run on a labelled folder it did not train on. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        header = "Evaluate a trained run on labelled images it did not train on.",
        description = "Accuracy, loss, confusion matrix, per-class precision and recall, calibration, and the misclassified files of a "
                + "trained run (or of pretrained weights, on folders named as their classes) on a folder of class subfolders; "
                + "--report also writes them as one HTML page, each misclassified photo with its Grad-CAM heatmaps.")
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin CropOption crop;

    @Option(names = "--data", paramLabel = "<DIR>", required = true, description = "Folder with one subfolder per class (the run's class names).")
    Path data;

    @Option(names = "--batch-size", paramLabel = "<N>", defaultValue = "" + ImageClassifier.DEFAULT_BATCH_SIZE, description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin ThreadsOption threads;

    @Option(names = "--cache", paramLabel = "<DIR>", description = "Feature cache folder, the one train used (default: $LITENET_CACHE/features "
            + "or ~/.cache/litenet/features). A run trained with its backbone frozen takes the backbone features of photos found there "
            + "and runs only its head on them.")
    Path cache;

    @Option(names = "--on-bad-image", paramLabel = "<POLICY>", defaultValue = "skip", description = "skip (report and leave out) or fail (default: ${DEFAULT-VALUE}).")
    BadImagePolicy onBadImage;

    @Option(names = "--confusion-png", paramLabel = "<FILE>", description = "Also draw the confusion matrix as a PNG.")
    Path confusionPng;

    @Option(names = "--report", paramLabel = "<FILE>",
            description = "Also write one self-contained HTML page: accuracy, confusion matrix, precision and recall, a reliability "
                    + "diagram, and every misclassified photo with its Grad-CAM heatmaps, most confident first.")
    Path report;

    @Option(names = "--json", description = "Print JSON: accuracy, loss, n, confusion, classes, precision, recall, misclassified, skipped, calibration.")
    boolean json;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        Args.range("--batch-size", batchSize, 1, 4096);
        Args.inputFolder("--data", data);
        if (report != null) Args.outputFile("--report", report);
        if (confusionPng != null) Args.outputFile("--confusion-png", confusionPng);
        if (cache != null) Args.outputFolder("--cache", cache);
        ImageClassifier net = crop.apply(model.classifier(err));
        Evaluation e = cache == null ? net.evaluate(data, batchSize) : net.evaluate(data, batchSize, cache);
        if (onBadImage == BadImagePolicy.FAIL && !e.skipped().isEmpty()) {
            BadImage first = e.skipped().getFirst();
            throw new BadInputException(first.path(), first.reason());
        }
        if (report != null) writeReport(net, e, err);
        List<String> classes = net.labels();
        int k = classes.size();
        if (confusionPng != null) {
            try {
                dev.litenet.models.RunFolder.writeAtomically(confusionPng, dev.litenet.eval.ConfusionChart.png(classes, e.confusion(),
                        String.format("%s: accuracy %.2f %% (%d/%d)", data.getFileName(), 100 * e.accuracy(), e.correct(), e.n())));
            } catch (java.io.IOException io) {
                throw new java.io.UncheckedIOException("cannot write " + confusionPng + ": " + io.getMessage(), io);
            }
        }
        if (json) {
            out.println(Json.write(e.toJson()));
            return Main.OK;
        }
        for (BadImage b : e.skipped()) out.println("skipped " + Main.shown(b.path() + ": " + b.reason()));
        out.printf("accuracy %.4f (%d/%d)   loss %.4f%n", e.accuracy(), e.correct(), e.n(), e.loss());
        for (int t = 2; t <= e.topK().length; t++) out.printf("top-%d accuracy %.4f%n", t, e.topK()[t - 1]);
        out.println();
        int w = Math.max(11, classes.stream().mapToInt(String::length).max().orElse(5) + 2);
        out.printf("%-" + w + "s", "actual \\ predicted");
        out.println();
        out.printf("%-" + w + "s", "");
        for (String c : classes) out.printf("%" + w + "s", Main.shown(c));
        out.printf("%" + w + "s%" + w + "s%n", "precision", "recall");
        for (int i = 0; i < k; i++) {
            out.printf("%-" + w + "s", Main.shown(classes.get(i)));
            for (int j = 0; j < k; j++) out.printf("%" + w + "d", e.confusion()[i][j]);
            out.printf("%" + w + ".4f%" + w + ".4f%n", e.precision()[i], e.recall()[i]);
        }
        if (!e.misclassified().isEmpty()) {
            out.println();
            out.println("misclassified:");
            for (var m : e.misclassified()) out.printf("  %s: %s, predicted %s (p=%.3f)%n", Main.shown(m.file()), Main.shown(m.actual()), Main.shown(m.predicted()), m.probability());
        }
        if (report != null) out.println("\nreport: " + Main.shown(report));
        return Main.OK;
    }

    /** The HTML report, the misclassified photos explained with a progress bar on stderr. */
    private void writeReport(ImageClassifier net, Evaluation e, PrintWriter err) {
        ProgressBar bar = new ProgressBar(err, ProgressBar.isTerminal());
        String source = model.source.model != null ? model.source.model.toString() : model.source.weights;
        EvaluationReport r = EvaluationReport.of(net, e, source + " on " + data,
                p -> bar.update(p.what(), p.done(), p.total(), p.imagesPerSecond(), ProgressBar.eta(p)));
        try {
            dev.litenet.models.RunFolder.writeAtomically(report, r.html().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException("cannot write " + report + ": " + io.getMessage(), io);
        }
    }
}
