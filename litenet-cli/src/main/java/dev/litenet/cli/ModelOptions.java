package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.models.Architectures;
import dev.litenet.models.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The model a command runs, named the same way on every command: {@code --weights NAME|FILE} (pretrained) or
 * {@code --model RUN_DIR} (trained), and {@code --arch NAME} for the architecture when the weights do not say it
 * (or, without weights, for a randomly initialized network where a command allows one).
 */
final class ModelOptions {
    static final class Source {
        @Option(names = "--weights", paramLabel = "<NAME|FILE>", description = "Pretrained weights: a known name (e.g. mobilenet_v2_1.0_224_quant; 'litenet compare --list' lists them) or a .tflite/.pth/.safetensors file.")
        String weights;

        @Option(names = "--model", paramLabel = "<RUN_DIR>", description = "Run folder written by 'litenet train'.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--arch", paramLabel = "<NAME>", completionCandidates = ArchitectureNames.class,
            description = "Architecture, when the weights do not say it: ${COMPLETION-CANDIDATES}.")
    String arch;

    /** The names of the zoo, for --help. */
    static final class ArchitectureNames implements Iterable<String> {
        @Override public Iterator<String> iterator() {
            return Architectures.all().stream().map(dev.litenet.models.Architecture::name).iterator();
        }
    }

    /** The classifier the options name; one of --weights and --model is required. */
    ImageClassifier classifier(PrintWriter err) {
        if (source == null) throw new BadInputException("name the model: --weights NAME|FILE or --model RUN_DIR");
        if (source.model != null) return checked(ImageClassifier.load(Args.inputFolder("--model", source.model)));
        return ImageClassifier.pretrained(WeightsOption.resolve(source.weights, err).toString(), architecture());
    }

    /** The model the options name, or without --weights and --model a network of --arch (default mobilenet_v2) with random weights. */
    Model model(PrintWriter err, int classes, float widthMult, long seed) {
        if (source != null) return classifier(err).model();
        String name = arch == null ? "mobilenet_v2" : architecture();
        return new Model(Architectures.get(name).build(classes, widthMult, seed), List.of(), dev.litenet.data.Preprocess.TORCHVISION_IMAGENET,
                name + " (random init)", "", List.of());
    }

    /** The checked --arch, or null. */
    String architecture() { return arch == null ? null : Architectures.get(arch).name(); }

    boolean given() { return source != null; }

    /** A run folder knows its architecture: an --arch that disagrees is a mistake. */
    private ImageClassifier checked(ImageClassifier net) {
        if (arch != null && !architecture().equals(net.architecture())) {
            throw new BadInputException(source.model, "is a run of " + net.architecture() + ", not " + architecture());
        }
        return net;
    }
}
