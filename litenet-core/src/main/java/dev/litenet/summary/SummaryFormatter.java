package dev.litenet.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Draws a summary the way torchinfo prints it. A pure function: rows, totals and options in, text out.
 *
 * <pre>
 * ==========================================================================================
 * Layer (type:depth-idx)                   Output Shape              Param #
 * ==========================================================================================
 * MobileNetV2                              [1, 1000]                 --
 * ├─Sequential: 1-1                        [1, 1280, 7, 7]           --
 * │    └─ConvBNReLU: 2-1                   [1, 32, 112, 112]         --
 * │    │    └─Conv2d: 3-1                  [1, 32, 112, 112]         864
 * ...
 * ==========================================================================================
 * Total params: 3,504,872
 * ...
 * </pre>
 *
 * <p>Layout, from torchinfo's {@code formatting.py}: the name column is 40 characters wide (wider, in steps of 5,
 * if a name plus its indentation needs it), every other column 25; each cell is followed by one space and
 * trailing spaces are trimmed; the dividers are as wide as the columns.
 *
 * <p>A count stands either for one layer or, on a container at the maximum depth, for everything below it, so
 * each parameter and each multiply-add appears in exactly one row and the columns add up to the totals.
 * Containers above the maximum depth show "--" (or, in the default style, the parameters they hold themselves).
 *
 * <p>The two {@link Style styles} differ only where torchinfo 0.0.8 did: no row for the model, {@code |} instead
 * of {@code │}, frozen counts in parentheses as soon as one parameter is frozen, its own mult-adds and kernel
 * shapes ({@link Torchinfo008}), and the "Forward/backward pass size" line.
 */
public final class SummaryFormatter {
    private static final int NAME_WIDTH = 40, COLUMN_WIDTH = 25, NAME_ALIGN = 5;
    private static final String NONE = "--";

    private SummaryFormatter() {}

    /** The whole table, header to last divider, each line ending in a newline. */
    public static String format(List<LayerInfo> rows, ModelStatistics totals, SummaryOptions options) {
        int nameWidth = nameWidth(rows, options);
        String divider = "=".repeat(nameWidth + COLUMN_WIDTH * options.columns().size()) + "\n";

        StringBuilder out = new StringBuilder();
        out.append(divider);
        out.append(line(nameWidth, "Layer (type:depth-idx)", options.columns().stream().map(c -> c.title).toList()));
        out.append(divider);
        for (LayerInfo row : rows) {
            if (!listed(row, options)) continue;
            List<String> cells = options.columns().stream().map(c -> cell(c, row, rows, totals, options)).toList();
            out.append(line(nameWidth, treePrefix(row.depth(), options.style()) + name(row, options.style()), cells));
        }
        out.append(divider);
        out.append("Total params: ").append(count(totals.totalParams())).append('\n');
        out.append("Trainable params: ").append(count(totals.trainableParams())).append('\n');
        out.append("Non-trainable params: ").append(count(totals.nonTrainableParams())).append('\n');
        out.append(multAddsLine(totals.multAdds())).append('\n');
        out.append(divider);
        out.append("Input size (MB): ").append(megabytes(totals.inputBytes())).append('\n');
        out.append(activationsLine(totals.activationBytes(), options.style())).append('\n');
        out.append("Params size (MB): ").append(megabytes(totals.paramBytes())).append('\n');
        out.append("Estimated Total Size (MB): ").append(megabytes(totals.totalBytes())).append('\n');
        out.append(divider);
        return out.toString();
    }

    // ---- rows ----

    /** The default style lists the model itself as a top row; torchinfo 0.0.8 started at its children. */
    private static boolean listed(LayerInfo row, SummaryOptions options) {
        int firstDepth = options.style() == Style.TORCHINFO_0_0_8 ? 1 : 0;
        return row.depth() >= firstDepth && row.depth() <= options.depth();
    }

    /** {@code ├─} for the model's children, then {@code │    } per level and {@code └─}. */
    private static String treePrefix(int depth, Style style) {
        if (depth == 0) return "";
        if (depth == 1) return "├─";
        String bar = style == Style.TORCHINFO_0_0_8 ? "|    " : "│    ";
        return bar.repeat(depth - 1) + "└─";
    }

    /** {@code Conv2d: 3-1}: type, depth and the how-many-th call at that depth; the model row is its type alone. */
    private static String name(LayerInfo row, Style style) {
        if (row.depth() == 0 && style == Style.DEFAULT) return row.type();
        return row.type() + ": " + row.depth() + "-" + row.depthIndex();
    }

    /**
     * torchinfo's {@code set_layer_name_width}: the longest name plus 5 per depth level and 1, rounded up to a
     * multiple of 5 when that reaches 40. torchinfo 0.0.8 measured every hooked row, listed or not.
     */
    private static int nameWidth(List<LayerInfo> rows, SummaryOptions options) {
        int longest = 0;
        for (LayerInfo row : rows) {
            boolean measured = options.style() == Style.TORCHINFO_0_0_8
                    ? Torchinfo008.hooked(row, options.depth()) : listed(row, options);
            if (measured) longest = Math.max(longest, name(row, options.style()).length() + row.depth() * NAME_ALIGN + 1);
        }
        return longest >= NAME_WIDTH ? ceilTo(longest, NAME_ALIGN) : NAME_WIDTH;
    }

