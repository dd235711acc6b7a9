package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.models.MobileNetV2;
import dev.litenet.models.Network;
import dev.litenet.models.Models;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.summary.Column;
import dev.litenet.summary.Style;
import dev.litenet.summary.Summary;
import dev.litenet.summary.SummaryOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code litenet summary}: a torchinfo-style table of a model, from one forward pass on zeros. The lesson's
 * table is {@code --head 2 --freeze features --input-size 1,3,244,244 --style torchinfo-0.0.8}.
 */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        header = "torchinfo-style table of a model: shapes, parameters, multiply-adds.",
        description = "Prints a torchinfo-style summary of a model: every layer down to --depth with its output shape "
                + "and parameters, then totals of parameters, multiply-adds and memory. The model is an architecture "
                + "(--arch, default mobilenet_v2, randomly initialized; besides the zoo, --arch takes mobilenet_v2_0.5, "
                + "mobilenet_v2_0.35 and the lesson's MNIST nets dense, mlp, cnn1, cnn2), pretrained --weights, or a "
                + "trained --model.%n%n"
                + "Styles: 'default' is modern torchinfo's table with honest numbers: every conv and linear layer "
                + "counted once (conv: outputs x in/groups x k x k, linear: N x in x out); activations are the "
                + "distinct layer outputs once each (in-place ReLU6 adds none), float32, no gradients. "
                + "'torchinfo-0.0.8' prints the characters torchinfo 0.0.8 printed (the lesson's table), odd "
                + "mult-adds and 'Forward/backward pass size' included; there --num-classes N builds the lesson's "
                + "head, a bare Linear(last, N), so '--num-classes 2 --freeze features --input-size 1,3,244,244' "
                + "prints the lesson's table.%n",
        footer = {"", "The lesson's table:",
                "  litenet summary --head 2 --freeze features --input-size 1,3,244,244 --style torchinfo-0.0.8"})
public final class SummaryCommand implements Callable<Integer> {
    static final int MAX_CLASSES = 25_000, MAX_CHANNELS = 4_096, MAX_PIXELS = 1 << 20;
    static final float MAX_WIDTH_MULT = 4f;

