package dev.litenet.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A network as a graph of ops: what {@link Lowering} makes of a model's layers and what the ONNX and TFLite writers
 * read, so that each writer is a table of ops and each layer type is lowered once. Values are NHWC with the batch
 * first ({@code [N,H,W,C]} images, {@code [N,C]} vectors), shapes given for one image ({@code N = 1}; 2 after the
 * mirrored view of test-time flip is stacked onto the batch); the writers make the batch dynamic where their format
 * allows. BatchNorm is already folded into the convs; weights are in torch's layout ({@code [out, in/groups, k, k]},
 * Linear {@code [out, in]}).
 */
public final class Graph {
    /** A tensor flowing between ops: NHWC, batch first. */
    public record Value(int id, String name, int[] shape) {
        public int rank() { return shape.length; }

        /** The last dimension: channels of an image, features of a vector. */
        public int channels() { return shape[shape.length - 1]; }

        public int size() { return Arrays.stream(shape).reduce(1, (a, b) -> a * b); }

        @Override public String toString() { return name + Arrays.toString(shape); }
    }

    /** An activation a conv, linear or add may end with (TFLite fuses these; ONNX writes them as nodes). */
    public enum Act { NONE, RELU, RELU6 }

    /** Element-wise activations. */
    public enum Unary { RELU, RELU6, HARDSWISH, HARDSIGMOID, SIGMOID, SILU }

    /** Where a conv's or linear's weights came from: the state_dict prefix of its weight and of the BatchNorm folded into it (or null). */
    public record Origin(String weight, String batchNorm) {}

    /** One op; {@code name} is the module path it came from ({@code features.1.conv.0}). */
    public sealed interface Op permits Conv, Dense, Add, Mul, Activation, MaxPool, Mean, Concat, Split, Gather, Reverse,
            Reshape, Softmax, Affine {
        String name();

        List<Value> inputs();

        List<Value> outputs();

        default Value out() { return outputs().getFirst(); }
    }

