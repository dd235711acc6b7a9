package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.eval.ComparisonTable;
import dev.litenet.models.KnownWeights;
import dev.litenet.models.WeightsCache;
import dev.litenet.models.WeightsInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code litenet compare --list}: the zoo's rows ({@code --archs}) and every known weights name ({@code --weights},
 * {@code --backbones}) with its alias, architecture, width, input size, published top-1 and whether its file is on
 * this machine (the cache or the shared weights folder) or would be downloaded on first use.
 */
final class KnownList {
    private KnownList() {}

    static String format(List<ZooMeasure.Row> rows, WeightsCache cache) {
        StringBuilder out = new StringBuilder();
        out.append("Rows of the zoo (--archs): ").append(rows.stream().map(ZooMeasure.Row::name).collect(Collectors.joining(", "))).append("\n\n");
        out.append("Known weights (--weights, --backbones):\n");
        List<String[]> table = new ArrayList<>();
        table.add(new String[]{"Name", "Alias", "Architecture", "Width", "Input", "ImageNet top-1", "Here"});
        for (WeightsInfo w : KnownWeights.all()) {
            String alias = KnownWeights.aliasOf(w);
            Double top1 = w.metrics().get("acc@1");
            table.add(new String[]{w.name(), alias == null ? "-" : alias, w.architecture(), ZooMeasure.width(w.widthMult()),
                    Integer.toString(w.preprocessing().outputSize()), top1 == null ? "-" : java.math.BigDecimal.valueOf(top1).stripTrailingZeros().toPlainString() + " %",
                    here(w, cache)});
        }
        return out.append(ComparisonTable.align(table, table.getFirst().length, 0)).toString();
    }

    /** "yes", "no (downloaded on first use)", or why a file there is not usable. */
    private static String here(WeightsInfo w, WeightsCache cache) {
        try {
            return cache.present(w).isPresent() ? "yes" : "no (downloaded on first use)";
        } catch (BadInputException e) {
            return "damaged: " + e.getMessage();
        }
    }
}
