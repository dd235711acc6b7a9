package dev.litenet.summary;

import dev.litenet.summary.LayerInfo.ParamInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * The counting rules of torchinfo 0.0.8 (TylerYep/torchinfo at 51b1ea5, Feb–Apr 2021), the version that
 * printed the table of the lesson "Lightweight networks and MobileNet". They are kept only to reproduce that
 * table; the default style counts honestly ({@link ModelStatistics#of}).
 *
 * <ul>
 * <li>Hooks go on every layer but the model itself, down to depth + 1 ({@code apply_hooks} recurses while
 *     {@code curr_depth <= depth}); deeper layers are not rows at all.</li>
 * <li>Mult-adds ({@code LayerInfo.calculate_macs}) are counted on every hooked row, containers included, from
 *     parameter names: an own {@code weight} of a class whose name contains "Conv" counts
 *     {@code numel · H_out · W_out}, any other own {@code weight} its numel, and any child's weight
 *     ({@code 0.weight}) its numel again. Biases never count.</li>
 * <li>Parameters are totalled over rows at the maximum depth and leaves above it.</li>
 * <li>"Forward/backward pass size" is twice the outputs of hooked leaves that have parameters.</li>
 * </ul>
 */
public final class Torchinfo008 {
    private Torchinfo008() {}

    /** Whether torchinfo 0.0.8 would have hooked this layer (and so listed it) at this depth. */
    public static boolean hooked(LayerInfo row, int maxDepth) {
        return row.depth() >= 1 && row.depth() <= maxDepth + 1;
    }

    /** The row's mult-adds by {@code calculate_macs} of 0.0.8 (see the class comment). */
    public static long macs(LayerInfo row) {
        long macs = 0;
        for (ParamInfo p : row.parameters()) {
            if (p.name().equals("weight")) {
                macs += row.type().contains("Conv") ? p.numel() * spatialOutput(row) : p.numel();
            } else if (p.name().contains("weight")) {
                macs += p.numel();
            }
        }
        return macs;
    }

    /** 0.0.8 marks a row frozen if any of its parameters is ({@code trainable &= requires_grad}). */
    public static boolean frozen(LayerInfo row) {
        return row.parameters().stream().anyMatch(p -> !p.trainable());
    }

    /** The "Kernel Shape" of 0.0.8: the own weight's shape with its first two dimensions swapped. */
    public static List<Integer> kernelShape(LayerInfo row) {
        for (ParamInfo p : row.parameters()) {
            if (!p.name().equals("weight")) continue;
            List<Integer> s = new ArrayList<>(p.shape());
            if (s.size() > 1) s.set(0, s.set(1, s.get(0)));
            return s;
        }
        return List.of();
    }

    /** Whether the row's parameters count in the total and show in the table: at max depth, or a leaf above it. */
    public static boolean counted(LayerInfo row, int maxDepth) {
        return row.depth() == maxDepth || (row.leaf() && row.depth() < maxDepth);
    }

    /** The totals exactly as 0.0.8's {@code ModelStatistics.__init__} computed them. */
    public static ModelStatistics statistics(List<LayerInfo> rows, int maxDepth) {
        long total = 0, trainable = 0, multAdds = 0, outputs = 0;
        for (LayerInfo row : rows) {
            if (!hooked(row, maxDepth)) continue;
            multAdds += macs(row);
            if (counted(row, maxDepth)) {
                total += row.numParams();
                if (!frozen(row)) trainable += row.numParams();
            }
            if (row.numParams() > 0 && row.leaf()) outputs += 2 * row.outputElements();   // x2 for gradients
        }
        LayerInfo model = rows.getFirst();
        int bytes = ModelStatistics.FLOAT_BYTES;
        return new ModelStatistics(total, trainable, multAdds,
                LayerInfo.product(model.inputShape()) * bytes, outputs * bytes, total * bytes);
    }

    private static long spatialOutput(LayerInfo row) {
        List<Integer> out = row.outputShape();
        return LayerInfo.product(out.subList(Math.min(2, out.size()), out.size()));
    }
}
