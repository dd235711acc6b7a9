package dev.litenet.cli;

import dev.litenet.CrossValidation;
import dev.litenet.io.Json;
import dev.litenet.models.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code litenet cv}: stratified k-fold cross-validation of a training recipe over all labelled photos. */
@Command(name = "cv", mixinStandardHelpOptions = true,
        header = "Cross-validate a training recipe: k stratified folds over all labelled photos.",
        description = "Stratified k-fold cross-validation of a frozen-backbone recipe (the options of 'litenet train') "
                + "over all labelled photos: train/ and val/ pooled, or the class folders. For each fold the head is "
                + "trained on the other folds only and scored on this one; prints accuracy and log-loss per fold and "
                + "their mean and standard deviation. The folds depend only on the photos, --folds and --fold-seed, "
                + "so recipes run with the same ones are compared on the same folds.")
public final class CvCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RecipeOptions recipe;

    @Option(names = "--folds", defaultValue = "" + CrossValidation.DEFAULT_FOLDS, paramLabel = "<K>", description = "Number of folds, 2 to 100 (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--fold-seed", defaultValue = "0", paramLabel = "<N>", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
    long foldSeed;

    @Option(names = "--out", paramLabel = "<FILE>", description = "Write the result (recipe, per fold, mean and sd, misclassified photos) as JSON to this file.")
    Path outFile;

    @Mixin ThreadsOption threads;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        Args.range("--folds", folds, 2, 100);
        if (outFile != null) Args.outputFile("--out", outFile);
        WeightsOption.resolve(recipe.weights, err);
        CrossValidation.Result r = CrossValidation.of(recipe.recipe().listener(recipe.printer(err))).folds(folds).seed(foldSeed).run();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recipe", recipe.describe());
        m.put("args", String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        m.putAll(r.toJson());
        if (outFile != null) RunFolder.writeJson(outFile, m);
        if (json) {
            out.println(Json.write(m));
        } else {
            out.print(table(recipe.describe(), r));
            out.flush();
        }
        return Main.OK;
    }

    /** The per-fold table and the mean ± sd line: a pure function of the result. */
    static String table(String recipe, CrossValidation.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%d-fold cross-validation (fold seed %d) of %d photos, %s%n", r.folds().size(), r.seed(), r.photos(), recipe));
        s.append(String.format("%-6s %7s %7s %9s %9s %7s%n", "fold", "train", "test", "accuracy", "log-loss", "epochs"));
        for (CrossValidation.Fold f : r.folds()) {
            s.append(String.format("%-6d %7d %7d %8.2f%% %9.4f %7s%n", f.fold(), f.trainPhotos(), f.testPhotos(), 100 * f.accuracy(),
                    f.logLoss(), f.epochKept() == f.epochsRun() ? Integer.toString(f.epochsRun()) : f.epochKept() + "/" + f.epochsRun()));
        }
        s.append(String.format("%-6s %7s %7s %8.2f%% %9.4f%n", "mean", "", "", 100 * r.accuracy().mean(), r.logLoss().mean()));
        s.append(String.format("%-6s %7s %7s %8.2f%% %9.4f%n", "sd", "", "", 100 * r.accuracy().sd(), r.logLoss().sd()));
        s.append(String.format("accuracy %.2f %% ± %.2f, log-loss %.4f ± %.4f; %d of %d photos wrong; %.1f s%n",
                100 * r.accuracy().mean(), 100 * r.accuracy().sd(), r.logLoss().mean(), r.logLoss().sd(), r.misclassified().size(),
                r.photos(), r.seconds()));
        return s.toString();
    }
}