    private static String line(int nameWidth, String name, List<String> cells) {
        StringBuilder s = new StringBuilder(pad(name, nameWidth)).append(' ');
        for (String cell : cells) s.append(pad(cell, COLUMN_WIDTH)).append(' ');
        return s.toString().stripTrailing() + "\n";
    }

    // ---- cells ----

    private static String cell(Column column, LayerInfo row, List<LayerInfo> rows, ModelStatistics totals,
                               SummaryOptions options) {
        boolean old = options.style() == Style.TORCHINFO_0_0_8;
        return switch (column) {
            case INPUT_SIZE -> shape(row.inputShape());
            case OUTPUT_SIZE -> shape(row.outputShape());
            case NUM_PARAMS -> paramsCell(row, options);
            case PARAMS_PERCENT -> percentCell(shownParams(row, options), totals.totalParams());
            case KERNEL_SIZE -> shape(old ? Torchinfo008.kernelShape(row) : row.kernelSize());
            case MULT_ADDS -> old ? oldMultAddsCell(row, options) : multAddsCell(row, rows, options);
            case TRAINABLE -> trainableCell(row);
        };
    }

    /** A leaf stands for itself; a container at the maximum depth stands for everything below it. */
    private static boolean standsForSubtree(LayerInfo row, SummaryOptions options) {
        return row.leaf() || row.depth() == options.depth();
    }

    /** The parameters the Param # cell counts (0 when it shows "--"). */
    private static long shownParams(LayerInfo row, SummaryOptions options) {
        if (standsForSubtree(row, options)) return row.numParams();
        return options.style() == Style.TORCHINFO_0_0_8 ? 0 : row.ownParams();
    }

    /** The count, in parentheses when frozen: 0.0.8 if any parameter is, the default style if all are. */
    private static String paramsCell(LayerInfo row, SummaryOptions options) {
        long shown = shownParams(row, options);
        if (shown == 0) return NONE;
        boolean frozen = options.style() == Style.TORCHINFO_0_0_8
                ? Torchinfo008.frozen(row)
                : standsForSubtree(row, options) && row.trainableParams() == 0;
        return frozen ? "(" + count(shown) + ")" : count(shown);
    }

    /** torchinfo's {@code {:>7.2%}} (the fraction times 100): right-aligned in 7, "--" when nothing is counted. */
    private static String percentCell(long shown, long total) {
        if (shown == 0 || total == 0) return "%7s".formatted(NONE);
        return "%7s".formatted(fixed((double) shown / total * 100, 2) + "%");
    }

    /** True multiply-adds of a leaf, or of everything below a container at the maximum depth. */
    private static String multAddsCell(LayerInfo row, List<LayerInfo> rows, SummaryOptions options) {
        long macs = row.leaf() ? row.macs() : row.depth() == options.depth() ? subtreeMacs(row, rows) : 0;
        return macs == 0 ? NONE : count(macs);
    }

    /** 0.0.8 showed its own count wherever it showed parameters. */
    private static String oldMultAddsCell(LayerInfo row, SummaryOptions options) {
        if (row.numParams() == 0 || !standsForSubtree(row, options)) return NONE;
        return count(Torchinfo008.macs(row));
    }

    private static String trainableCell(LayerInfo row) {
        if (row.numParams() == 0) return NONE;
        if (row.trainableParams() == 0) return "False";
        return row.trainableParams() == row.numParams() ? "True" : "Partial";
    }

    /** The row's own multiply-adds plus those of the rows below it (they follow it, deeper). */
    private static long subtreeMacs(LayerInfo row, List<LayerInfo> rows) {
        int i = 0;
        while (rows.get(i) != row) i++;
        long macs = row.macs();
        for (int j = i + 1; j < rows.size() && rows.get(j).depth() > row.depth(); j++) macs += rows.get(j).macs();
        return macs;
    }

    // ---- footer ----

    /** In millions, billions or trillions, as torchinfo's {@code to_readable}. */
    private static String multAddsLine(long macs) {
        if (macs >= 1e12) return "Total mult-adds (T): " + fixed(macs / 1e12, 2);
        if (macs >= 1e9) return "Total mult-adds (G): " + fixed(macs / 1e9, 2);
        return "Total mult-adds (M): " + fixed(macs / 1e6, 2);
    }

    private static String activationsLine(long bytes, Style style) {
        if (style == Style.TORCHINFO_0_0_8) return "Forward/backward pass size (MB): " + megabytes(bytes);
        return "Activations size (MB): " + megabytes(bytes) + " (distinct layer outputs, no gradients)";
    }

    // ---- numbers and text as Python prints them ----

    /** {@code f"{n:,}"}. */
    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    /** torchinfo's MB: 10^6 bytes, two decimals. */
    static String megabytes(long bytes) { return fixed(bytes / 1e6, 2); }

    /**
     * Python's {@code f"{x:.2f}"}: the double's exact binary value rounded half-to-even (Java's {@code %.2f}
     * rounds the shortest decimal form half-up, so 1.005 would print as 1.01 instead of Python's 1.00).
     */
    static String fixed(double x, int decimals) {
        return new BigDecimal(x).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code str(list)}: [1, 32, 122, 122]; "--" when empty. */
    private static String shape(List<Integer> dims) {
        if (dims.isEmpty()) return NONE;
        return dims.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static int ceilTo(int n, int step) { return (n + step - 1) / step * step; }
}
