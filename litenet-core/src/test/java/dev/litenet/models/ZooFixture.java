package dev.litenet.models;

import dev.litenet.Fixtures;
import dev.litenet.io.Json;
import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Parameter;
import dev.litenet.nn.Trace;
import dev.litenet.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One architecture's torchvision parity fixture, {@code src/test/resources/fixtures/zoo/<arch>.json}, made by
 * {@code tools/make_zoo_fixtures.py}. The file stores no weights: {@link #fill} writes into a model the values of
 * the formula both sides share (splitmix64 uniforms, constants in the file's {@code init}), after checking that the
 * model's state entries have torchvision's names, order and shapes; {@link #input} is made the same way. The file
 * holds what torchvision computes with them: eval logits and pooled features, a train-mode step, a frozen-BatchNorm
 * step's gradients, the BatchNorm eps and momentum and the dropout and stochastic-depth p of every module.
 *
 * <p>Expected values are torch's in float64. Each check's tolerance is the project's ({@link #LOGITS}: 1e-4 of the
 * largest |logit|; {@link #LOSS}: 1e-6 of the loss; {@link #GRADIENT}: 1e-4 of each tensor's max |g|) or twice the
 * worst of torch's own float32 runs recorded in the fixture, whichever is larger: where torch in float32 cannot meet
 * the project's bound (an activation within rounding of a ReLU or hard-swish kink switches a backward path), no
 * float32 implementation can be held to it. Tolerances and their source are in every failure message.
 */
public final class ZooFixture {
    /** Eval logits and features: max |ours − torch| over the largest |torch value|. */
    public static final double LOGITS = 1e-4;
    /** Train-mode cross-entropy: |ours − torch| / torch. */
    public static final double LOSS = 1e-6;
    /** Frozen-BatchNorm gradients: max |ours − torch| over the tensor's largest |torch value|. */
    public static final double GRADIENT = 1e-4;
    /** How many differences a failure message lists. */
    private static final int SHOWN = 8;

    /** A state_dict entry: torch name, shape, dtype and formula kind (fan_in, gamma, bias, mean, var, zero). */
    public record Entry(String name, int[] shape, String dtype, String kind) {
        String describe() { return name + " " + Arrays.toString(shape); }
    }

    /** A BatchNorm2d module of torchvision's model, by module path. */
    public record BatchNormSpec(String name, double eps, double momentum) {}

    /** A Dropout or StochasticDepth module (torch's class name) and its p. */
    public record StochasticSpec(String name, String type, double p) {}

    /** One gradient's reference: norm, max |g|, sampled (flat torch index, value) pairs, and its tolerance. */
    public record Gradient(String name, int[] shape, double norm, double maxAbs, int[] index, double[] value, double tolerance) {}

    private final String arch;
    private final Map<String, Object> json;
    private final Map<String, Object> init;
    private final List<Entry> state = new ArrayList<>();

    private ZooFixture(String arch, Map<String, Object> json) {
        this.arch = arch;
        this.json = json;
        this.init = map(json, "init");
        for (Object row : list(json, "state")) {
            List<?> r = (List<?>) row;
            state.add(new Entry((String) r.get(0), ints((List<?>) r.get(1)), (String) r.get(2), (String) r.get(3)));
        }
    }

    /** The fixture of a torchvision builder name ({@code "mobilenet_v2"}, {@code "resnet50"}, ...). */
    public static ZooFixture load(String arch) {
        String resource = "/fixtures/zoo/" + arch + ".json";
        try (InputStream in = ZooFixture.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + resource + " (tools/make_zoo_fixtures.py " + arch + ")");
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return new ZooFixture(arch, json);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    public String arch() { return arch; }

    /** torchvision's state_dict entries in order. */
    public List<Entry> state() { return List.copyOf(state); }

    /** {@code sum(p.numel() for p in model.parameters())}: torchvision's published parameter count. */
    public long numParams() { return number(json, "num_params").longValue(); }

    /** Conv2d and Linear multiply-adds at 1×3×224×224, as forward hooks count them. */
    public long multiplyAdds224() { return number(map(json, "multiply_adds_224"), "total").longValue(); }

    /** The GFLOPS torchvision's documentation lists for the architecture. */
    public double documentedGflops() { return number(map(json, "multiply_adds_224"), "documented_gflops").doubleValue(); }

    public List<BatchNormSpec> batchNorms() {
        return list(json, "batchnorm").stream().map(r -> (List<?>) r)
                .map(r -> new BatchNormSpec((String) r.get(0), num(r.get(1)), num(r.get(2)))).toList();
    }

    public List<StochasticSpec> stochastic() {
        return list(json, "stochastic").stream().map(r -> (List<?>) r)
                .map(r -> new StochasticSpec((String) r.get(0), (String) r.get(1), num(r.get(2)))).toList();
    }

    // ---- the formula ---------------------------------------------------------------------------------------------

    static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** u(j, i) in [0, 1), exact in float32. */
    static double uniform(long j, long i) { return (splitmix64((j << 32) + i) >>> 40) * 0x1p-24; }

    /** The formula's values of state entry j in torch's order: computed in double, rounded once to float. */
    float[] values(int j) {
        Entry e = state.get(j);
        int n = Math.toIntExact(Tensor.numel(e.shape()));
        float[] out = new float[n];
        double gain = c("weight_gain"), a = c("a"), b = c("b"), c = c("c"), d = c("d"), ev = c("e"), f = c("f");
        for (int i = 0; i < n; i++) {
            double u = uniform(j, i);
            out[i] = (float) switch (e.kind()) {
                case "fan_in" -> (2 * u - 1) * Math.sqrt(gain / (double) (n / e.shape()[0]));
                case "gamma" -> a + b * u;
                case "bias" -> c * (2 * u - 1);
                case "mean" -> d * (2 * u - 1);
                case "var" -> ev + f * u;
                case "zero" -> 0.0;
                default -> throw new IllegalStateException("no formula kind " + e.kind() + " for " + e.name());
            };
        }
        return out;
    }

    private double c(String key) { return number(init, key).doubleValue(); }

    /** The formula's first values of each kind and of the input, bit for bit as the fixture's script made them. */
    public void assertFormulaSamples() {
        for (Object row : list(init, "samples")) {
            List<?> r = (List<?>) row;
            int j = ((Number) r.get(0)).intValue();
            String name = (String) r.get(1);
            float[] expected = floatList((List<?>) r.get(2));
            float[] ours = new float[expected.length];
            if (name.equals("input")) for (int i = 0; i < ours.length; i++) ours[i] = (float) (2 * uniform(j, i) - 1);
            else System.arraycopy(values(j), 0, ours, 0, ours.length);
            assertThat(ours).as("%s: the formula's first values of %s (entry %d)", arch, name, j).containsExactly(expected);
        }
    }

    /**
     * Fails, listing the first differences, unless the model's state entries (parameters and buffers, in
     * {@code state_dict()} order) have exactly the fixture's names and shapes.
     */
    public void assertSameState(Layer model) {
        Map<String, Parameter> entries = model.stateEntries();
        List<String> ours = new ArrayList<>(), theirs = new ArrayList<>();
        entries.forEach((n, p) -> ours.add(n + " " + Arrays.toString(p.shape())));
        state.forEach(e -> theirs.add(e.describe()));
        if (ours.equals(theirs)) return;
        StringBuilder why = new StringBuilder(arch + ": the model's state entries differ from torchvision's (")
                .append(ours.size()).append(" here, ").append(theirs.size()).append(" in torchvision)");
        int shown = 0;
        for (int i = 0; i < Math.max(ours.size(), theirs.size()) && shown < SHOWN; i++) {
            String o = i < ours.size() ? ours.get(i) : "(none)", t = i < theirs.size() ? theirs.get(i) : "(none)";
            if (o.equals(t)) continue;
            why.append("\n  #").append(i).append(": torchvision ").append(t).append(", model ").append(o);
            shown++;
        }
        List<String> names = state.stream().map(Entry::name).toList();
        List<String> missing = names.stream().filter(n -> !entries.containsKey(n)).toList();
        if (!missing.isEmpty()) why.append("\n  missing by name: ").append(brief(missing));
        List<String> extra = entries.keySet().stream().filter(n -> !names.contains(n)).toList();
        if (!extra.isEmpty()) why.append("\n  not in torchvision: ").append(brief(extra));
        fail(why.toString());
    }

    /** Checks the state entries ({@link #assertSameState}), then writes the formula's values into every one. */
    public <L extends Layer> L fill(L model) {
        assertSameState(model);
        List<Parameter> entries = new ArrayList<>(model.stateEntries().values());
        for (int j = 0; j < entries.size(); j++) entries.get(j).fromTorch(values(j));
        return model;
    }

    /** The input, (2, 3, 160, 160) in torch, as the library's NHWC: (2, 160, 160, 3). */
    public Tensor input() {
        int[] s = ints(list(init, "input_shape"));
        long j = number(init, "input_j").longValue();
        float[] nchw = new float[s[0] * s[1] * s[2] * s[3]];
        for (int i = 0; i < nchw.length; i++) nchw[i] = (float) (2 * uniform(j, i) - 1);
        return Fixtures.nchwToNhwc(nchw, s[0], s[1], s[2], s[3]);
    }

    // ---- expectations --------------------------------------------------------------------------------------------

    /** Eval logits (2 × 1000), torch order. */
    public float[] logits() { return floats(map(json, "eval"), "logits"); }

    /** The pooled features the classifier reads, (2 × C). */
    public float[] features() { return floats(map(json, "eval"), "features"); }

    /** The module whose input {@link #features} are: {@code "classifier"} or {@code "fc"}. */
    public String head() { return (String) map(json, "eval").get("head"); }

    public int[] labels() { return ints(list(map(json, "train_step"), "labels")); }

    /** Tolerance of the eval logits and features: the project's, or twice torch's own float32 error. */
    public double logitsTolerance() { return tolerance(LOGITS, map(map(json, "eval"), "torch_float32"), "logits"); }

    public double trainLoss() { return number(map(json, "train_step"), "loss").doubleValue(); }

    public double trainLossTolerance() { return tolerance(LOSS, map(map(json, "train_step"), "torch_float32"), "loss"); }

    /** Train-mode logits (batch statistics), for diagnosis. */
    public float[] trainLogits() { return floats(map(json, "train_step"), "logits"); }

    /** The first BatchNorm's module path, whose running statistics {@link #runningMean}/{@link #runningVar} are after the train step. */
    public String trainBatchNorm() { return (String) map(json, "train_step").get("batchnorm"); }

    public float[] runningMean() { return floatList(list(map(json, "train_step"), "running_mean")); }

    public float[] runningVar() { return floatList(list(map(json, "train_step"), "running_var")); }

    public double frozenLoss() { return number(map(json, "frozen_bn_step"), "loss").doubleValue(); }

    public double frozenLossTolerance() { return tolerance(LOSS, map(map(json, "frozen_bn_step"), "torch_float32"), "loss"); }

    /** The frozen-BatchNorm step's gradient references, by parameter name. */
    public Map<String, Gradient> gradients() {
        Map<String, Object> step = map(json, "frozen_bn_step"), floor = map(map(step, "torch_float32"), "grads");
        Map<String, Gradient> out = new LinkedHashMap<>();
        map(step, "grads").forEach((name, v) -> {
            @SuppressWarnings("unchecked") Map<String, Object> g = (Map<String, Object>) v;
            List<Object> values = list(g, "value");
            out.put(name, new Gradient(name, ints(list(g, "shape")), num(g.get("norm")), num(g.get("max_abs")),
                    ints(list(g, "index")), values.stream().mapToDouble(ZooFixture::num).toArray(), tolerance(GRADIENT, floor, name)));
        });
        return out;
    }

    private static double tolerance(double project, Map<String, Object> torchFloat32, String key) {
        return Math.max(project, 2 * number(torchFloat32, key).doubleValue());
    }

    // ---- running a model as the fixture did ----------------------------------------------------------------------

    /**
     * Train mode as the fixture's train step: BatchNorm on batch statistics, every Dropout and StochasticDepth in
     * eval (by type name, torch's class name), so the step is deterministic.
     */
    public void trainWithoutDropout(Layer model) {
        model.train(true);
        List<String> types = stochastic().stream().map(StochasticSpec::type).distinct().toList();
        modules(model).values().forEach(l -> { if (types.contains(l.typeName()) || l.typeName().equals("Dropout")) l.train(false); });
    }

    /** Runs the model on x and returns what its {@link #head} module received: the pooled features (N, C). */
    public Tensor features(Layer model, Tensor x) {
        Layer head = module(model, head());
        Tensor[] seen = new Tensor[1];
        model.traced(x, new Trace() {
            @Override public void enter(Layer layer, Tensor input) { if (layer == head) seen[0] = input.copy(); }
            @Override public void exit(Layer layer, Tensor output) {}
        });
        if (seen[0] == null) fail(arch + ": " + head() + " never ran through Layer.call, so its input was not seen");
        return seen[0];
    }

    /** Every module by dotted path, in torch's {@code named_modules()} order (the root is ""). */
    public static Map<String, Layer> modules(Layer model) {
        Map<String, Layer> out = new LinkedHashMap<>();
        collect("", model, out);
        return out;
    }

    private static void collect(String path, Layer layer, Map<String, Layer> out) {
        out.put(path, layer);
        layer.children().forEach((n, c) -> collect(path.isEmpty() ? n : path + "." + n, c, out));
    }

    public static Layer module(Layer model, String path) {
        Layer l = modules(model).get(path);
        if (l == null) fail("no module " + path + " in the model");
        return l;
    }

    // ---- assertions ----------------------------------------------------------------------------------------------

    /** Fails unless max |actual − expected| ≤ relTolOfMax · max |expected|; the message lists the worst entries. */
    public static void assertClose(float[] actual, float[] expected, double relTolOfMax) {
        assertClose(actual, expected, relTolOfMax, "values");
    }

    /** {@link #assertClose(float[], float[], double)}, naming what is compared in the message. */
    public static void assertClose(float[] actual, float[] expected, double relTolOfMax, String what) {
        double worst = relMaxError(actual, expected, what);
        if (worst <= relTolOfMax) return;
        double scale = maxAbs(expected);
        Integer[] order = new Integer[expected.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (p, q) -> Double.compare(Math.abs(actual[q] - expected[q]), Math.abs(actual[p] - expected[p])));
        StringBuilder why = new StringBuilder(String.format("%s: max |difference| is %.3g of the largest |expected| (%.4g), tolerance %.3g",
                what, worst, scale, relTolOfMax));
        for (int k = 0; k < Math.min(SHOWN, order.length); k++) {
            int i = order[k];
            why.append(String.format("%n  [%d] expected %.8g, got %.8g", i, expected[i], actual[i]));
        }
        fail(why.toString());
    }

    /** max |a − b| over max |b|. */
    public static double relMaxError(float[] actual, float[] expected, String what) {
        if (actual.length != expected.length) fail(what + ": " + actual.length + " values, expected " + expected.length);
        double err = 0;
        for (int i = 0; i < expected.length; i++) {
            if (!Float.isFinite(actual[i])) fail(what + ": [" + i + "] is " + actual[i]);
            err = Math.max(err, Math.abs((double) actual[i] - expected[i]));
        }
        return err / Math.max(maxAbs(expected), 1e-30);
    }

    /** |actual − expected| / |expected| within the train-mode loss tolerance. */
    public void assertTrainLoss(double actual) {
        double expected = trainLoss(), rel = Math.abs(actual - expected) / expected;
        assertThat(rel).as("%s train-mode loss %.12g vs torch %.12g: relative difference (tolerance %.3g)", arch, actual, expected,
                trainLossTolerance()).isLessThanOrEqualTo(trainLossTolerance());
    }

    /**
     * Each reference gradient against the model's (after backward): the norm, and every sampled entry, within the
     * tensor's tolerance of its max |g|. Returns the worst relative differences by name, for reports.
     */
    public Map<String, Double> assertGradients(Map<String, Parameter> params) {
        Map<String, Double> worst = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        gradients().forEach((name, g) -> {
            Parameter p = params.get(name);
            if (p == null) { failures.add(name + ": no such parameter"); return; }
            if (!Arrays.equals(p.shape(), g.shape())) { failures.add(name + ": shape " + Arrays.toString(p.shape())); return; }
            float[] ours = p.toTorch(p.grad());
            double norm = 0, err = 0;
            int at = -1;
            for (float v : ours) norm += (double) v * v;
            norm = Math.sqrt(norm);
            for (int k = 0; k < g.index().length; k++) {
                double e = Math.abs(ours[g.index()[k]] - g.value()[k]);
                if (e > err) { err = e; at = k; }
            }
            double rel = err / g.maxAbs(), normRel = Math.abs(norm - g.norm()) / g.norm();
            worst.put(name, Math.max(rel, normRel));
            if (rel > g.tolerance() || normRel > g.tolerance()) {
                failures.add(String.format("%s: worst sampled entry [%d] %.6g vs torch %.6g (%.3g of max |g| %.4g), norm %.6g vs %.6g (%.3g); tolerance %.3g",
                        name, g.index()[at], ours[g.index()[at]], g.value()[at], rel, g.maxAbs(), norm, g.norm(), normRel, g.tolerance()));
            }
        });
        if (!failures.isEmpty()) fail(arch + " frozen-BatchNorm gradients:\n  " + String.join("\n  ", failures));
        return worst;
    }

    /** The model's BatchNorm2d modules: torchvision's paths in order, with its eps and momentum. */
    public void assertBatchNorms(Layer model) {
        List<String> problems = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        modules(model).forEach((path, l) -> { if (l instanceof BatchNorm2d) ours.add(path); });
        List<String> theirs = batchNorms().stream().map(BatchNormSpec::name).toList();
        if (!ours.equals(theirs)) problems.add("BatchNorm2d modules " + brief(ours) + ", torchvision " + brief(theirs));
        for (BatchNormSpec bn : batchNorms()) {
            Layer l = modules(model).get(bn.name());
            if (!(l instanceof BatchNorm2d)) continue;
            double eps = property(l, "eps"), momentum = property(l, "momentum");
            if (Math.abs(eps - bn.eps()) > 1e-6 * bn.eps()) problems.add(bn.name() + ": eps " + eps + ", torchvision " + bn.eps());
            if (Math.abs(momentum - bn.momentum()) > 1e-6 * bn.momentum()) problems.add(bn.name() + ": momentum " + momentum + ", torchvision " + bn.momentum());
        }
        if (!problems.isEmpty()) fail(arch + ":\n  " + String.join("\n  ", problems.subList(0, Math.min(SHOWN, problems.size())))
                + (problems.size() > SHOWN ? "\n  and " + (problems.size() - SHOWN) + " more" : ""));
    }

    /** Every Dropout and StochasticDepth module of torchvision's model at its path in the model, with its p. */
    public void assertStochastic(Layer model) {
        List<String> problems = new ArrayList<>();
        Map<String, Layer> modules = modules(model);
        for (StochasticSpec s : stochastic()) {
            Layer l = modules.get(s.name());
            if (l == null || !l.typeName().equals(s.type())) {
                problems.add(s.name() + ": " + (l == null ? "missing" : l.typeName()) + ", torchvision " + s.type() + "(p=" + s.p() + ")");
            } else if (Math.abs(property(l, "p") - s.p()) > 1e-6) {
                problems.add(s.name() + ": p " + property(l, "p") + ", torchvision " + s.p());
            }
        }
        List<String> types = List.of("Dropout", "StochasticDepth");
        List<String> names = stochastic().stream().map(StochasticSpec::name).toList();
        modules.forEach((path, l) -> { if (types.contains(l.typeName()) && !names.contains(path)) problems.add(path + ": " + l.typeName() + " not in torchvision"); });
        if (!problems.isEmpty()) fail(arch + ":\n  " + String.join("\n  ", problems));
    }

    /**
     * A number a layer exposes as {@code name()}, a field {@code name}, or a constant {@code NAME}: read reflectively
     * so this support reads BatchNorm2d's eps and momentum whether they are the class constants of today or
     * per-module values, and the p of a dropout of any class.
     */
    static double property(Layer layer, String name) {
        Class<?> type = layer.getClass();
        try {
            Method m = type.getMethod(name);
            return ((Number) m.invoke(layer)).doubleValue();
        } catch (NoSuchMethodException e) {
            // next: a field
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (String field : List.of(name, name.toUpperCase())) {
            try {
                Field f = type.getField(field);
                return ((Number) f.get(layer)).doubleValue();
            } catch (NoSuchFieldException e) {
                // next
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(type.getSimpleName() + " exposes no " + name + "() or public " + name + " / " + name.toUpperCase());
    }

    // ---- JSON ----------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) throw new IllegalStateException("fixture has no object " + key);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof List)) throw new IllegalStateException("fixture has no list " + key);
        return (List<Object>) v;
    }

    private static Number number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) throw new IllegalStateException("fixture has no number " + key);
        return n;
    }

    private static double num(Object o) { return ((Number) o).doubleValue(); }

    private static int[] ints(List<?> l) { return l.stream().mapToInt(o -> ((Number) o).intValue()).toArray(); }

    private static float[] floatList(List<?> l) {
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) num(l.get(i));
        return out;
    }

    /** An array stored as {"shape", "f32le": base64 of little-endian float32}. */
    private static float[] floats(Map<String, Object> m, String key) {
        byte[] bytes = Base64.getDecoder().decode((String) map(m, key).get("f32le"));
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) m = Math.max(m, Math.abs(f));
        return m;
    }

    private static String brief(List<String> names) {
        return names.size() <= SHOWN ? names.toString() : names.subList(0, SHOWN) + " and " + (names.size() - SHOWN) + " more";
    }
}
