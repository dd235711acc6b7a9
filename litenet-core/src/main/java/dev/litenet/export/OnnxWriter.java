package dev.litenet.export;

import dev.litenet.export.Graph.Act;
import dev.litenet.export.Graph.Op;
import dev.litenet.export.Graph.Value;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Graph} as an ONNX model (onnx/onnx {@code onnx.proto}, IR version {@value #IR_VERSION}, default-domain opset
 * {@value #OPSET}), written by hand as protobuf. Images are NCHW as ONNX users expect: the input is
 * {@code image [batch, 3, S, S]} with a dynamic batch, the outputs {@code logits} and {@code probabilities}
 * {@code [batch, classes]}. Node and initializer names are the module paths the ops came from
 * ({@code features.1.conv.0.weight}, BatchNorm folded in); {@code metadata} goes into {@code metadata_props}.
 */
final class OnnxWriter {
    static final int IR_VERSION = 8, OPSET = 17;
    // TensorProto.DataType
    private static final int FLOAT = 1, INT64 = 7;
    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS = 7;
    private static final String BATCH = "batch";

    private final Graph graph;
    private final Protobuf body = new Protobuf();               // GraphProto fields: nodes, then initializers
    private final List<Protobuf> initializers = new ArrayList<>();
    private final Set<String> constants = new HashSet<>();
    private int nodes;

    private OnnxWriter(Graph graph) { this.graph = graph; }

    /** The model file's bytes. */
    static byte[] write(Graph graph, String graphName, String docString, String producerVersion, Map<String, String> metadata) {
        OnnxWriter w = new OnnxWriter(graph);
        for (Op op : graph.ops()) w.op(op);
        Protobuf g = w.body;
        g.string(2, graphName);
        for (Protobuf t : w.initializers) g.message(5, t);
        g.string(10, docString);
        g.message(11, valueInfo(graph.input().name(), nchw(graph.input().shape())));
        for (Value out : graph.outputs()) g.message(12, valueInfo(out.name(), out.shape()));
        Protobuf model = new Protobuf()
                .int64(1, IR_VERSION)
                .string(2, "LiteNet")
                .string(3, producerVersion)
                .string(4, "dev.litenet")
                .int64(5, 1)
                .string(6, docString)
                .message(7, g)
                .message(8, new Protobuf().string(1, "").int64(2, OPSET));
        metadata.forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v)));
        return model.toByteArray();
    }

    // ---- ops ----------------------------------------------------------------------------------------------------

    private void op(Op op) {
        switch (op) {
            case Graph.Conv c -> {
                String w = initializer(c.name() + ".weight", new long[] {c.outChannels(), c.inChannels() / c.groups(), c.k(), c.k()}, c.weight());
                String b = initializer(c.name() + ".bias", new long[] {c.outChannels()}, c.bias());
                String y = c.act() == Act.NONE ? c.out().name() : c.out().name() + ".conv";
                node("Conv", c.name(), List.of(c.in().name(), w, b), List.of(y),
                        ints("kernel_shape", c.k(), c.k()), ints("strides", c.stride(), c.stride()),
                        ints("pads", c.pads()[0], c.pads()[1], c.pads()[2], c.pads()[3]), integer("group", c.groups()));
                act(c.name(), y, c.out().name(), c.act());
            }
            case Graph.Dense d -> {
                String w = initializer(d.name() + ".weight", new long[] {d.out().channels(), d.in().channels()}, d.weight());
                String b = initializer(d.name() + ".bias", new long[] {d.out().channels()}, d.bias());
                String y = d.act() == Act.NONE ? d.out().name() : d.out().name() + ".gemm";
                node("Gemm", d.name(), List.of(d.in().name(), w, b), List.of(y), integer("transB", 1));
                act(d.name(), y, d.out().name(), d.act());
            }
            case Graph.Add a -> {
                String y = a.act() == Act.NONE ? a.out().name() : a.out().name() + ".sum";
                node("Add", a.name(), List.of(a.a().name(), a.b().name()), List.of(y));
                act(a.name(), y, a.out().name(), a.act());
            }
            case Graph.Mul m -> node("Mul", m.name(), List.of(m.a().name(), m.b().name()), List.of(m.out().name()));
            case Graph.Activation a -> {
                String x = a.in().name(), y = a.out().name();
                switch (a.kind()) {
                    case RELU -> act(a.name(), x, y, Act.RELU);
                    case RELU6 -> act(a.name(), x, y, Act.RELU6);
                    case HARDSWISH -> node("HardSwish", a.name(), List.of(x), List.of(y));
                    case HARDSIGMOID -> node("HardSigmoid", a.name(), List.of(x), List.of(y), real("alpha", 1f / 6f), real("beta", 0.5f));
                    case SIGMOID -> node("Sigmoid", a.name(), List.of(x), List.of(y));
                    case SILU -> {                                       // x·σ(x): opset 17 has no SiLU
                        node("Sigmoid", a.name() + ".sigmoid", List.of(x), List.of(y + ".sigmoid"));
                        node("Mul", a.name(), List.of(x, y + ".sigmoid"), List.of(y));
                    }
                }
            }
            case Graph.MaxPool p -> node("MaxPool", p.name(), List.of(p.in().name()), List.of(p.out().name()),
                    ints("kernel_shape", p.k(), p.k()), ints("strides", p.stride(), p.stride()),
                    ints("pads", p.pads()[0], p.pads()[1], p.pads()[2], p.pads()[3]));
            case Graph.Mean m -> {
                long[] axes = new long[m.axes().length];
                for (int i = 0; i < axes.length; i++) axes[i] = axis(m.in(), m.axes()[i]);
                node("ReduceMean", m.name(), List.of(m.in().name()), List.of(m.out().name()), ints("axes", axes), integer("keepdims", m.keepDims() ? 1 : 0));
            }
            case Graph.Concat c -> node("Concat", c.name(), c.ins().stream().map(Value::name).toList(), List.of(c.out().name()),
                    integer("axis", axis(c.out(), c.axis())));
            case Graph.Split s -> {
                long[] sizes = s.outs().stream().mapToLong(v -> v.shape()[s.axis()]).toArray();
                String split = int64s(s.name() + ".split", sizes);
                node("Split", s.name(), List.of(s.in().name(), split), s.outs().stream().map(Value::name).toList(), integer("axis", axis(s.in(), s.axis())));
            }
            case Graph.Gather g -> {
                long[] idx = new long[g.indices().length];
                for (int i = 0; i < idx.length; i++) idx[i] = g.indices()[i];
                node("Gather", g.name(), List.of(g.in().name(), int64s(g.name() + ".indices", idx)), List.of(g.out().name()),
                        integer("axis", axis(g.in(), g.axis())));
            }
            case Graph.Reverse r -> node("Slice", r.name(), List.of(r.in().name(), int64s(r.name() + ".starts", -1),
                    int64s(r.name() + ".ends", Long.MIN_VALUE), int64s(r.name() + ".axes", axis(r.in(), r.axis())),
                    int64s(r.name() + ".steps", -1)), List.of(r.out().name()));
            case Graph.Reshape r -> {
                if (r.in().rank() == 4 && r.in().shape()[1] * r.in().shape()[2] != 1) {
                    throw new IllegalStateException(r.name() + ": a reshape of " + r.in() + " reads NHWC and NCHW differently");
                }
                long[] target = new long[r.target().length];
                for (int i = 0; i < target.length; i++) target[i] = r.target()[i];
                node("Reshape", r.name(), List.of(r.in().name(), int64s(r.name() + ".shape", target)), List.of(r.out().name()));
            }
            case Graph.Softmax s -> node("Softmax", s.name(), List.of(s.in().name()), List.of(s.out().name()), integer("axis", -1));
            case Graph.Affine a -> {
                long[] shape = a.in().rank() == 4 ? new long[] {1, a.scale().length, 1, 1} : new long[] {a.scale().length};
                String scale = initializer(a.name() + ".scale", shape, a.scale()), shift = initializer(a.name() + ".shift", shape, a.shift());
                node("Mul", a.name() + ".mul", List.of(a.in().name(), scale), List.of(a.out().name() + ".scaled"));
                node("Add", a.name(), List.of(a.out().name() + ".scaled", shift), List.of(a.out().name()));
            }
        }
    }

    /** x -> y through ReLU or ReLU6 (Clip to [0, 6]); NONE writes nothing (x is y). */
    private void act(String name, String x, String y, Act act) {
        switch (act) {
            case NONE -> { }
            case RELU -> node("Relu", name + ".relu", List.of(x), List.of(y));
            case RELU6 -> node("Clip", name + ".relu6", List.of(x, scalar("relu6.min", 0f), scalar("relu6.max", 6f)), List.of(y));
        }
    }

    /** An NHWC axis of a value as ONNX numbers it: images are NCHW there. */
    private static int axis(Value v, int nhwc) { return v.rank() == 4 ? new int[] {0, 2, 3, 1}[nhwc] : nhwc; }

    private static int[] nchw(int[] nhwc) {
        return nhwc.length == 4 ? new int[] {nhwc[0], nhwc[3], nhwc[1], nhwc[2]} : nhwc;
    }

    // ---- protobuf pieces ----------------------------------------------------------------------------------------

    private void node(String opType, String name, List<String> inputs, List<String> outputs, Protobuf... attributes) {
        Protobuf n = new Protobuf();
        for (String i : inputs) n.string(1, i);
        for (String o : outputs) n.string(2, o);
        n.string(3, name).string(4, opType);
        for (Protobuf a : attributes) n.message(5, a);
        body.message(1, n);
        nodes++;
    }

    private static Protobuf ints(String name, long... values) {
        return new Protobuf().string(1, name).packedInt64(8, values).int64(20, ATTR_INTS);
    }

    private static Protobuf ints(String name, int... values) {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) v[i] = values[i];
        return ints(name, v);
    }

    private static Protobuf integer(String name, long value) { return new Protobuf().string(1, name).int64(3, value).int64(20, ATTR_INT); }

    private static Protobuf real(String name, float value) { return new Protobuf().string(1, name).float32(2, value).int64(20, ATTR_FLOAT); }

    /** A float initializer (raw little-endian data); returns its name. */
    private String initializer(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Protobuf t = new Protobuf().packedInt64(1, dims).int64(2, FLOAT).string(8, name).bytes(9, b.array());
        initializers.add(t);
        return name;
    }

    /** A scalar float constant shared by every node that names it. */
    private String scalar(String name, float value) {
        if (constants.add(name)) initializers.add(new Protobuf().int64(2, FLOAT).string(8, name).packedFloat(4, value));
        return name;
    }

    /** A 1-D int64 initializer. */
    private String int64s(String name, long... values) {
        if (constants.add(name)) initializers.add(new Protobuf().packedInt64(1, values.length).int64(2, INT64).string(8, name).packedInt64(7, values));
        return name;
    }

    /** A float tensor's name, type and shape; dimension 0 is the dynamic batch. */
    private static Protobuf valueInfo(String name, int[] shape) {
        Protobuf dims = new Protobuf();
        for (int i = 0; i < shape.length; i++) {
            dims.message(1, i == 0 ? new Protobuf().string(2, BATCH) : new Protobuf().int64(1, shape[i]));
        }
        Protobuf tensor = new Protobuf().int64(1, FLOAT).message(2, dims);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensor));
    }
}