    @Spec
    private CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--width-mult", defaultValue = "1.0", paramLabel = "<W>",
            description = "Width multiplier: channels are scaled by W (default: ${DEFAULT-VALUE}).")
    private float widthMult;

    @Option(names = "--num-classes", paramLabel = "<N>",
            description = "Classes of torchvision's own head, Sequential(Dropout(0.2), Linear(last, N)); default 1000. "
                    + "With --style torchinfo-0.0.8: the lesson's bare Linear(last, N) instead.")
    private Integer numClasses;

    @Option(names = "--head", paramLabel = "<N>",
            description = "Replace the classifier with a bare Linear(last, N), as the lesson's "
                    + "'model.classifier = nn.Linear(1280, 2)'.")
    private Integer head;

    @Option(names = "--freeze", paramLabel = "<PREFIX>",
            description = "Freeze parameters whose name starts with PREFIX, such as features or features.0 "
                    + "(repeatable; '' freezes all).")
    private List<String> freeze = new ArrayList<>();

    @Option(names = "--input-size", defaultValue = "1,3,224,224", paramLabel = "<N,C,H,W>",
            description = "Input shape in torch's order (default: ${DEFAULT-VALUE}).")
    private String inputSize;

    @Option(names = "--depth", defaultValue = "3", paramLabel = "<D>",
            description = "Show layers down to this depth; 1 = the model's children (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Option(names = "--columns", split = ",", paramLabel = "<COLUMN>",
            description = "Columns in order, from: input_size, output_size, num_params, params_percent, kernel_size, "
                    + "mult_adds, trainable (torchinfo-0.0.8 has no params_percent or trainable). "
                    + "Default: output_size,num_params.")
    private List<String> columns;

    @Option(names = "--style", defaultValue = "default", paramLabel = "<STYLE>",
            description = "default or torchinfo-0.0.8 (default: ${DEFAULT-VALUE}).")
    private String style;

    @Option(names = "--units", description = "List the network's units (the blocks --unfreeze-from counts) instead of the table.")
    private boolean units;

    @Option(names = "--json", description = "Print every layer call and the totals as JSON instead of the table.")
    private boolean json;

    @Override
    public Integer call() {
        Style chosenStyle = Style.byKey(style).orElseThrow(() -> bad("unknown --style '" + style + "'; known: "
                + Arrays.stream(Style.values()).map(s -> s.key).collect(Collectors.joining(", "))));
        SummaryOptions options = new SummaryOptions(chosenStyle, checkedDepth(), columns(chosenStyle));
        List<Integer> input = parseInputSize(inputSize);
        Layer net = buildModel(chosenStyle);
        if (units) {
            if (!(net instanceof Network n)) throw bad("--units: " + archName() + " is not an image network of the zoo");
            PrintWriter out = spec.commandLine().getOut();
            List<Network.Unit> list = n.units();
            for (int i = 0; i < list.size(); i++) out.printf("%3d  %-16s %s%n", i, list.get(i).name(), list.get(i).layer().typeName());
            out.flush();
            return Main.OK;
        }

        Summary summary;
        try {
            summary = Summary.of(net, input, options);
        } catch (IllegalArgumentException e) {
            throw bad("--input-size " + inputSize + " does not fit " + archName() + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? summary.json() : summary.table());
        out.flush();
        return Main.OK;
    }

    /**
     * The registry's model, with the head the options ask for: torchvision's own for {@code --num-classes}, the
     * lesson's bare Linear for {@code --head} (and for {@code --num-classes} in the torchinfo-0.0.8 style).
     */
    private Layer buildModel(Style chosenStyle) {
        if (numClasses != null && head != null) throw bad("give --num-classes or --head, not both");
        Integer lessonHead = head != null ? head : chosenStyle == Style.TORCHINFO_0_0_8 ? numClasses : null;
        int classes = lessonHead == null && numClasses != null ? numClasses : 1000;
        checkClasses(lessonHead == null ? classes : lessonHead);
        if (!(widthMult > 0 && widthMult <= MAX_WIDTH_MULT)) {
            throw bad("--width-mult must be above 0 and at most " + MAX_WIDTH_MULT + ", got " + widthMult);
        }
        Layer net;
        String name = archName();
        if (model.given()) {
            if (numClasses != null) throw bad("--num-classes does not go with --weights or --model (they fix the classes); use --head N");
            net = model.classifier(spec.commandLine().getErr()).network();
            name = ((Network) net).config().architecture();
        } else {
            net = Models.create(name, new Models.Config(classes, widthMult));
        }
        if (lessonHead != null) {
            if (net instanceof MobileNetV2 m) m.setClassifier(new Linear(m.lastChannel, lessonHead));   // the lesson's bare head
            else if (net instanceof Network n) n.replaceHead(lessonHead, 0);
            else throw bad("--head is not supported for " + name);
        }
        for (String prefix : freeze) {
            boolean matches = net.namedParameters().keySet().stream()
                    .anyMatch(n -> prefix.isEmpty() || n.equals(prefix) || n.startsWith(prefix + "."));
            if (!matches) {
                throw bad("--freeze '" + prefix + "' matches no parameter of " + name + " (top level: "
                        + String.join(", ", net.children().keySet()) + ")");
            }
            net.freeze(prefix);
        }
        return net;
    }

    private String archName() { return model.arch == null ? "mobilenet_v2" : model.arch; }

    private static void checkClasses(int n) {
        if (n < 1 || n > MAX_CLASSES) throw bad("the number of classes must be 1 to " + MAX_CLASSES + ", got " + n);
    }

    private int checkedDepth() {
        if (depth < 0) throw bad("--depth must be 0 or more, got " + depth);
        return depth;
    }

    private List<Column> columns(Style chosenStyle) {
        if (columns == null) return SummaryOptions.DEFAULT_COLUMNS;
        List<Column> out = new ArrayList<>();
        for (String key : columns) {
            Column c = Column.byKey(key.strip()).orElseThrow(() -> bad("unknown column '" + key + "'; known: "
                    + Arrays.stream(Column.values()).map(k -> k.key).collect(Collectors.joining(", "))));
            if (!chosenStyle.supports(c)) throw bad("column " + c.key + " does not exist in style " + chosenStyle.key);
            if (out.contains(c)) throw bad("column " + c.key + " is listed twice");
            out.add(c);
        }
        return out;
    }

    /** "N,C,H,W" -> four dimensions, each at least 1, small enough to run here. */
    static List<Integer> parseInputSize(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4) throw bad("--input-size must be N,C,H,W (four numbers), got '" + text + "'");
        List<Integer> dims = new ArrayList<>();
        for (String p : parts) {
            try {
                dims.add(Integer.parseInt(p.strip()));
            } catch (NumberFormatException e) {
                throw bad("--input-size must be N,C,H,W (four numbers), got '" + text + "'");
            }
        }
        if (dims.stream().anyMatch(d -> d < 1)) throw bad("--input-size " + text + ": every dimension must be at least 1");
        long pixels = (long) dims.get(0) * dims.get(2) * dims.get(3);
        if (pixels > MAX_PIXELS || dims.get(1) > MAX_CHANNELS) {
            throw bad("--input-size " + text + " is too large for a summary (N*H*W at most " + MAX_PIXELS
                    + ", C at most " + MAX_CHANNELS + ")");
        }
        return List.copyOf(dims);
    }

    private static BadInputException bad(String message) { return new BadInputException(message); }
}
