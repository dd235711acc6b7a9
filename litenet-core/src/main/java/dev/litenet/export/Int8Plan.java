package dev.litenet.export;

import dev.litenet.export.Graph.Op;
import dev.litenet.export.Graph.Value;
import dev.litenet.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Full-integer quantization of a {@link Graph} as TFLite's post-training quantizer does it: every activation int8
 * with the scale and zero point of the range it took on calibration images ({@code real = scale · (q − zero_point)},
 * the range widened to hold 0 so that 0 and padding are exact), weights per output channel symmetric in [−127, 127]
 * (the writer's part), biases int32 at input scale × weight scale. TFLite's kernels ask some values to share their
 * parameters: a max pool, reshape, gather, reverse, split or concatenation keeps its input's (so they move bytes,
 * never rescale); those values are grouped and given the union of their ranges. Softmax and logistic outputs take
 * the fixed {@code 1/256, −128} the kernels require. The input is uint8 whose parameters are the preprocessing's
 * {@code (pixel − offset) / scale}, so that a camera's bytes go in unchanged.
 */
final class Int8Plan {
    /** {@code real = scale · (q − zeroPoint)}. */
    record Params(float scale, int zeroPoint) {
        /** Params for int8 covering [min, max] (0 included). */
        static Params of(double min, double max) {
            min = Math.min(0, min);
            max = Math.max(0, max);
            if (max - min < 1e-6) max = min + 1e-6;
            double scale = (max - min) / 255.0;
            long zp = Math.round(-128 - min / scale);
            return new Params((float) scale, (int) Math.max(-128, Math.min(127, zp)));
        }

        /** The same reals as uint8: zero point + 128. */
        Params asUint8() { return new Params(scale, zeroPoint + 128); }
    }

    /** Softmax and logistic outputs: the only int8 parameters their TFLite kernels take. */
    static final Params UNIT_INTERVAL = new Params(1f / 256f, -128);

    private final Map<Value, Params> params;
    private final Params input;

    private Int8Plan(Map<Value, Params> params, Params input) {
        this.params = params;
        this.input = input;
    }

    /** The int8 parameters of a value. */
    Params of(Value v) {
        Params p = params.get(v);
        if (p == null) throw new IllegalStateException("no int8 range for " + v);
        return p;
    }

    /** The uint8 input tensor's parameters (the int8 graph input is the same reals, zero point − 128). */
    Params input() { return input; }

    /**
     * Ranges from running the float graph on calibration inputs.
     *
     * @param input  the uint8 input's scale and zero point (uint8 zero point)
     * @param images graph inputs, (1,S,S,3) each, the reals the uint8 input stands for
     */
    static Int8Plan calibrate(Graph graph, Params input, List<Tensor> images) {
        if (images.isEmpty()) throw new IllegalArgumentException("no calibration images");
        GraphRunner runner = new GraphRunner(graph);
        int n = graph.values().size();
        double[] min = new double[n], max = new double[n];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        java.util.stream.IntStream.range(0, images.size()).parallel().forEach(i -> {
            double[] lo = new double[n], hi = new double[n];
            java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
            runner.run(images.get(i), (v, t) -> {
                for (float f : t.data) {
                    if (f < lo[v.id()]) lo[v.id()] = f;
                    if (f > hi[v.id()]) hi[v.id()] = f;
                }
            });
            synchronized (min) {
                for (int k = 0; k < n; k++) {
                    min[k] = Math.min(min[k], lo[k]);
                    max[k] = Math.max(max[k], hi[k]);
                }
            }
        });
        return plan(graph, input, min, max);
    }

    private static Int8Plan plan(Graph graph, Params input, double[] min, double[] max) {
        int n = graph.values().size();
        int[] group = new int[n];
        for (int i = 0; i < n; i++) group[i] = i;
        Params[] fixed = new Params[n];
        fixed[graph.input().id()] = new Params(input.scale(), input.zeroPoint() - 128);
        for (Op op : graph.ops()) {
            switch (op) {
                case Graph.MaxPool p -> union(group, p.in(), p.out());
                case Graph.Reshape r -> union(group, r.in(), r.out());
                case Graph.Gather g -> union(group, g.in(), g.out());
                case Graph.Reverse r -> union(group, r.in(), r.out());
                case Graph.Concat c -> c.ins().forEach(v -> union(group, v, c.out()));
                case Graph.Split s -> s.outs().forEach(v -> union(group, s.in(), v));
                case Graph.Softmax s -> fixed[s.out().id()] = UNIT_INTERVAL;
                case Graph.Activation a when a.kind() == Graph.Unary.SIGMOID -> fixed[a.out().id()] = UNIT_INTERVAL;
                default -> { }
            }
        }
        double[] gMin = new double[n], gMax = new double[n];
        Params[] gFixed = new Params[n];
        java.util.Arrays.fill(gMin, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(gMax, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int r = root(group, i);
            gMin[r] = Math.min(gMin[r], min[i]);
            gMax[r] = Math.max(gMax[r], max[i]);
            if (fixed[i] != null) {
                if (gFixed[r] != null && !gFixed[r].equals(fixed[i])) throw new IllegalStateException("two fixed ranges for one group");
                gFixed[r] = fixed[i];
            }
        }
        Map<Value, Params> params = new HashMap<>();
        java.util.Set<Value> live = new java.util.HashSet<>(List.of(graph.input()));
        for (Op op : graph.ops()) {
            live.addAll(op.inputs());
            live.addAll(op.outputs());
        }
        for (Value v : graph.values()) {
            if (!live.contains(v)) continue;                 // replaced when an activation was fused
            int r = root(group, v.id());
            if (gFixed[r] == null && !(gMin[r] <= gMax[r])) throw new IllegalStateException("no calibration range for " + v);
            params.put(v, gFixed[r] != null ? gFixed[r] : Params.of(gMin[r], gMax[r]));
        }
        return new Int8Plan(params, input);
    }

    private static void union(int[] group, Value a, Value b) { group[root(group, a.id())] = root(group, b.id()); }

    private static int root(int[] group, int i) {
        while (group[i] != i) i = group[i] = group[group[i]];
        return i;
    }
}
