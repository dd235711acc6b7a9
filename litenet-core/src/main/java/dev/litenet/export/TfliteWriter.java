package dev.litenet.export;

import dev.litenet.export.Graph.Act;
import dev.litenet.export.Graph.Op;
import dev.litenet.export.Graph.Value;
import dev.litenet.export.Int8Plan.Params;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Graph} as a TFLite flatbuffer (tensorflow/lite/schema/schema.fbs, schema version 3, identifier "TFL3"):
 * NHWC as TFLite runs, batch 1 (what Android's Task Library takes), one subgraph with a {@code serving_default}
 * signature, input {@code image}, outputs {@code logits} and {@code probabilities}. Float files are float32
 * throughout; with an {@link Int8Plan} the file is full-integer: a uint8 image is requantized to int8 (QUANTIZE), every
 * op runs on int8 with per-channel int8 weights and int32 biases, and the outputs are requantized to uint8 (what the
 * Task Library reads). Convs whose padding is neither SAME nor VALID get an explicit PAD first; ops TFLite lacks are
 * spelled with ones it has (hard sigmoid as {@code ADD 3, RELU6, MUL 1/6}; SiLU as {@code LOGISTIC, MUL}).
 * {@code metadata} entries are stored as named buffers ({@code TFLITE_METADATA} is the Task Library's).
 */
final class TfliteWriter {
    // TensorType
    static final int FLOAT32 = 0, INT32 = 2, UINT8 = 3, INT8 = 9;
    // BuiltinOperator
    static final int ADD = 0, CONCATENATION = 2, CONV_2D = 3, DEPTHWISE_CONV_2D = 4, FULLY_CONNECTED = 9, LOGISTIC = 14,
            MAX_POOL_2D = 17, MUL = 18, RELU = 19, RELU6 = 21, RESHAPE = 22, SOFTMAX = 25, PAD = 34, GATHER = 36, MEAN = 40,
            SPLIT = 49, PADV2 = 60, REVERSE_V2 = 105, QUANTIZE = 114, HARD_SWISH = 117;
    // BuiltinOptions union
    private static final int CONV2D_OPTIONS = 1, DEPTHWISE_OPTIONS = 2, POOL2D_OPTIONS = 5, FULLY_CONNECTED_OPTIONS = 8,
            SOFTMAX_OPTIONS = 9, CONCATENATION_OPTIONS = 10, ADD_OPTIONS = 11, RESHAPE_OPTIONS = 17, MUL_OPTIONS = 21,
            PAD_OPTIONS = 22, GATHER_OPTIONS = 23, REDUCER_OPTIONS = 27, SPLIT_OPTIONS = 35, PADV2_OPTIONS = 43,
            REVERSE_V2_OPTIONS = 81, QUANTIZE_OPTIONS = 89, HARD_SWISH_OPTIONS = 91;
    // Padding, ActivationFunctionType
    private static final int SAME = 0, VALID = 1;
    private static final int ACT_NONE = 0, ACT_RELU = 1, ACT_RELU6 = 3;

    /** A tensor of the file: its quantization per tensor ({@code scales.length == 1}), per channel, or none. */
    private record TensorSpec(String name, int[] shape, int type, int buffer, float[] scales, long[] zeroPoints, int quantizedDimension) {}

    /** Options table of an operator, written when the file is. */
    @FunctionalInterface
    private interface Options { int write(FlatBufferBuilder b); }

    private record OpSpec(int builtin, int[] inputs, int[] outputs, int optionsType, Options options) {}

    private final Graph graph;
    private final Int8Plan int8;                        // null: float32
    private final List<TensorSpec> tensors = new ArrayList<>();
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<OpSpec> ops = new ArrayList<>();
    private final Map<Value, Integer> tensorOf = new HashMap<>();
    private final Map<String, Integer> constants = new HashMap<>();
    private int inputTensor;
    private final List<Integer> outputTensors = new ArrayList<>();

    private TfliteWriter(Graph graph, Int8Plan int8) {
        this.graph = graph;
        this.int8 = int8;
        buffers.add(new byte[0]);                          // buffer 0: the empty buffer every activation points to
    }

    /**
     * The file's bytes: the flatbuffer, with {@code metadata} entries (name to bytes) as named buffers.
     *
     * @param int8 null for a float32 file
     */
    static byte[] write(Graph graph, Int8Plan int8, String description, Map<String, byte[]> metadata) {
        TfliteWriter w = new TfliteWriter(graph, int8);
        w.build();
        return w.serialize(description, metadata);
    }

    // ---- the graph as tensors and ops ---------------------------------------------------------------------------

    private void build() {
        Value in = graph.input();
        if (int8 == null) {
            inputTensor = activation(in, "image");
        } else {
            Params u = int8.input();
            inputTensor = tensor("image", in.shape(), UINT8, 0, u);
            op(QUANTIZE, new int[] {inputTensor}, new int[] {activation(in, "image_int8")}, QUANTIZE_OPTIONS, b -> empty(b));
        }
        for (Op op : graph.ops()) lower(op);
        for (Value out : graph.outputs()) {
            if (int8 == null) {
                outputTensors.add(tensorOf.get(out));
            } else {
                int t = tensor(out.name(), out.shape(), UINT8, 0, int8.of(out).asUint8());
                op(QUANTIZE, new int[] {tensorOf.get(out)}, new int[] {t}, QUANTIZE_OPTIONS, b -> empty(b));
                outputTensors.add(t);
            }
        }
    }

    private void lower(Op op) {
        switch (op) {
            case Graph.Conv c -> conv(c);
            case Graph.Dense d -> dense(d);
            case Graph.Add a -> op(ADD, new int[] {in(a.a()), in(a.b())}, new int[] {activation(a.out())}, ADD_OPTIONS,
                    b -> actOptions(b, a.act()));
            case Graph.Mul m -> op(MUL, new int[] {in(m.a()), in(m.b())}, new int[] {activation(m.out())}, MUL_OPTIONS,
                    b -> actOptions(b, Act.NONE));
            case Graph.Activation a -> activationOp(a);
            case Graph.MaxPool p -> maxPool(p);
            case Graph.Mean m -> op(MEAN, new int[] {in(m.in()), int32s(m.name() + ".axes", new int[] {m.axes().length}, m.axes())},
                    new int[] {activation(m.out())}, REDUCER_OPTIONS, b -> {
                        b.startTable(1);
                        b.addBool(0, m.keepDims());
                        return b.endTable();
                    });
            case Graph.Concat c -> op(CONCATENATION, c.ins().stream().mapToInt(this::in).toArray(), new int[] {activation(c.out())},
                    CONCATENATION_OPTIONS, b -> {
                        b.startTable(2);
                        b.addInt(0, c.axis());
                        return b.endTable();
                    });
            case Graph.Split s -> {
                int size = s.outs().getFirst().shape()[s.axis()];
                if (s.outs().stream().anyMatch(v -> v.shape()[s.axis()] != size)) throw new IllegalStateException(s.name() + ": unequal split");
                op(SPLIT, new int[] {int32s(s.name() + ".axis", new int[0], new int[] {s.axis()}), in(s.in())},
                        s.outs().stream().mapToInt(this::activation).toArray(), SPLIT_OPTIONS, b -> {
                            b.startTable(1);
                            b.addInt(0, s.outs().size());
                            return b.endTable();
                        });
            }
            case Graph.Gather g -> op(GATHER, new int[] {in(g.in()), int32s(g.name() + ".indices", new int[] {g.indices().length}, g.indices())},
                    new int[] {activation(g.out())}, GATHER_OPTIONS, b -> {
                        b.startTable(1);
                        b.addInt(0, g.axis());
                        return b.endTable();
                    });
            case Graph.Reverse r -> op(REVERSE_V2, new int[] {in(r.in()), int32s(r.name() + ".axis", new int[] {1}, new int[] {r.axis()})},
                    new int[] {activation(r.out())}, REVERSE_V2_OPTIONS, b -> empty(b));
            case Graph.Reshape r -> {
                int[] shape = r.out().shape();
                op(RESHAPE, new int[] {in(r.in()), int32s(r.name() + ".shape", new int[] {shape.length}, shape)},
                        new int[] {activation(r.out())}, RESHAPE_OPTIONS, b -> {
                            int v = b.createInts(shape);
                            b.startTable(1);
                            b.addOffset(0, v);
                            return b.endTable();
                        });
            }
            case Graph.Softmax s -> op(SOFTMAX, new int[] {in(s.in())}, new int[] {activation(s.out())}, SOFTMAX_OPTIONS, b -> {
                b.startTable(1);
                b.addFloat(0, 1f);
                return b.endTable();
            });
            case Graph.Affine a -> {
                int c = a.scale().length;
                Value scaled = new Value(-1, a.out().name() + ".scaled", a.out().shape());
                Params mid = null;
                if (int8 != null) {                       // x·scale[c] spans at most the input's range times the largest |scale|
                    Params p = int8.of(a.in());
                    double lo = p.scale() * (-128 - p.zeroPoint()), hi = p.scale() * (127 - p.zeroPoint()), m = 0;
                    for (float s : a.scale()) m = Math.max(m, Math.abs(s));
                    mid = Params.of(-Math.max(-lo, hi) * m, Math.max(-lo, hi) * m);
                }
                int t = tensor(scaled.name(), scaled.shape(), int8 == null ? FLOAT32 : INT8, 0, mid);
                op(MUL, new int[] {in(a.in()), constant(a.name() + ".scale", new int[] {c}, a.scale())}, new int[] {t}, MUL_OPTIONS,
                        b -> actOptions(b, Act.NONE));
                op(ADD, new int[] {t, constant(a.name() + ".shift", new int[] {c}, a.shift())}, new int[] {activation(a.out())},
                        ADD_OPTIONS, b -> actOptions(b, Act.NONE));
            }
        }
    }

    private void conv(Graph.Conv c) {
        int h = c.in().shape()[1], w = c.in().shape()[2], k = c.k(), s = c.stride();
        int[] same = samePads(h, w, k, s);
        int padding;
        int x = in(c.in());
        if (java.util.Arrays.equals(c.pads(), same)) {
            padding = SAME;
        } else {
            padding = VALID;
            if (c.pads()[0] + c.pads()[1] + c.pads()[2] + c.pads()[3] > 0) x = pad(c.name(), c.in(), x, c.pads(), null);
        }
        int out = c.outChannels(), in = c.inChannels(), cin = in / c.groups();
        // torch [out][cin][k][k] -> TFLite CONV_2D [out][k][k][cin], DEPTHWISE_CONV_2D [1][k][k][out]
        float[] wt = new float[c.weight().length];
        for (int o = 0; o < out; o++)
            for (int i = 0; i < cin; i++)
                for (int y = 0; y < k; y++)
                    for (int xx = 0; xx < k; xx++) {
                        float v = c.weight()[((o * cin + i) * k + y) * k + xx];
                        if (c.depthwise()) wt[(y * k + xx) * out + o] = v;
                        else wt[((o * k + y) * k + xx) * cin + i] = v;
                    }
        int[] shape = c.depthwise() ? new int[] {1, k, k, out} : new int[] {out, k, k, cin};
        int weight = weights(c.name() + ".weight", shape, wt, c.depthwise() ? 3 : 0, out, c.in());
        int bias = bias(c.name() + ".bias", c.bias(), tensors.get(weight), c.in());
        int y = activation(c.out());
        int act = act(c.act());
        if (c.depthwise()) {
            op(DEPTHWISE_CONV_2D, new int[] {x, weight, bias}, new int[] {y}, DEPTHWISE_OPTIONS, b -> {
                b.startTable(7);
                b.addByte(0, padding);
                b.addInt(1, s);
                b.addInt(2, s);
                b.addInt(3, 1);
                b.addByte(4, act);
                return b.endTable();
            });
        } else {
            op(CONV_2D, new int[] {x, weight, bias}, new int[] {y}, CONV2D_OPTIONS, b -> {
                b.startTable(6);
                b.addByte(0, padding);
                b.addInt(1, s);
                b.addInt(2, s);
                b.addByte(3, act);
                return b.endTable();
            });
        }
    }

    /** TF SAME's padding {@code [top, left, bottom, right]}: {@code out = ceil(in/s)}, the odd pixel at the bottom/right. */
    static int[] samePads(int h, int w, int k, int s) {
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s;
        int ph = Math.max((oh - 1) * s + k - h, 0), pw = Math.max((ow - 1) * s + k - w, 0);
        return new int[] {ph / 2, pw / 2, ph - ph / 2, pw - pw / 2};
    }

    /** An explicit PAD (zeros) or PADV2 (with {@code fill}) before a VALID op; returns the padded tensor. */
    private int pad(String name, Value x, int tensor, int[] pads, Float fill) {
        int[] shape = x.shape().clone();
        shape[1] += pads[0] + pads[2];
        shape[2] += pads[1] + pads[3];
        int paddings = int32s(name + ".paddings", new int[] {4, 2}, new int[] {0, 0, pads[0], pads[2], pads[1], pads[3], 0, 0});
        Params p = int8 == null ? null : int8.of(x);
        int padded = tensor(name + ".padded", shape, int8 == null ? FLOAT32 : INT8, 0, p);
        if (fill == null) {
            op(PAD, new int[] {tensor, paddings}, new int[] {padded}, PAD_OPTIONS, b -> empty(b));
        } else {
            int value = int8 == null ? constant(name + ".fill", new int[0], new float[] {fill})
                    : int8Constant(name + ".fill", new byte[] {(byte) -128}, p);
            op(PADV2, new int[] {tensor, paddings, value}, new int[] {padded}, PADV2_OPTIONS, b -> empty(b));
        }
        return padded;
    }

    private void dense(Graph.Dense d) {
        int out = d.out().channels();
        int weight = weights(d.name() + ".weight", new int[] {out, d.in().channels()}, d.weight(), 0, out, d.in());
        int bias = bias(d.name() + ".bias", d.bias(), tensors.get(weight), d.in());
        op(FULLY_CONNECTED, new int[] {in(d.in()), weight, bias}, new int[] {activation(d.out())}, FULLY_CONNECTED_OPTIONS, b -> {
            b.startTable(5);
            b.addByte(0, act(d.act()));
            return b.endTable();
        });
    }

    private void activationOp(Graph.Activation a) {
        int x = in(a.in());
        switch (a.kind()) {
            case RELU -> op(RELU, new int[] {x}, new int[] {activation(a.out())}, 0, null);
            case RELU6 -> op(RELU6, new int[] {x}, new int[] {activation(a.out())}, 0, null);
            case HARDSWISH -> op(HARD_SWISH, new int[] {x}, new int[] {activation(a.out())}, HARD_SWISH_OPTIONS, b -> empty(b));
            case SIGMOID -> op(LOGISTIC, new int[] {x}, new int[] {activation(a.out())}, 0, null);
            case HARDSIGMOID -> {                           // relu6(x + 3) / 6; x + 3 after ReLU6 lies in [0, 6]
                int t = tensor(a.out().name() + ".relu6", a.out().shape(), int8 == null ? FLOAT32 : INT8, 0, int8 == null ? null : Params.of(0, 6));
                op(ADD, new int[] {x, scalar(a.name() + ".three", 3f)}, new int[] {t}, ADD_OPTIONS, b -> actOptions(b, Act.RELU6));
                op(MUL, new int[] {t, scalar(a.name() + ".sixth", 1f / 6f)}, new int[] {activation(a.out())}, MUL_OPTIONS, b -> actOptions(b, Act.NONE));
            }
            case SILU -> {                                  // x · sigmoid(x)
                int t = tensor(a.out().name() + ".sigmoid", a.out().shape(), int8 == null ? FLOAT32 : INT8, 0, int8 == null ? null : Int8Plan.UNIT_INTERVAL);
                op(LOGISTIC, new int[] {x}, new int[] {t}, 0, null);
                op(MUL, new int[] {x, t}, new int[] {activation(a.out())}, MUL_OPTIONS, b -> actOptions(b, Act.NONE));
            }
        }
    }

    private void maxPool(Graph.MaxPool p) {
        int h = p.in().shape()[1], w = p.in().shape()[2];
        int x = in(p.in());
        int padding;
        if (java.util.Arrays.equals(p.pads(), samePads(h, w, p.k(), p.stride())) && p.pads()[0] == 0 && p.pads()[1] == 0) {
            padding = SAME;                                  // SAME pads only after: TFLite's pool ignores them as torch's -inf does
        } else {
            padding = VALID;
            if (p.pads()[0] + p.pads()[1] + p.pads()[2] + p.pads()[3] > 0) x = pad(p.name(), p.in(), x, p.pads(), -Float.MAX_VALUE);
        }
        op(MAX_POOL_2D, new int[] {x}, new int[] {activation(p.out())}, POOL2D_OPTIONS, b -> {
            b.startTable(6);
            b.addByte(0, padding);
            b.addInt(1, p.stride());
            b.addInt(2, p.stride());
            b.addInt(3, p.k());
            b.addInt(4, p.k());
            b.addByte(5, ACT_NONE);
            return b.endTable();
        });
    }

    // ---- tensors --------------------------------------------------------------------------------------------------

    /** The tensor of a value already made (an op's input). */
    private int in(Value v) {
        Integer t = tensorOf.get(v);
        if (t == null) throw new IllegalStateException("value " + v + " used before it is made");
        return t;
    }

    private int activation(Value v) {
        boolean output = int8 != null && graph.outputs().contains(v);      // the uint8 tensor after it takes the name
        return activation(v, output ? v.name() + "_int8" : v.name());
    }

    /** A new activation tensor for a value: float32, or int8 with the plan's parameters. */
    private int activation(Value v, String name) {
        int t = tensor(name, v.shape(), int8 == null ? FLOAT32 : INT8, 0, int8 == null ? null : int8.of(v));
        tensorOf.put(v, t);
        return t;
    }

    private int tensor(String name, int[] shape, int type, int buffer, Params q) {
        tensors.add(new TensorSpec(name, shape.clone(), type, buffer, q == null ? null : new float[] {q.scale()},
                q == null ? null : new long[] {q.zeroPoint()}, 0));
        return tensors.size() - 1;
    }

    private int buffer(byte[] data) {
        buffers.add(data);
        return buffers.size() - 1;
    }

    /**
     * Weights with {@code channels} slices along {@code dimension}: float32, or int8 symmetric per channel
     * ({@code scale_c = max|w_c| / 127}, zero point 0).
     */
    private int weights(String name, int[] shape, float[] values, int dimension, int channels, Value input) {
        if (int8 == null) {
            tensors.add(new TensorSpec(name, shape, FLOAT32, buffer(floats(values)), null, null, 0));
            return tensors.size() - 1;
        }
        int inner = 1;
        for (int d = dimension + 1; d < shape.length; d++) inner *= shape[d];
        float[] max = new float[channels];
        for (int i = 0; i < values.length; i++) {
            int c = (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(values[i]));
        }
        float[] scales = new float[channels];
        for (int c = 0; c < channels; c++) scales[c] = max[c] > 0 ? max[c] / 127f : 1e-9f;
        byte[] q = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = (i / inner) % channels;
            q[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scales[c])));
        }
        tensors.add(new TensorSpec(name, shape, INT8, buffer(q), scales, new long[channels], dimension));
        return tensors.size() - 1;
    }

    /** A conv's or linear's bias: float32, or int32 at input scale × each channel's weight scale. */
    private int bias(String name, float[] values, TensorSpec weight, Value input) {
        if (int8 == null) {
            tensors.add(new TensorSpec(name, new int[] {values.length}, FLOAT32, buffer(floats(values)), null, null, 0));
            return tensors.size() - 1;
        }
        float sIn = int8.of(input).scale();
        float[] scales = new float[values.length];
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < values.length; c++) {
            scales[c] = sIn * weight.scales()[c];
            long q = Math.round(values[c] / (double) scales[c]);
            b.putInt((int) Math.max(Integer.MIN_VALUE + 1, Math.min(Integer.MAX_VALUE, q)));
        }
        tensors.add(new TensorSpec(name, new int[] {values.length}, INT32, buffer(b.array()), scales, new long[values.length], 0));
        return tensors.size() - 1;
    }

    /** A float constant; in an int8 file, int8 with its own symmetric scale. */
    private int constant(String name, int[] shape, float[] values) {
        if (int8 == null) {
            tensors.add(new TensorSpec(name, shape, FLOAT32, buffer(floats(values)), null, null, 0));
            return tensors.size() - 1;
        }
        float max = 0;
        for (float v : values) max = Math.max(max, Math.abs(v));
        float scale = max > 0 ? max / 127f : 1f;
        byte[] q = new byte[values.length];
        for (int i = 0; i < q.length; i++) q[i] = (byte) Math.round(values[i] / scale);
        tensors.add(new TensorSpec(name, shape, INT8, buffer(q), new float[] {scale}, new long[] {0}, 0));
        return tensors.size() - 1;
    }

    private int scalar(String name, float value) { return constants.computeIfAbsent(name, n -> constant(n, new int[0], new float[] {value})); }

    private int int8Constant(String name, byte[] values, Params p) {
        tensors.add(new TensorSpec(name, new int[0], INT8, buffer(values), new float[] {p.scale()}, new long[] {p.zeroPoint()}, 0));
        return tensors.size() - 1;
    }

    private int int32s(String name, int[] shape, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        tensors.add(new TensorSpec(name, shape, INT32, buffer(b.array()), null, null, 0));
        return tensors.size() - 1;
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    // ---- ops ------------------------------------------------------------------------------------------------------

    private void op(int builtin, int[] inputs, int[] outputs, int optionsType, Options options) {
        ops.add(new OpSpec(builtin, inputs, outputs, optionsType, options));
    }

    private static int act(Act act) {
        return switch (act) {
            case NONE -> ACT_NONE;
            case RELU -> ACT_RELU;
            case RELU6 -> ACT_RELU6;
        };
    }

    private static int actOptions(FlatBufferBuilder b, Act act) {
        b.startTable(1);
        b.addByte(0, act(act));
        return b.endTable();
    }

    private static int empty(FlatBufferBuilder b) {
        b.startTable(0);
        return b.endTable();
    }

    /**
     * The op's version: what TFLite's op-versioning gives for these types (int8 kernels are newer versions), so a
     * runtime's resolver finds the kernel.
     */
    private int version(int builtin) {
        if (int8 == null) return 1;
        return switch (builtin) {
            case CONV_2D, DEPTHWISE_CONV_2D -> 3;
            case FULLY_CONNECTED -> 4;
            case RESHAPE, HARD_SWISH -> 1;
            default -> 2;
        };
    }

    // ---- the flatbuffer -------------------------------------------------------------------------------------------

    private byte[] serialize(String description, Map<String, byte[]> metadata) {
        FlatBufferBuilder b = new FlatBufferBuilder();
        Map<Integer, Integer> codeIndex = new LinkedHashMap<>();
        for (OpSpec op : ops) codeIndex.putIfAbsent(op.builtin(), codeIndex.size());
        List<Integer> metadataBuffers = new ArrayList<>();
        for (byte[] m : metadata.values()) metadataBuffers.add(buffer(m));

        // buffers (their data 16-aligned), in order
        int[] bufferTables = new int[buffers.size()];
        for (int i = buffers.size() - 1; i >= 0; i--) {
            byte[] data = buffers.get(i);
            int vec = data.length == 0 ? 0 : b.createBytes(data, 16);
            b.startTable(3);
            if (data.length > 0) b.addOffset(0, vec);
            bufferTables[i] = b.endTable();
        }
        int buffersVec = b.createOffsets(bufferTables);

        int[] tensorTables = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            int q = 0;
            if (t.scales() != null) {
                int scales = b.createFloats(t.scales()), zps = b.createLongs(t.zeroPoints());
                b.startTable(7);
                b.addOffset(2, scales);
                b.addOffset(3, zps);
                b.addInt(6, t.quantizedDimension());
                q = b.endTable();
            }
            int shape = b.createInts(t.shape()), name = b.createString(t.name());
            b.startTable(5);
            b.addOffset(0, shape);
            b.addByte(1, t.type());
            b.addInt(2, t.buffer());
            b.addOffset(3, name);
            if (q != 0) b.addOffset(4, q);
            tensorTables[i] = b.endTable();
        }
        int tensorsVec = b.createOffsets(tensorTables);

        int[] opTables = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpSpec op = ops.get(i);
            int options = op.options() == null ? 0 : op.options().write(b);
            int ins = b.createInts(op.inputs()), outs = b.createInts(op.outputs());
            b.startTable(5);
            b.addInt(0, codeIndex.get(op.builtin()));
            b.addOffset(1, ins);
            b.addOffset(2, outs);
            if (options != 0) {
                b.addByte(3, op.optionsType());
                b.addOffset(4, options);
            }
            opTables[i] = b.endTable();
        }
        int opsVec = b.createOffsets(opTables);
        int[] outputs = outputTensors.stream().mapToInt(Integer::intValue).toArray();
        int inputsVec = b.createInts(inputTensor), outputsVec = b.createInts(outputs);
        int subgraphName = b.createString("main");
        b.startTable(5);
        b.addOffset(0, tensorsVec);
        b.addOffset(1, inputsVec);
        b.addOffset(2, outputsVec);
        b.addOffset(3, opsVec);
        b.addOffset(4, subgraphName);
        int subgraph = b.endTable();
        int subgraphsVec = b.createOffsets(subgraph);

        int[] codes = new int[codeIndex.size()];
        int n = 0;
        for (int builtin : codeIndex.keySet()) {
            b.startTable(4);
            b.addByte(0, Math.min(builtin, 127));
            b.addInt(2, version(builtin));
            b.addInt(3, builtin);
            codes[n++] = b.endTable();
        }
        int codesVec = b.createOffsets(codes);

        int[] metadataTables = new int[metadata.size()];
        n = 0;
        for (String key : metadata.keySet()) {
            int name = b.createString(key);
            b.startTable(2);
            b.addOffset(0, name);
            b.addInt(1, metadataBuffers.get(n));
            metadataTables[n++] = b.endTable();
        }
        int metadataVec = b.createOffsets(metadataTables);
        int signature = signature(b, outputs);
        int signaturesVec = b.createOffsets(signature);
        int desc = b.createString(description);
        b.startTable(8);
        b.addInt(0, 3);
        b.addOffset(1, codesVec);
        b.addOffset(2, subgraphsVec);
        b.addOffset(3, desc);
        b.addOffset(4, buffersVec);
        b.addOffset(6, metadataVec);
        b.addOffset(7, signaturesVec);
        return b.finish(b.endTable(), "TFL3");
    }

    /** The {@code serving_default} signature: the input and outputs by name. */
    private int signature(FlatBufferBuilder b, int[] outputs) {
        int in = tensorMap(b, "image", inputTensor);
        int[] outs = new int[outputs.length];
        for (int i = 0; i < outputs.length; i++) outs[i] = tensorMap(b, graph.outputs().get(i).name(), outputs[i]);
        int insVec = b.createOffsets(in), outsVec = b.createOffsets(outs), key = b.createString("serving_default");
        b.startTable(5);
        b.addOffset(0, insVec);
        b.addOffset(1, outsVec);
        b.addOffset(2, key);
        b.addInt(4, 0);
        return b.endTable();
    }

    private static int tensorMap(FlatBufferBuilder b, String name, int tensor) {
        int n = b.createString(name);
        b.startTable(2);
        b.addOffset(0, n);
        b.addInt(1, tensor);
        return b.endTable();
    }
}
