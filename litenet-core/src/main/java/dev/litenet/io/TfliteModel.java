package dev.litenet.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The main subgraph of a TFLite file as plain values: its tensors (constant ones already dequantized to
 * float, in TFLite's own layout), its operators in execution order, and the labels found with the file.
 * Made by {@link TfliteFile#read}.
 */
public record TfliteModel(Path file, int version, List<Tensor> tensors, List<Operator> operators,
                          int[] inputs, int[] outputs, List<String> metadata, List<String> labels) {

    public Tensor tensor(int index) { return tensors.get(index); }

    /** TFLite's TensorType enum (schema.fbs), in code order. */
    public enum Type { FLOAT32, FLOAT16, INT32, UINT8, INT64, STRING, BOOL, INT16, COMPLEX64, INT8 }

    /**
     * {@code real = scale * (q - zeroPoint)}; one scale per tensor, or one per index of
     * {@code quantizedDimension} (per channel). Empty scale: not quantized.
     */
    public record Quantization(float[] scale, long[] zeroPoint, int quantizedDimension) {
        public static final Quantization NONE = new Quantization(new float[0], new long[0], 0);

        public boolean isQuantized() { return scale.length > 0; }
    }

    /**
     * A tensor of the graph. {@code values} holds a constant's dequantized values in TFLite's row-major
     * layout (NHWC; conv weights {@code [out,kh,kw,in]}); it is empty for activations.
     */
    public record Tensor(int index, String name, int[] shape, Type type, Quantization quantization, float[] values) {
        public boolean isConstant() { return values.length > 0; }

        public long numel() { return Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b); }

        @Override public String toString() { return "tensor " + index + " '" + name + "' " + type + Arrays.toString(shape); }
    }

    /** The builtin operators this package knows by name; anything else is {@link #OTHER}. */
    public enum Op {
        ADD(0), AVERAGE_POOL_2D(1), CONCATENATION(2), CONV_2D(3), DEPTHWISE_CONV_2D(4), DEQUANTIZE(6),
        FULLY_CONNECTED(9), LOGISTIC(14), MAX_POOL_2D(17), MUL(18), RELU(19), RELU6(21), RESHAPE(22), SOFTMAX(25),
        PAD(34), MEAN(40), SQUEEZE(43), QUANTIZE(114), HARD_SWISH(117), OTHER(-1);

        public final int code;

        Op(int code) { this.code = code; }

        private static final Map<Integer, Op> BY_CODE =
                Stream.of(values()).collect(Collectors.toMap(op -> op.code, op -> op));

        static Op of(int code) { return BY_CODE.getOrDefault(code, OTHER); }
    }

    public enum Padding { SAME, VALID }

    /** ActivationFunctionType (schema.fbs), in code order. */
    public enum Activation { NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT }

    /** The builtin options this package reads; other operators carry {@link None}. */
    public sealed interface Options {
        record None() implements Options {}

        /** CONV_2D and DEPTHWISE_CONV_2D ({@code depthMultiplier} is 1 for CONV_2D). */
        record Conv(Padding padding, int strideH, int strideW, int dilationH, int dilationW, int depthMultiplier,
                    Activation activation) implements Options {}

        record Pool(Padding padding, int strideH, int strideW, int filterH, int filterW,
                    Activation activation) implements Options {}

        record Add(Activation activation) implements Options {}

        record Softmax(float beta) implements Options {}
    }

    /**
     * One operator: {@code code} is the builtin code ({@code customCode} names a custom operator, else "");
     * inputs and outputs index {@link #tensors()}, -1 marks an omitted optional input.
     */
    public record Operator(int index, Op op, int code, String customCode, int[] inputs, int[] outputs, Options options) {
        /** The operator's name for messages: builtin name, builtin code, or custom name. */
        public String name() { return name(op, code, customCode); }

        static String name(Op op, int code, String customCode) {
            if (!customCode.isEmpty()) return "custom operator '" + customCode + "'";
            return op != Op.OTHER ? op.name() : "builtin code " + code;
        }

        @Override public String toString() { return "operator " + index + " (" + name() + ")"; }
    }
}
