package dev.litenet.examples;

import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.TransferLearning;

import java.nio.file.Path;
import java.util.List;

/**
 * The README's hello world: ImageNet predictions for a photo, then a cat/dog classifier trained, saved and loaded.
 * Arguments: a photo, a data folder (train/ + val/ or class folders), a run folder to write.
 */
public final class HelloWorld {
    public static void main(String[] args) {
        Path photo = Path.of(args.length > 0 ? args[0] : "cat.jpg");
        Path data = Path.of(args.length > 1 ? args[1] : "cats-dogs");
        Path runFolder = Path.of(args.length > 2 ? args[2] : "runs/cats-dogs");

        ImageClassifier net = ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant"); // cache, then $LITENET_SHARED/weights, then verified download
        List<Prediction> top = net.predict(photo, 5);                  // label(), index(), probability()
        ImageClassifier mine = TransferLearning.from("mobilenet_v2_1.0_224_quant")
                .data(data)                                            // train/ + val/, or class folders split by a seed
                .epochs(5)
                .fit()                                                 // sensible defaults for everything not set
                .classifier();
        mine.save(runFolder);                                          // the same run folder the CLI writes and reads
        ImageClassifier again = ImageClassifier.load(runFolder);

        top.forEach(p -> System.out.printf("%-25s %5.1f %%%n", p.label(), 100 * p.probability()));
        System.out.println("trained: " + again.predict(photo, 1).get(0).label());
    }
}
