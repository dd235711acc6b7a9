package dev.litenet.examples;

import dev.litenet.Evaluation;
import dev.litenet.ImageClassifier;
import dev.litenet.TrainEvent;
import dev.litenet.TransferLearning;

import java.nio.file.Path;

/**
 * Transfer learning with a few options set and a listener printing each epoch; the result is saved, loaded back
 * and evaluated on a labelled folder it did not train on.
 * Arguments: training folder (class subfolders), test folder (the same classes), run folder to write.
 */
public final class FineTune {
    public static void main(String[] args) {
        TransferLearning.Training run = TransferLearning.from("mobilenet_v2_1.0_224_quant")
                .data(Path.of(args[0]))
                .epochs(10)
                .validationSplit(0.25)
                .seed(42)
                .listener(e -> {
                    if (e instanceof TrainEvent.EpochEnd end) {
                        System.out.printf("epoch %d: val acc %.3f%n", end.stats().epoch(), end.stats().valAcc());
                    }
                })
                .fit();
        run.classifier().save(Path.of(args[2]));

        Evaluation test = ImageClassifier.load(Path.of(args[2])).evaluate(Path.of(args[1]));
        System.out.printf("test accuracy %.4f (%d/%d)%n", test.accuracy(), test.correct(), test.n());
        for (int[] row : test.confusion()) System.out.println(java.util.Arrays.toString(row));
    }
}
