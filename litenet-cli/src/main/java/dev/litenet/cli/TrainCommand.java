package dev.litenet.cli;


import dev.litenet.BadInputException;
import dev.litenet.TransferLearning;
import dev.litenet.io.Json;
import dev.litenet.models.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

/** {@code litenet train}: transfer learning from pretrained weights on an image folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Transfer learning: a pretrained network, new head, trained on an image folder.",
        description = "Transfer learning: a pretrained network of the zoo (MobileNetV2 for the default weights), frozen, "
                + "its last layer replaced by a new Linear(embedding, classes) head (MobileNetV2: Linear(1280, classes)), "
                + "trained on a folder of class subfolders. Writes model.safetensors, model.json, history.json and "
                + "history.png into the run folder.")
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RecipeOptions recipe;

    @Option(names = "--out", required = true, paramLabel = "<RUN_DIR>", description = "Run folder to write.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the run folder if it already holds a run.")
    boolean overwrite;

    @Option(names = "--val-split", paramLabel = "<FRACTION>", description = "Validation fraction when DATA has no train/ and val/ (default: ${DEFAULT-VALUE}).")
    double valSplit = TransferLearning.DEFAULT_VALIDATION_SPLIT;

    @Mixin ThreadsOption threads;

    @Option(names = "--resume", description = "Continue an interrupted run from its last completed epoch.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    @Override public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        threads.apply();
        Args.outputFolder("--out", out);
        TransferLearning recipe = this.recipe.recipe().validationSplit(valSplit).runFolder(out).resume(resume);
        if (!resume && !overwrite && (Files.exists(out.resolve(RunFolder.MANIFEST)) || Files.exists(out.resolve(RunFolder.META)))) {
            throw new BadInputException(out, "already holds a run or a checkpoint; pass --overwrite to replace it or --resume to continue it");
        }
        WeightsOption.resolve(this.recipe.weights, err);                   // a download shows its progress here
        long start = System.nanoTime();
        TransferLearning.Training result = recipe.listener(this.recipe.printer(err)).fit();
        var v = result.validation();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (json) {
            var m = new LinkedHashMap<String, Object>();
            m.put("run", out.toString());
            m.put("val_accuracy", v.accuracy());
            m.put("val_loss", v.loss());
            m.put("val_n", v.n());
            m.put("epochs", RunFolder.historyJson(result.classifier().history()).get("epochs"));
            m.put("skipped", result.skipped().stream().map(b -> b.path() + ": " + b.reason()).toList());
            m.put("seconds", seconds);
            out().println(Json.write(m));
        } else {
            out().printf("val accuracy %.4f (%d/%d), loss %.4f; model written to %s (%.1f s)%n",
                    v.accuracy(), v.correct(), v.n(), v.loss(), out, seconds);
        }
        return Main.OK;
    }

    private PrintWriter out() { return spec.commandLine().getOut(); }
}
