package dev.litenet.summary;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A summary as JSON: every layer call (all depths; {@code numParams} of a container includes its children, so
 * add up leaves only) with true multiply-adds, and the totals of the chosen style.
 *
 * <pre>
 * {"style": "default", "depth": 3,
 *  "rows": [{"path": "features.0.0", "type": "Conv2d", "depth": 3, "depthIndex": 1, "leaf": true,
 *            "inputShape": [1, 3, 224, 224], "outputShape": [1, 32, 112, 112], "kernelSize": [3, 3],
 *            "numParams": 864, "trainableParams": 864, "macs": 10838016}, ...],
 *  "totals": {"totalParams": 3504872, ..., "totalBytes": 50185280}}
 * </pre>
 */
public final class SummaryJson {
    private SummaryJson() {}

    public static String write(Summary summary) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"style\": ").append(string(summary.options().style().key)).append(",\n");
        out.append("  \"depth\": ").append(summary.options().depth()).append(",\n");
        out.append("  \"rows\": [\n");
        List<LayerInfo> rows = summary.rows();
        for (int i = 0; i < rows.size(); i++) {
            out.append("    ").append(row(rows.get(i))).append(i + 1 < rows.size() ? ",\n" : "\n");
        }
        out.append("  ],\n");
        ModelStatistics t = summary.statistics();
        out.append("  \"totals\": {")
                .append("\"totalParams\": ").append(t.totalParams())
                .append(", \"trainableParams\": ").append(t.trainableParams())
                .append(", \"nonTrainableParams\": ").append(t.nonTrainableParams())
                .append(", \"multAdds\": ").append(t.multAdds())
                .append(", \"inputBytes\": ").append(t.inputBytes())
                .append(", \"activationBytes\": ").append(t.activationBytes())
                .append(", \"paramBytes\": ").append(t.paramBytes())
                .append(", \"totalBytes\": ").append(t.totalBytes())
                .append("}\n}\n");
        return out.toString();
    }

    private static String row(LayerInfo r) {
        return "{\"path\": " + string(r.path())
                + ", \"type\": " + string(r.type())
                + ", \"depth\": " + r.depth()
                + ", \"depthIndex\": " + r.depthIndex()
                + ", \"leaf\": " + r.leaf()
                + ", \"inputShape\": " + array(r.inputShape())
                + ", \"outputShape\": " + array(r.outputShape())
                + ", \"kernelSize\": " + array(r.kernelSize())
                + ", \"numParams\": " + r.numParams()
                + ", \"trainableParams\": " + r.trainableParams()
                + ", \"macs\": " + r.macs() + "}";
    }

    private static String array(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append("\\u%04x".formatted((int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }
}
