package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import picocli.CommandLine.Option;

/** {@code --crop-fraction}: the central share of each photo the network sees, as {@code train} takes it. */
final class CropOption {
    @Option(names = "--crop-fraction", defaultValue = "0", paramLabel = "<FRACTION>",
            description = "Central share of each photo the network sees, in (0, 1]; 1 = the whole photo; 0 = the weights' or run's own "
                    + "(0.875 for the TFLite files) (default: ${DEFAULT-VALUE}).")
    double fraction;

    /** The classifier with this crop, or as it is for 0. */
    ImageClassifier apply(ImageClassifier net) {
        if (!(fraction == 0 || (fraction > 0 && fraction <= 1))) {
            throw new BadInputException("--crop-fraction must be 0 (the weights' own) or in (0, 1], got " + fraction);
        }
        return fraction == 0 ? net : net.withPreprocess(net.preprocess().withCentralFraction(fraction));
    }
}