    /**
     * 2-D convolution, dense ({@code groups} 1) or depthwise ({@code groups} = channels), explicit padding
     * {@code pads = [top, left, bottom, right]}, then {@code act}. in (N,H,W,Cin) -> out (N,OH,OW,Cout).
     */
    public record Conv(String name, Value in, Value out, float[] weight, float[] bias, int k, int stride, int groups,
                       int[] pads, Act act, Origin origin) implements Op {
        public boolean depthwise() { return groups > 1; }

        public int inChannels() { return in.channels(); }

        public int outChannels() { return out.channels(); }

        Conv withAct(Act a, Value newOut) { return new Conv(name, in, newOut, weight, bias, k, stride, groups, pads, a, origin); }

        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** Linear: {@code y = x·Wᵀ + b}, weight {@code [out, in]}, then {@code act}. in (N, in) -> out (N, out). */
    public record Dense(String name, Value in, Value out, float[] weight, float[] bias, Act act, Origin origin) implements Op {
        Dense withAct(Act a, Value newOut) { return new Dense(name, in, newOut, weight, bias, a, origin); }

        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** a + b (same shape), then {@code act}: residual connections. */
    public record Add(String name, Value a, Value b, Value out, Act act) implements Op {
        Add withAct(Act x, Value newOut) { return new Add(name, a, b, newOut, x); }

        @Override public List<Value> inputs() { return List.of(a, b); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** a · b, b of a's shape or (N,1,1,C) broadcast over the image: squeeze-and-excitation's scale. */
    public record Mul(String name, Value a, Value b, Value out) implements Op {
        @Override public List<Value> inputs() { return List.of(a, b); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** An element-wise activation. */
    public record Activation(String name, Unary kind, Value in, Value out) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** Max pooling, k×k with the stride, explicit padding that never wins ({@code [top, left, bottom, right]}). */
    public record MaxPool(String name, Value in, Value out, int k, int stride, int[] pads) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** The mean over {@code axes} (NHWC axes), keeping them as size 1 or dropping them. */
    public record Mean(String name, Value in, Value out, int[] axes, boolean keepDims) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** Values joined along an axis. */
    public record Concat(String name, List<Value> ins, Value out, int axis) implements Op {
        @Override public List<Value> inputs() { return ins; }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** A value cut along an axis into parts of the outputs' sizes. */
    public record Split(String name, Value in, List<Value> outs, int axis) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return outs; }
    }

    /** {@code out[..., i, ...] = in[..., indices[i], ...]} along an axis: a channel permutation (ShuffleNet's shuffle). */
    public record Gather(String name, Value in, Value out, int axis, int[] indices) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** The value mirrored along an axis (test-time flip's mirrored view: the width axis). */
    public record Reverse(String name, Value in, Value out, int axis) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /**
     * The same values in another shape: {@code target} is the new shape with -1 where the batch goes (the writers'
     * dynamic dimension); {@code out.shape()} is it for this graph's batch. Only reshapes that keep NHWC's and NCHW's
     * element orders alike (an image of 1×1 pixels to a vector, vectors to vectors) are made.
     */
    public record Reshape(String name, Value in, Value out, int[] target) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** Softmax over the last axis. */
    public record Softmax(String name, Value in, Value out) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    /** {@code out = in · scale[c] + shift[c]} per channel (the last axis): a BatchNorm without a conv before it, or input normalization. */
    public record Affine(String name, Value in, Value out, float[] scale, float[] shift) implements Op {
        @Override public List<Value> inputs() { return List.of(in); }

        @Override public List<Value> outputs() { return List.of(out); }
    }

    private final List<Value> values = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<String, Integer> names = new HashMap<>();
    private Value input;
    private final List<Value> outputs = new ArrayList<>();

    /** A new value with a name unique in this graph (a repeated name gets a suffix). */
    Value value(String name, int... shape) {
        int seen = names.merge(name, 1, Integer::sum);
        Value v = new Value(values.size(), seen == 1 ? name : name + "_" + (seen - 1), shape.clone());
        values.add(v);
        return v;
    }

    <O extends Op> O add(O op) {
        ops.add(op);
        return op;
    }

    void setInput(Value v) { input = v; }

    void addOutput(Value v) { outputs.add(v); }

    public Value input() { return input; }

    public List<Value> outputs() { return Collections.unmodifiableList(outputs); }

    public List<Op> ops() { return Collections.unmodifiableList(ops); }

    public List<Value> values() { return Collections.unmodifiableList(values); }

    /** The ops that read a value. */
    public List<Op> consumers(Value v) {
        List<Op> out = new ArrayList<>();
        for (Op op : ops) if (op.inputs().contains(v)) out.add(op);
        return out;
    }

    /** The op that writes a value, or null for the input. */
    public Op producer(Value v) {
        for (Op op : ops) if (op.outputs().contains(v)) return op;
        return null;
    }

    /**
     * Folds a ReLU or ReLU6 into the conv, linear or add before it when that op's output is read by the activation
     * alone: TFLite's fused activations, and one op less to run.
     */
    void fuseActivations() {
        for (int i = 0; i + 1 < ops.size(); i++) {
            if (!(ops.get(i + 1) instanceof Activation a) || !(a.kind() == Unary.RELU || a.kind() == Unary.RELU6)) continue;
            Op op = ops.get(i);
            if (!op.outputs().equals(List.of(a.in())) || consumers(a.in()).size() != 1 || outputs.contains(a.in())) continue;
            Act act = a.kind() == Unary.RELU ? Act.RELU : Act.RELU6;
            Op fused = switch (op) {
                case Conv c when c.act() == Act.NONE -> c.withAct(act, a.out());
                case Dense d when d.act() == Act.NONE -> d.withAct(act, a.out());
                case Add s when s.act() == Act.NONE -> s.withAct(act, a.out());
                default -> null;
            };
            if (fused == null) continue;
            ops.set(i, fused);
            ops.remove(i + 1);
        }
    }

    /** Counts of each kind of op, for messages and docs: {@code Conv=52, Add=10, ...}. */
    public Map<String, Integer> opCounts() {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Op op : ops) counts.merge(op.getClass().getSimpleName(), 1, Integer::sum);
        return counts;
    }
}
