package dev.litenet.summary;

import dev.litenet.io.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A summary as JSON: every layer call (all depths; {@code num_params} of a container includes its children, so
 * add up leaves only) with true multiply-adds, and the totals of the chosen style.
 *
 * <pre>
 * {"style": "default", "depth": 3,
 *  "rows": [{"path": "features.0.0", "type": "Conv2d", "depth": 3, "depth_index": 1, "leaf": true,
 *            "input_shape": [1, 3, 224, 224], "output_shape": [1, 32, 112, 112], "kernel_size": [3, 3],
 *            "num_params": 864, "trainable_params": 864, "macs": 10838016}, ...],
 *  "totals": {"total_params": 3504872, ..., "total_bytes": 50185280}}
 * </pre>
 */
public final class SummaryJson {
    private SummaryJson() {}

    public static String write(Summary summary) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("style", summary.options().style().key);
        root.put("depth", summary.options().depth());
        root.put("rows", summary.rows().stream().map(SummaryJson::row).toList());
        ModelStatistics t = summary.statistics();
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("total_params", t.totalParams());
        totals.put("trainable_params", t.trainableParams());
        totals.put("non_trainable_params", t.nonTrainableParams());
        totals.put("mult_adds", t.multAdds());
        totals.put("input_bytes", t.inputBytes());
        totals.put("activation_bytes", t.activationBytes());
        totals.put("param_bytes", t.paramBytes());
        totals.put("total_bytes", t.totalBytes());
        root.put("totals", totals);
        return Json.pretty(root);
    }

    private static Map<String, Object> row(LayerInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", r.path());
        m.put("type", r.type());
        m.put("depth", r.depth());
        m.put("depth_index", r.depthIndex());
        m.put("leaf", r.leaf());
        m.put("input_shape", r.inputShape());
        m.put("output_shape", r.outputShape());
        m.put("kernel_size", r.kernelSize());
        m.put("num_params", r.numParams());
        m.put("trainable_params", r.trainableParams());
        m.put("macs", r.macs());
        return m;
    }
}
