package dev.litenet.export;

import dev.litenet.export.Graph.Act;
import dev.litenet.export.Graph.Op;
import dev.litenet.export.Graph.Value;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Hardsigmoid;
import dev.litenet.nn.Hardswish;
import dev.litenet.nn.SiLU;
import dev.litenet.nn.Sigmoid;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Tensor;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Runs a {@link Graph} in float, op by op: what the exported file computes, before any writer. Convs run on LiteNet's
 * kernels (built once per op); everything else is a plain loop. Used to calibrate int8 activation ranges (every value
 * of every calibration image is seen) and to hold a graph to the network it was lowered from. Thread-safe.
 * in: the graph's input for one image, (1,S,S,3) -> each output.
 */
public final class GraphRunner {
    private final Graph graph;
    private final Map<Op, Conv2d> convs = new IdentityHashMap<>();

    public GraphRunner(Graph graph) {
        this.graph = graph;
        for (Op op : graph.ops()) if (op instanceof Graph.Conv c) convs.put(op, layer(c));
    }

    /** The graph's outputs (logits, probabilities) for one input. */
    public List<Tensor> run(Tensor input) { return run(input, (v, t) -> { }); }

    /** Runs the graph, showing every value (the input first) to {@code seen} as it is made. */
    public List<Tensor> run(Tensor input, BiConsumer<Value, Tensor> seen) {
        Map<Value, Tensor> values = new HashMap<>();
        values.put(graph.input(), input);
        seen.accept(graph.input(), input);
        for (Op op : graph.ops()) {
            List<Tensor> in = op.inputs().stream().map(values::get).toList();
            List<Tensor> out = apply(op, in);
            for (int i = 0; i < out.size(); i++) {
                Value v = op.outputs().get(i);
                Tensor t = out.get(i);
                if (t.size() != v.size()) throw new IllegalStateException(op.name() + ": " + t.shapeString() + " for " + v);
                values.put(v, t.reshape(v.shape()));
                seen.accept(v, values.get(v));
            }
        }
        return graph.outputs().stream().map(values::get).toList();
    }

    private List<Tensor> apply(Op op, List<Tensor> in) {
        Tensor x = in.getFirst();
        return switch (op) {
            case Graph.Conv c -> List.of(convs.get(op).forward(x));
            case Graph.Dense d -> List.of(dense(d, x));
            case Graph.Add a -> List.of(activate(zip(x, in.get(1), Float::sum), a.act()));
            case Graph.Mul m -> List.of(zip(x, in.get(1), (p, q) -> p * q));
            case Graph.Activation a -> List.of(unary(a.kind(), x));
            case Graph.MaxPool p -> List.of(maxPool(p, x));
            case Graph.Mean m -> List.of(mean(m, x));
            case Graph.Concat c -> List.of(concat(c, in));
            case Graph.Split s -> split(s, x);
            case Graph.Gather g -> List.of(gather(g, x));
            case Graph.Reverse r -> List.of(reverse(r, x));
            case Graph.Reshape r -> List.of(new Tensor(x.data.clone(), r.out().shape()));
            case Graph.Softmax s -> List.of(softmax(x));
            case Graph.Affine a -> List.of(affine(a, x));
        };
    }

    /** The op as a LiteNet conv: torch's symmetric padding or TF SAME, whichever gives the op's padding. */
    private static Conv2d layer(Graph.Conv c) {
        Conv2d conv = new Conv2d(c.inChannels(), c.outChannels(), c.k(), c.stride(), c.groups(), true);
        conv.weight.fromTorch(c.weight());
        System.arraycopy(c.bias(), 0, conv.bias.data, 0, c.bias().length);
        int h = c.in().shape()[1], w = c.in().shape()[2];
        if (!pads(conv.geometry(h, w), c).equals(List.of(c.pads()[0], c.pads()[1], c.pads()[2], c.pads()[3]))) {
            conv.setPad(c.pads()[0]);
            if (!pads(conv.geometry(h, w), c).equals(List.of(c.pads()[0], c.pads()[1], c.pads()[2], c.pads()[3]))) {
                conv.setPadding(Padding.TF_SAME);
                if (!pads(conv.geometry(h, w), c).equals(List.of(c.pads()[0], c.pads()[1], c.pads()[2], c.pads()[3]))) {
                    throw new IllegalStateException(c.name() + ": padding " + java.util.Arrays.toString(c.pads()) + " is neither torch's nor TF SAME");
                }
            }
        }
        switch (c.act()) {
            case RELU -> conv.setClamp(0f, Float.POSITIVE_INFINITY);
            case RELU6 -> conv.setClamp(0f, 6f);
            case NONE -> { }
        }
        conv.train(false);
        return conv;
    }

