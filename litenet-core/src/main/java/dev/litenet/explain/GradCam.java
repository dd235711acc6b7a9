package dev.litenet.explain;

import dev.litenet.BadInputException;
import dev.litenet.models.Network;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Parameter;
import dev.litenet.tensor.Pool;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Grad-CAM (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", eq. 1 and 2) at one unit of a {@link Network}'s trunk: which places of the image raised the score
 * of a class. With A the unit's output (N,h,w,C) and y the class's logit (the score before the softmax, as the
 * paper and the usual hook-based PyTorch recipe take it):
 * <pre>
 *   α_c = (1 / hw) Σ_ij ∂y/∂A_ijc          one weight per channel: the gradient, averaged over the places
 *   map_ij = ReLU(Σ_c α_c A_ijc)            only what speaks for the class
 * </pre>
 * One pass: the units up to and including the chosen one run as their folded inference twin and give A; the units
 * after it, the pooling and the classifier run recording, and one backward from the class's logit gives ∂y/∂A.
 * Parameters get no gradients (they are frozen for the pass and restored after); BatchNorm is in eval mode.
 *
 * <p><b>Layers</b> are named as torch names the modules: a unit ({@code features.18}, {@code layer4.1},
 * {@code conv1}) or a trunk child that holds units ({@code features}, {@code layer4}), which means its last unit.
 * The default is the trunk's last unit, the last convolutional block, as torchvision-style Grad-CAM takes it: its
 * maps are coarse (7×7 at 224 for the zoo's networks) and the most class-specific; earlier units give finer
 * maps that say less about the class.
 *
 * <p>Not thread-safe: a pass records activations inside the network's layers, so one pass at a time per network
 * ({@code ImageClassifier} holds its lock around it).
 */
public final class GradCam {
    /** What one pass gives: the logits and one map per image. */
    public record Result(float[][] logits, List<Heatmap> heatmaps) {}

    private final Network net;
    private final int unit;
    private final String layer;
    private final Layer prefix;
    private final List<Layer> rest = new ArrayList<>();

    private GradCam(Network net, int unit) {
        this.net = net;
        this.unit = unit;
        List<Network.Unit> units = net.units();
        this.layer = units.get(unit).name();
        this.prefix = net.fusedPrefix(unit + 1);
        units.subList(unit + 1, units.size()).forEach(u -> rest.add(u.layer()));
    }

    /**
     * Grad-CAM at a layer of a network. The folded twin of the units up to the layer is made here, once: keep the
     * object to explain many images. The network's weights must not change while it is in use.
     *
     * @param net   the network (its BatchNorm layers are used in eval mode)
     * @param layer a unit or stage name (see {@link #layers}), or null for the last unit
     * @return the explainer
     * @throws BadInputException if the network has no such layer, naming the ones it has
     */
    public static GradCam of(Network net, String layer) {
        return new GradCam(Objects.requireNonNull(net, "net"), unitIndex(net, layer));
    }

    /**
     * The layer used when none is named: the trunk's last unit ({@code features.18} for MobileNetV2,
     * {@code layer4.1} for ResNet-18).
     *
     * @param net the network
     * @return the last unit's name
     */
    public static String defaultLayer(Network net) { return net.units().getLast().name(); }

    /**
     * The names a layer can be given: every unit, then every trunk child that holds units (meaning its last one).
     *
     * @param net the network
     * @return unit names in forward order, then stage names
     */
    public static List<String> layers(Network net) {
        List<String> units = net.units().stream().map(Network.Unit::name).toList();
        LinkedHashSet<String> out = new LinkedHashSet<>(units);
        for (String u : units) {
            int dot = u.lastIndexOf('.');
            if (dot > 0) out.add(u.substring(0, dot));
        }
        return List.copyOf(out);
    }

    /**
     * The unit a layer name means: the unit of that name, or the last unit of the stage of that name.
     *
     * @param net   the network
     * @param layer a name, or null (or blank) for {@link #defaultLayer}
     * @return the unit's index in {@link Network#units()}
     * @throws BadInputException if the network has no such layer
     */
    public static int unitIndex(Network net, String layer) {
        List<Network.Unit> units = net.units();
        if (layer == null || layer.isBlank()) return units.size() - 1;
        String name = layer.strip();
        for (int i = 0; i < units.size(); i++) if (units.get(i).name().equals(name)) return i;
        for (int i = units.size() - 1; i >= 0; i--) if (units.get(i).name().startsWith(name + ".")) return i;
        throw new BadInputException("no layer '" + layer + "' in " + net.config().architecture() + " to explain at; its layers are "
                + describe(net) + " (a stage name means its last unit)");
    }

    /** "features.0 ... features.18, features" or "conv1, bn1, relu, maxpool, layer1.0 ... layer4.1, layer1, ..." for messages. */
    private static String describe(Network net) {
        List<String> all = layers(net);
        if (all.size() <= 12) return String.join(", ", all);
        List<String> units = net.units().stream().map(Network.Unit::name).toList();
        List<String> stages = all.subList(units.size(), all.size());
        return units.getFirst() + ", " + units.get(1) + " ... " + units.getLast() + (stages.isEmpty() ? "" : ", " + String.join(", ", stages));
    }

    /**
     * The unit this explainer works at.
     *
     * @return its torch-style name, e.g. {@code features.18}
     */
    public String layer() { return layer; }

    /**
     * The unit's index in {@link Network#units()}.
     *
     * @return the index
     */
    public int unit() { return unit; }

    /**
     * One Grad-CAM pass. in x (N,H,W,3) -> N maps of the unit's (h, w).
     *
     * @param x      prepared images
     * @param output for each image's logits (all outputs of the network), the output to explain
     * @return the logits and the maps
     * @throws IllegalArgumentException if {@code output} gives an index outside the logits
     */
    public Result run(Tensor x, ToIntFunction<float[]> output) {
        Tensor a = Inference.forward(prefix, x);                       // (N,h,w,C)
        Layer classifier = net.classifier();
        List<Parameter> frozen = new ArrayList<>();
        boolean wasTraining = net.isTraining();
        net.train(false);
        for (Layer l : rest) freeze(l, frozen);
        freeze(classifier, frozen);
        try {
            rest.forEach(l -> l.setRecording(true));
            classifier.setRecording(true);
            Tensor f = a.copy();                                       // a copy: a ReLU(inplace=True) after the layer must not change A
            for (Layer l : rest) f = l.forward(f);
            Tensor logits = classifier.forward(Pool.globalAverage(f));
            int n = logits.dim(0), k = logits.dim(1);
            float[][] rows = new float[n][];
            Tensor dLogits = Tensor.zeros(n, k);
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(logits.data, i * k, (i + 1) * k);
                int o = output.applyAsInt(rows[i]);
                if (o < 0 || o >= k) throw new IllegalArgumentException("output " + o + " is not one of the network's " + k);
                dLogits.data[i * k + o] = 1f;                          // d(logit_o)/d(logits)
            }
            Tensor d = Pool.globalAverageBackward(classifier.backward(dLogits), f.dim(1), f.dim(2));
            for (int i = rest.size() - 1; i >= 0; i--) d = rest.get(i).backward(d);
            return new Result(rows, maps(a, d));
        } finally {
            rest.forEach(l -> l.setRecording(false));
            classifier.setRecording(false);
            frozen.forEach(p -> p.setTrainable(true));
            net.train(wasTraining);
        }
    }

    /** Marks the layer's trainable parameters frozen for the pass and remembers them to restore. */
    private static void freeze(Layer l, List<Parameter> frozen) {
        for (Parameter p : l.parameters()) {
            if (p.trainable()) {
                p.setTrainable(false);
                frozen.add(p);
            }
        }
    }

    /** a, da (N,h,w,C) -> N maps (h,w): ReLU(Σ_c mean_ij(da_c) · a_c), summed in double. */
    static List<Heatmap> maps(Tensor a, Tensor da) {
        int n = a.dim(0), h = a.dim(1), w = a.dim(2), c = a.dim(3), hw = h * w;
        List<Heatmap> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] alpha = new double[c];
            int base = i * hw * c;
            for (int p = 0; p < hw; p++) for (int ch = 0; ch < c; ch++) alpha[ch] += da.data[base + p * c + ch];
            for (int ch = 0; ch < c; ch++) alpha[ch] /= hw;
            float[] map = new float[hw];
            for (int p = 0; p < hw; p++) {
                double s = 0;
                for (int ch = 0; ch < c; ch++) s += alpha[ch] * a.data[base + p * c + ch];
                map[p] = (float) Math.max(0, s);
            }
            out.add(new Heatmap(h, w, map));
        }
        return out;
    }
}
