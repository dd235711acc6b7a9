package dev.litenet.runtimes;

import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import dev.litenet.TransferLearning;

import java.io.IOException;
import java.nio.file.Path;

/** Small cats-vs-dogs runs on Google's MobileNetV2 for the export tests: a few photos, a small input, seconds each. */
final class TrainedRuns {
    private TrainedRuns() {}

    /** Fine-tuned from {@code features.16} (no test-time flip: it applies to frozen backbones). */
    static ImageClassifier fineTuned(Path tmp) throws IOException {
        Path data = Shared.catsDogs(tmp.resolve("fine-tune-data"), 6, 2);
        ImageClassifier run = TransferLearning.from(Shared.quantWeights()).data(data).epochs(1).batchSize(4)
                .inputSize(96).unfreezeFrom(16).featureCache(tmp.resolve("cache")).fit().classifier();
        if (run.preprocess().flipAverage()) throw new IllegalStateException("a fine-tuned run with test-time flip");
        return run;
    }

    /** A new head on the frozen backbone with the defaults' mirrored views: test-time flip. */
    static ImageClassifier frozenWithFlip(Path tmp) throws IOException {
        Path data = Shared.catsDogs(tmp.resolve("frozen-data"), 12, 2);
        ImageClassifier run = TransferLearning.from(Shared.quantWeights()).data(data).epochs(2).batchSize(8)
                .inputSize(128).featureCache(tmp.resolve("cache")).fit().classifier();
        if (!run.preprocess().flipAverage()) throw new IllegalStateException("expected test-time flip");
        return run;
    }
}