    private static List<Integer> pads(Padding.Geometry g, Graph.Conv c) {
        return List.of(g.padTop(), g.padLeft(), Lowering.endPad(g.inH(), g.outH(), c.k(), c.stride(), g.padTop()),
                Lowering.endPad(g.inW(), g.outW(), c.k(), c.stride(), g.padLeft()));
    }

    // (N, in) -> (N, out)
    private static Tensor dense(Graph.Dense d, Tensor x) {
        int n = x.dim(0), in = x.size() / n, out = d.bias().length;
        Tensor y = Tensor.zeros(n, out);
        for (int b = 0; b < n; b++)
            for (int o = 0; o < out; o++) {
                double s = d.bias()[o];
                for (int i = 0; i < in; i++) s += (double) x.data[b * in + i] * d.weight()[o * in + i];
                y.data[b * out + o] = (float) s;
            }
        return activate(y, d.act());
    }

    private static Tensor activate(Tensor y, Act act) {
        if (act == Act.NONE) return y;
        float hi = act == Act.RELU6 ? 6f : Float.POSITIVE_INFINITY;
        for (int i = 0; i < y.data.length; i++) y.data[i] = Math.min(hi, Math.max(0f, y.data[i]));
        return y;
    }

    /** a ∘ b element by element, b the same size as a or one value per (image, channel). */
    private static Tensor zip(Tensor a, Tensor b, java.util.function.BinaryOperator<Float> f) {
        Tensor y = Tensor.zeros(a.shape);
        int c = a.dim(-1), n = a.dim(0), per = a.size() / n;
        for (int i = 0; i < a.data.length; i++) {
            int j = b.size() == a.size() ? i : (i / per) * c + i % c;
            y.data[i] = f.apply(a.data[i], b.data[j]);
        }
        return y;
    }

    private static Tensor unary(Graph.Unary kind, Tensor x) {
        Tensor y = x.copy();
        float[] v = y.data;
        switch (kind) {
            case RELU -> { for (int i = 0; i < v.length; i++) v[i] = Math.max(0f, v[i]); }
            case RELU6 -> { for (int i = 0; i < v.length; i++) v[i] = Math.min(6f, Math.max(0f, v[i])); }
            case HARDSWISH -> Hardswish.apply(v, 0, v.length);
            case HARDSIGMOID -> Hardsigmoid.apply(v, 0, v.length);
            case SIGMOID -> Sigmoid.apply(v, 0, v.length);
            case SILU -> SiLU.apply(v, 0, v.length);
        }
        return y;
    }

