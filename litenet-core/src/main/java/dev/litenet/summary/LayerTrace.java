package dev.litenet.summary;

import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.Trace;
import dev.litenet.summary.LayerInfo.ParamInfo;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the rows of a summary from one traced forward, as torchinfo's forward pre-hooks and hooks do: a row
 * is opened when a layer is entered (so parents come before children and depth indices count calls in order)
 * and completed when it returns.
 */
public final class LayerTrace implements Trace {
    private record Open(Layer layer, String path, int depth, int depthIndex, int row, List<Integer> inputShape) {}

    private final List<LayerInfo> rows = new ArrayList<>();
    private final Deque<Open> open = new ArrayDeque<>();
    private final Map<Integer, Integer> callsAtDepth = new HashMap<>();
    private final Set<Tensor> outputsSeen = Collections.newSetFromMap(new IdentityHashMap<>());

    private LayerTrace(Tensor modelInput) {
        outputsSeen.add(modelInput);
    }

    /**
     * Runs the model once in eval mode on zeros of the given torch shape (NCHW for images) and returns one row
     * per layer call. Turns recording off; restores train/eval mode afterwards.
     */
    public static List<LayerInfo> collect(Layer model, List<Integer> inputShape) {
        Tensor x = Tensor.zeros(engineShape(inputShape));
        LayerTrace trace = new LayerTrace(x);
        boolean wasTraining = model.isTraining();
        model.train(false);
        model.setRecording(false);
        try {
            Scratch.keeping(() -> model.traced(x, trace));   // outputs are told apart by identity: none recycled
        } finally {
            model.train(wasTraining);
        }
        return List.copyOf(trace.rows);
    }

    @Override public void enter(Layer layer, Tensor input) {
        Open parent = open.peek();
        int depth = open.size();
        String path = parent == null ? "" : join(parent.path(), nameIn(parent.layer(), layer));
        int depthIndex = callsAtDepth.merge(depth, 1, Integer::sum);
        rows.add(null);                                            // filled in when the layer returns
        open.push(new Open(layer, path, depth, depthIndex, rows.size() - 1, torchShape(input)));
    }

    @Override public void exit(Layer layer, Tensor output) {
        Open call = open.pop();
        if (call.layer() != layer) throw new IllegalStateException("trace out of order at " + layer.typeName());
        List<Integer> outputShape = torchShape(output);
        rows.set(call.row(), new LayerInfo(call.path(), layer.typeName(), call.depth(), call.depthIndex(),
                layer.children().isEmpty(), call.inputShape(), outputShape, outputsSeen.add(output),
                parameters(layer), kernelSize(layer), macs(layer, LayerInfo.product(outputShape))));
    }

    /**
     * True multiply-adds, every convolution and linear layer counted once, biases not counted:
     * a convolution does (in/groups)·k·k per output element, a linear layer {@code in} per output element.
     */
    static long macs(Layer layer, long outputElements) {
        return switch (layer) {
            case Conv2d c -> outputElements * (c.in / c.groups) * c.k * c.k;
            case Linear l -> outputElements * l.in;
            default -> 0;
        };
    }

    private static List<Integer> kernelSize(Layer layer) {
        return layer instanceof Conv2d c ? List.of(c.k, c.k) : List.of();
    }

    private static List<ParamInfo> parameters(Layer layer) {
        List<ParamInfo> out = new ArrayList<>();
        layer.namedParameters().forEach((name, p) -> out.add(new ParamInfo(name, toList(p.shape()), p.trainable())));
        return out;
    }

    private static String nameIn(Layer parent, Layer child) {
        for (Map.Entry<String, Layer> e : parent.children().entrySet()) if (e.getValue() == child) return e.getKey();
        return child.typeName();
    }

    private static String join(String parent, String name) { return parent.isEmpty() ? name : parent + "." + name; }

    /** The engine's NHWC image shape in torch's NCHW order; other ranks are the same in both. */
    static List<Integer> torchShape(Tensor t) {
        int[] s = t.shape;
        return s.length == 4 ? List.of(s[0], s[3], s[1], s[2]) : toList(s);
    }

    /** Torch's NCHW image shape in the engine's NHWC order. */
    static int[] engineShape(List<Integer> torchShape) {
        int[] s = torchShape.stream().mapToInt(Integer::intValue).toArray();
        return s.length == 4 ? new int[]{s[0], s[2], s[3], s[1]} : s;
    }

    private static List<Integer> toList(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int v : a) out.add(v);
        return out;
    }
}
