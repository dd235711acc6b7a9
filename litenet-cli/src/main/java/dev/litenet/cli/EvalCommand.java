package dev.litenet.cli;

import dev.litenet.data.BadImage;
import dev.litenet.data.BadImagePolicy;
import dev.litenet.data.Batch;
import dev.litenet.data.BatchLoader;
import dev.litenet.data.ImageFolder;
import dev.litenet.eval.Evaluation;
import dev.litenet.BadInputException;
import dev.litenet.io.Json;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Tensor;
import dev.litenet.train.RunDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code litenet eval}: a trained run on a labelled folder it did not train on. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        header = "Evaluate a trained run on labelled images it did not train on.",
        description = "Accuracy, loss, confusion matrix, per-class precision and recall, and the misclassified files of a trained run on a folder of class subfolders.")
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, description = "Run folder written by 'litenet train'.")
    Path model;

    @Option(names = "--data", required = true, description = "Folder with one subfolder per class (the run's class names).")
    Path data;

    @Option(names = "--batch-size", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin ThreadsOption threads;

    @Option(names = "--on-bad-image", defaultValue = "skip", description = "skip (report and leave out) or fail (default: ${DEFAULT-VALUE}).")
    BadImagePolicy onBadImage;

    @Option(names = "--json", description = "Print JSON: accuracy, loss, n, confusion, classes, precision, recall, misclassified, skipped.")
    boolean json;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        if (batchSize < 1) throw new BadInputException("--batch-size must be >= 1");
        RunDir.Trained run = RunDir.load(model);
        ImageFolder folder = ImageFolder.open(Locations.existingDir(data, "data"));
        if (!folder.classes().equals(run.classes())) {
            throw new BadInputException(data, "classes " + folder.classes() + " differ from the model's " + run.classes());
        }
        List<BadImage> skipped = new ArrayList<>();
        BatchLoader.Options options = BatchLoader.Options.of(batchSize);
        if (onBadImage == BadImagePolicy.SKIP) options = options.skipBadImages(skipped::add);
        Layer net = run.model().fused();
        ProgressBar bar = new ProgressBar(err, ProgressBar.isTerminal());
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        long start = System.nanoTime();
        try (BatchLoader loader = new BatchLoader(folder.samples(), run.preprocess().pipeline(), options)) {
            for (Batch b : loader.epoch(0)) {
                Tensor logits = Inference.forward(net, b.images());
                int k = logits.size() / b.size();
                for (int i = 0; i < b.size(); i++) {
                    rows.add(java.util.Arrays.copyOfRange(logits.data, i * k, (i + 1) * k));
                    labels.add(b.labels()[i]);
                    files.add(b.files().get(i));
                }
                bar.update("evaluating", files.size() + skipped.size(), folder.samples().size(), files.size() / ((System.nanoTime() - start) / 1e9), "");
            }
        }
        int k = run.classes().size();
        Tensor logits = Tensor.zeros(rows.size(), k);
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, logits.data, i * k, k);
        Evaluation e = Evaluation.of(run.classes(), logits, labels.stream().mapToInt(Integer::intValue).toArray(), files, skipped);
        if (json) {
            out.println(Json.write(e.toJson()));
            return Main.OK;
        }
        for (BadImage b : skipped) out.println("skipped " + b.path() + ": " + b.reason());
        out.printf("accuracy %.4f (%d/%d)   loss %.4f%n%n", e.accuracy(), e.correct(), e.n(), e.loss());
        int w = Math.max(11, run.classes().stream().mapToInt(String::length).max().orElse(5) + 2);
        out.printf("%-" + w + "s", "actual \\ predicted");
        out.println();
        out.printf("%-" + w + "s", "");
        for (String c : run.classes()) out.printf("%" + w + "s", c);
        out.printf("%" + w + "s%" + w + "s%n", "precision", "recall");
        for (int i = 0; i < k; i++) {
            out.printf("%-" + w + "s", run.classes().get(i));
            for (int j = 0; j < k; j++) out.printf("%" + w + "d", e.confusion()[i][j]);
            out.printf("%" + w + ".4f%" + w + ".4f%n", e.precision()[i], e.recall()[i]);
        }
        if (!e.misclassified().isEmpty()) {
            out.println();
            out.println("misclassified:");
            for (var m : e.misclassified()) out.printf("  %s: %s, predicted %s (p=%.3f)%n", m.file(), m.actual(), m.predicted(), m.probability());
        }
        return Main.OK;
    }
}