    // (N,H,W,C) -> (N,OH,OW,C); padding cells never win
    private static Tensor maxPool(Graph.MaxPool p, Tensor x) {
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3), oh = p.out().shape()[1], ow = p.out().shape()[2];
        Tensor y = Tensor.zeros(n, oh, ow, c);
        for (int b = 0; b < n; b++)
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                    for (int ch = 0; ch < c; ch++) {
                        float best = Float.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < p.k(); ky++) {
                            int iy = oy * p.stride() - p.pads()[0] + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < p.k(); kx++) {
                                int ix = ox * p.stride() - p.pads()[1] + kx;
                                if (ix >= 0 && ix < w) best = Math.max(best, x.data[((b * h + iy) * w + ix) * c + ch]);
                            }
                        }
                        y.data[((b * oh + oy) * ow + ox) * c + ch] = best;
                    }
        return y;
    }

    /** The mean over the axes {1,2} of an image or {0} of stacked views. */
    private static Tensor mean(Graph.Mean m, Tensor x) {
        int[] axes = m.axes();
        Tensor y = Tensor.zeros(m.out().shape());
        if (axes.length == 2 && axes[0] == 1 && axes[1] == 2) {
            int n = x.dim(0), hw = x.dim(1) * x.dim(2), c = x.dim(3);
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int p = 0; p < hw; p++) s += x.data[(b * hw + p) * c + ch];
                    y.data[b * c + ch] = (float) (s / hw);
                }
        } else if (axes.length == 1 && axes[0] == 0) {
            int k = x.dim(0), per = x.size() / k;
            for (int i = 0; i < per; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) s += x.data[j * per + i];
                y.data[i] = (float) (s / k);
            }
        } else {
            throw new IllegalStateException(m.name() + ": mean over axes " + java.util.Arrays.toString(axes));
        }
        return y;
    }

    /** Joined along the op's axis: every input seen as (outer, size along the axis · inner). */
    private static Tensor concat(Graph.Concat c, List<Tensor> in) {
        Tensor y = Tensor.zeros(c.out().shape());
        int outer = outer(c.out().shape(), c.axis()), yRow = y.size() / outer, at = 0;
        for (Tensor t : in) {
            int row = t.size() / outer;
            for (int o = 0; o < outer; o++) System.arraycopy(t.data, o * row, y.data, o * yRow + at, row);
            at += row;
        }
        return y;
    }

    private static List<Tensor> split(Graph.Split s, Tensor x) {
        int outer = outer(x.shape, s.axis()), row = x.size() / outer, at = 0;
        List<Tensor> out = new java.util.ArrayList<>();
        for (Value v : s.outs()) {
            Tensor t = Tensor.zeros(v.shape());
            int part = t.size() / outer;
            for (int o = 0; o < outer; o++) System.arraycopy(x.data, o * row + at, t.data, o * part, part);
            at += part;
            out.add(t);
        }
        return out;
    }

    private static int outer(int[] shape, int axis) {
        int outer = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        return outer;
    }

    // along the last axis (channels)
    private static Tensor gather(Graph.Gather g, Tensor x) {
        if (g.axis() != x.rank() - 1) throw new IllegalStateException(g.name() + ": gather along axis " + g.axis());
        Tensor y = Tensor.zeros(x.shape);
        int c = x.dim(-1);
        for (int p = 0; p < x.size() / c; p++)
            for (int i = 0; i < c; i++) y.data[p * c + i] = x.data[p * c + g.indices()[i]];
        return y;
    }

    // (N,H,W,C) mirrored along W
    private static Tensor reverse(Graph.Reverse r, Tensor x) {
        if (r.axis() != 2 || x.rank() != 4) throw new IllegalStateException(r.name() + ": reverse along axis " + r.axis());
        Tensor y = Tensor.zeros(x.shape);
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
        for (int b = 0; b < n; b++)
            for (int yy = 0; yy < h; yy++)
                for (int xx = 0; xx < w; xx++)
                    System.arraycopy(x.data, ((b * h + yy) * w + xx) * c, y.data, ((b * h + yy) * w + (w - 1 - xx)) * c, c);
        return y;
    }

    // over the last axis
    private static Tensor softmax(Tensor x) {
        Tensor y = Tensor.zeros(x.shape);
        int c = x.dim(-1);
        for (int r = 0; r < x.size() / c; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < c; i++) max = Math.max(max, x.data[r * c + i]);
            double sum = 0;
            for (int i = 0; i < c; i++) sum += Math.exp(x.data[r * c + i] - max);
            for (int i = 0; i < c; i++) y.data[r * c + i] = (float) (Math.exp(x.data[r * c + i] - max) / sum);
        }
        return y;
    }

    private static Tensor affine(Graph.Affine a, Tensor x) {
        Tensor y = Tensor.zeros(x.shape);
        int c = x.dim(-1);
        for (int i = 0; i < x.data.length; i++) y.data[i] = x.data[i] * a.scale()[i % c] + a.shift()[i % c];
        return y;
    }
}
