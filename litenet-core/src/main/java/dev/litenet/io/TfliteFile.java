package dev.litenet.io;

import dev.litenet.BadInputException;

import dev.litenet.io.FlatBuffer.Vec;
import dev.litenet.io.TfliteModel.Activation;
import dev.litenet.io.TfliteModel.Op;
import dev.litenet.io.TfliteModel.Operator;
import dev.litenet.io.TfliteModel.Options;
import dev.litenet.io.TfliteModel.Padding;
import dev.litenet.io.TfliteModel.Quantization;
import dev.litenet.io.TfliteModel.Tensor;
import dev.litenet.io.TfliteModel.Type;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a TFLite flatbuffer (schema.fbs, file identifier "TFL3", schema version 3) into a {@link TfliteModel}:
 * the first subgraph's tensors, with constant tensors dequantized by {@code real = scale * (q - zero_point)}
 * (per tensor or per channel), and its operators with their conv, pool, add and softmax options.
 * Every malformed file is one {@link BadInputException} naming it.
 */
public final class TfliteFile {
    private TfliteFile() {}

    // Field slots of the schema.fbs tables used here (a union takes two slots: type, then value).
    private static final int MODEL_VERSION = 0, MODEL_OPERATOR_CODES = 1, MODEL_SUBGRAPHS = 2, MODEL_BUFFERS = 4,
            MODEL_METADATA = 6;
    private static final int CODE_DEPRECATED_BUILTIN = 0, CODE_CUSTOM = 1, CODE_BUILTIN = 3;
    private static final int SUBGRAPH_TENSORS = 0, SUBGRAPH_INPUTS = 1, SUBGRAPH_OUTPUTS = 2, SUBGRAPH_OPERATORS = 3;
    private static final int TENSOR_SHAPE = 0, TENSOR_TYPE = 1, TENSOR_BUFFER = 2, TENSOR_NAME = 3,
            TENSOR_QUANTIZATION = 4;
    private static final int QUANT_SCALE = 2, QUANT_ZERO_POINT = 3, QUANT_DIMENSION = 6;
    private static final int OP_OPCODE_INDEX = 0, OP_INPUTS = 1, OP_OUTPUTS = 2, OP_OPTIONS_TYPE = 3, OP_OPTIONS = 4;
    private static final int BUFFER_DATA = 0, METADATA_NAME = 0, METADATA_BUFFER = 1;
    // BuiltinOptions union members used here.
    private static final int CONV2D_OPTIONS = 1, DEPTHWISE_OPTIONS = 2, POOL2D_OPTIONS = 5, SOFTMAX_OPTIONS = 9,
            ADD_OPTIONS = 11;
    private static final String LABELS = "imagenet_labels.txt";

    /** Reads and checks the whole file. */
    public static TfliteModel read(Path file) {
        FlatBuffer fb = new FlatBuffer(file, readBytes(file));
        int model = fb.root();
        int version = fb.intField(model, MODEL_VERSION, 0);
        if (version != 3) throw fb.bad("TFLite schema version " + Integer.toUnsignedString(version) + ", expected 3");

        Vec subgraphs = fb.vector(model, MODEL_SUBGRAPHS, 4);
        if (subgraphs.length() == 0) throw fb.bad("the model has no subgraph");
        int graph = fb.tableAt(subgraphs, 0);

        Vec buffers = fb.vector(model, MODEL_BUFFERS, 4);
        Vec tensorTables = fb.vector(graph, SUBGRAPH_TENSORS, 4);
        List<Tensor> tensors = new ArrayList<>();
        long constantValues = 0;
        for (int i = 0; i < tensorTables.length(); i++) {
            Tensor t = tensor(fb, i, fb.tableAt(tensorTables, i), buffers);
            // Tensors may share a buffer; without this bound a small file could expand to any size.
            constantValues += t.values().length;
            if (constantValues > fb.size()) throw fb.bad("constant tensors hold more values than the file has bytes");
            tensors.add(t);
        }

        List<Code> opcodes = operatorCodes(fb, model);
        Vec operatorTables = fb.vector(graph, SUBGRAPH_OPERATORS, 4);
        List<Operator> operators = new ArrayList<>();
        for (int i = 0; i < operatorTables.length(); i++) {
            operators.add(operator(fb, i, fb.tableAt(operatorTables, i), opcodes, tensors.size()));
        }
        int[] inputs = tensorIndices(fb, fb.ints(graph, SUBGRAPH_INPUTS), tensors.size(), "subgraph inputs");
        int[] outputs = tensorIndices(fb, fb.ints(graph, SUBGRAPH_OUTPUTS), tensors.size(), "subgraph outputs");
        return new TfliteModel(file, version, List.copyOf(tensors), List.copyOf(operators), inputs, outputs,
                metadataNames(fb, model), labels(file));
    }

    /** The whole file, read only after the identifier at bytes 4..8 and the size are checked. */
    private static byte[] readBytes(Path file) {
        long size = Budget.regularFile(file);
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8);
            String id = head.length < 8 ? "" : new String(head, 4, 4, StandardCharsets.ISO_8859_1);
            if (!id.equals("TFL3")) throw new BadInputException(file, "not a TFLite file: identifier '" + printable(id) + "', expected 'TFL3'");
            Budget.check(file, "TFLite file bytes", size, Budget.WEIGHTS_FILE_BYTES);
            byte[] all = new byte[(int) size];
            System.arraycopy(head, 0, all, 0, 8);
            int n = 8 + in.readNBytes(all, 8, all.length - 8);
            return n == all.length ? all : java.util.Arrays.copyOf(all, n);     // shorter than its size said
        } catch (IOException e) {
            throw ReadError.of(file, e);
        }
    }

    private static Tensor tensor(FlatBuffer fb, int index, int table, Vec buffers) {
        int[] shape = fb.ints(table, TENSOR_SHAPE);
        String name = fb.string(table, TENSOR_NAME);
        String what = "tensor " + index + " '" + name + "'";
        int typeCode = fb.byteField(table, TENSOR_TYPE, (byte) 0);
        if (typeCode < 0 || typeCode >= Type.values().length) throw fb.bad(what + " has unknown type " + typeCode);
        Type type = Type.values()[typeCode];
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw fb.bad(what + " has shape " + Arrays.toString(shape));
            n *= d;
            if (n > Integer.MAX_VALUE - 16) throw fb.bad(what + " is too large: " + Arrays.toString(shape));
        }
        Quantization q = quantization(fb, fb.tableField(table, TENSOR_QUANTIZATION));

        long buffer = Integer.toUnsignedLong(fb.intField(table, TENSOR_BUFFER, 0));
        if (buffer >= buffers.length()) throw fb.bad(what + " refers to buffer " + buffer + " of " + buffers.length());
        Vec data = fb.vector(fb.tableAt(buffers, (int) buffer), BUFFER_DATA, 1);
        float[] values = data.length() == 0 ? new float[0] : dequantize(fb, what, shape, (int) n, type, q, fb.view(data));
        return new Tensor(index, name, shape, type, q, values);
    }

    private static Quantization quantization(FlatBuffer fb, int table) {
        if (table < 0) return Quantization.NONE;
        return new Quantization(fb.floats(table, QUANT_SCALE), fb.longs(table, QUANT_ZERO_POINT),
                fb.intField(table, QUANT_DIMENSION, 0));
    }

    /**
     * {@code real = scale[c] * (q - zeroPoint[c])}, c the index along the quantized dimension (0 when per tensor);
     * every value must be finite.
     */
    private static float[] dequantize(FlatBuffer fb, String what, int[] shape, int n, Type type, Quantization q, ByteBuffer data) {
        int size = switch (type) {
            case FLOAT32, INT32 -> 4;
            case UINT8, INT8 -> 1;
            case INT16 -> 2;
            case INT64 -> 8;
            default -> throw fb.bad(what + " holds constant " + type + " data, which is not supported");
        };
        if (data.remaining() != (long) n * size) {
            throw fb.bad(what + " " + Arrays.toString(shape) + " of " + type + " needs " + (long) n * size
                    + " bytes, its buffer has " + data.remaining());
        }
        int channels = q.scale().length, inner = 1;
        if (channels > 1) {
            int dim = q.quantizedDimension();
            if (dim < 0 || dim >= shape.length || shape[dim] != channels) {
                throw fb.bad(what + " " + Arrays.toString(shape) + " has " + channels + " scales along dimension " + dim);
            }
            for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        }
        if (q.zeroPoint().length != channels && q.zeroPoint().length != 0) {
            throw fb.bad(what + " has " + channels + " scales but " + q.zeroPoint().length + " zero points");
        }
        float[] out = new float[n];
        if (type == Type.FLOAT32) {
            data.asFloatBuffer().get(out);
        } else if (size == 1 && 256L * Math.max(1, channels) <= n) {
            // 8-bit values through a table per channel of the 256 reals they stand for (when the tensor is larger
            // than its tables): one lookup a weight, and a finite table makes finite values
            float[] table = byteTable(type == Type.INT8, channels, q);
            int run = channels > 1 ? inner : n, tables = Math.max(1, channels);
            byte[] raw = new byte[n];
            data.get(raw);
            for (int start = 0, c = 0; start < n; start += run, c = (c + 1) % tables) {
                int base = c * 256, end = Math.min(n, start + run);
                for (int i = start; i < end; i++) out[i] = table[base + (raw[i] & 0xff)];
            }
            if (allFinite(table)) return out;
        } else {
            for (int i = 0; i < n; i++) {
                long raw = switch (type) {
                    case UINT8 -> Byte.toUnsignedInt(data.get(i));
                    case INT8 -> data.get(i);
                    case INT16 -> data.getShort(2 * i);
                    case INT32 -> data.getInt(4 * i);
                    default -> data.getLong(8 * i);
                };
                out[i] = channels == 0 ? raw : real(q, channels == 1 ? 0 : (i / inner) % channels, raw);
            }
        }
        for (float v : out) if (!Float.isFinite(v)) throw fb.bad(what + " holds " + v + " (weights must be finite)");
        return out;
    }

    // table[c * 256 + (q & 0xff)]: the real of byte q in channel c
    private static float[] byteTable(boolean signed, int channels, Quantization q) {
        float[] table = new float[Math.max(1, channels) * 256];
        for (int c = 0; c < Math.max(1, channels); c++) {
            for (int b = 0; b < 256; b++) {
                long value = signed ? (byte) b : b;
                table[c * 256 + b] = channels == 0 ? value : real(q, c, value);
            }
        }
        return table;
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) if (!Float.isFinite(v)) return false;
        return true;
    }

    private static float real(Quantization q, int c, long raw) {
        long zero = q.zeroPoint().length == 0 ? 0 : q.zeroPoint()[c];
        return (float) ((double) q.scale()[c] * (raw - zero));
    }

    /** An OperatorCode entry: builtin code, and the name of a custom operator ("" for builtins). */
    private record Code(int builtin, String custom) {}

    private static List<Code> operatorCodes(FlatBuffer fb, int model) {
        Vec codes = fb.vector(model, MODEL_OPERATOR_CODES, 4);
        List<Code> out = new ArrayList<>();
        for (int i = 0; i < codes.length(); i++) {
            int table = fb.tableAt(codes, i);
            // Newer files keep codes above 127 in builtin_code; the effective code is the larger of the two.
            int code = Math.max(fb.byteField(table, CODE_DEPRECATED_BUILTIN, (byte) 0), fb.intField(table, CODE_BUILTIN, 0));
            out.add(new Code(code, fb.string(table, CODE_CUSTOM)));
        }
        return out;
    }

    private static Operator operator(FlatBuffer fb, int index, int table, List<Code> codes, int tensorCount) {
        long opcodeIndex = Integer.toUnsignedLong(fb.intField(table, OP_OPCODE_INDEX, 0));
        if (opcodeIndex >= codes.size()) {
            throw fb.bad("operator " + index + " refers to operator code " + opcodeIndex + " of " + codes.size());
        }
        Code code = codes.get((int) opcodeIndex);
        Op op = Op.of(code.builtin());
        String what = "operator " + index + " (" + Operator.name(op, code.builtin(), code.custom()) + ")";
        int[] inputs = tensorIndices(fb, fb.ints(table, OP_INPUTS), tensorCount, what + " inputs");
        int[] outputs = tensorIndices(fb, fb.ints(table, OP_OUTPUTS), tensorCount, what + " outputs");
        return new Operator(index, op, code.builtin(), code.custom(), inputs, outputs, options(fb, what, op, table));
    }

    private static int[] tensorIndices(FlatBuffer fb, int[] indices, int tensorCount, String what) {
        for (int t : indices) {
            if (t < -1 || t >= tensorCount) throw fb.bad(what + " refer to tensor " + t + " of " + tensorCount);
        }
        return indices;
    }

    private static Options options(FlatBuffer fb, String what, Op op, int operator) {
        int expected = switch (op) {
            case CONV_2D -> CONV2D_OPTIONS;
            case DEPTHWISE_CONV_2D -> DEPTHWISE_OPTIONS;
            case AVERAGE_POOL_2D, MAX_POOL_2D -> POOL2D_OPTIONS;
            case SOFTMAX -> SOFTMAX_OPTIONS;
            case ADD -> ADD_OPTIONS;
            default -> 0;
        };
        if (expected == 0) return new Options.None();
        int type = Byte.toUnsignedInt(fb.byteField(operator, OP_OPTIONS_TYPE, (byte) 0));
        int t = fb.tableField(operator, OP_OPTIONS);
        if (type != expected || t < 0) throw fb.bad(what + " lacks its options (union type " + type + ", expected " + expected + ")");
        // Slots: Conv2DOptions {padding, stride_w, stride_h, activation, dilation_w, dilation_h};
        // DepthwiseConv2DOptions {padding, stride_w, stride_h, depth_multiplier, activation, dilation_w, dilation_h};
        // Pool2DOptions {padding, stride_w, stride_h, filter_width, filter_height, activation};
        // SoftmaxOptions {beta}; AddOptions {activation}.
        Options options = switch (op) {
            case CONV_2D -> new Options.Conv(padding(fb, what, t), fb.intField(t, 2, 0), fb.intField(t, 1, 0),
                    fb.intField(t, 5, 1), fb.intField(t, 4, 1), 1, activation(fb, what, t, 3));
            case DEPTHWISE_CONV_2D -> new Options.Conv(padding(fb, what, t), fb.intField(t, 2, 0), fb.intField(t, 1, 0),
                    fb.intField(t, 6, 1), fb.intField(t, 5, 1), fb.intField(t, 3, 0), activation(fb, what, t, 4));
            case AVERAGE_POOL_2D, MAX_POOL_2D -> new Options.Pool(padding(fb, what, t), fb.intField(t, 2, 0),
                    fb.intField(t, 1, 0), fb.intField(t, 4, 0), fb.intField(t, 3, 0), activation(fb, what, t, 5));
            case SOFTMAX -> new Options.Softmax(fb.floatField(t, 0, 0f));
            default -> new Options.Add(activation(fb, what, t, 0));
        };
        boolean positive = switch (options) {
            case Options.Conv c -> c.strideH() > 0 && c.strideW() > 0 && c.dilationH() > 0 && c.dilationW() > 0;
            case Options.Pool p -> p.strideH() > 0 && p.strideW() > 0 && p.filterH() > 0 && p.filterW() > 0;
            default -> true;
        };
        if (!positive) throw fb.bad(what + " has a stride, dilation or filter size below 1: " + options);
        return options;
    }

    private static Padding padding(FlatBuffer fb, String what, int table) {
        int p = fb.byteField(table, 0, (byte) 0);
        if (p < 0 || p >= Padding.values().length) throw fb.bad(what + " has unknown padding " + p);
        return Padding.values()[p];
    }

    private static Activation activation(FlatBuffer fb, String what, int table, int slot) {
        int a = fb.byteField(table, slot, (byte) 0);
        if (a < 0 || a >= Activation.values().length) throw fb.bad(what + " has unknown activation " + a);
        return Activation.values()[a];
    }

    private static List<String> metadataNames(FlatBuffer fb, int model) {
        Vec entries = fb.vector(model, MODEL_METADATA, 4);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < entries.length(); i++) names.add(fb.string(fb.tableAt(entries, i), METADATA_NAME));
        return List.copyOf(names);
    }

    /**
     * The bytes of a named metadata entry ({@code Model.metadata}: a name and a buffer), or null when the file has none
     * of that name: {@code TFLITE_METADATA} (the Task Library's), {@code litenet} (what LiteNet's export records).
     */
    public static byte[] metadata(Path file, String name) {
        FlatBuffer fb = new FlatBuffer(file, readBytes(file));
        int model = fb.root();
        Vec entries = fb.vector(model, MODEL_METADATA, 4), buffers = fb.vector(model, MODEL_BUFFERS, 4);
        for (int i = 0; i < entries.length(); i++) {
            int entry = fb.tableAt(entries, i);
            if (!fb.string(entry, METADATA_NAME).equals(name)) continue;
            long buffer = Integer.toUnsignedLong(fb.intField(entry, METADATA_BUFFER, 0));
            if (buffer >= buffers.length()) throw fb.bad("metadata '" + name + "' refers to buffer " + buffer + " of " + buffers.length());
            return fb.ubytes(fb.tableAt(buffers, (int) buffer), BUFFER_DATA);
        }
        return null;
    }

    /** The labels that come with a TFLite file: {@code imagenet_labels.txt} beside it, else inside it (a zip entry), else none. */
    public static List<String> labels(Path file) {
        Path beside = file.resolveSibling(LABELS);
        try {
            if (Files.exists(beside)) {
                Budget.check(beside, "labels file bytes", Budget.regularFile(beside), Budget.TEXT_FILE_BYTES);
                return lines(Files.readString(beside, StandardCharsets.UTF_8));
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                var entry = zip.getEntry(LABELS);
                if (entry == null) return List.of();
                try (var in = zip.getInputStream(entry)) {
                    return lines(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
                }
            } catch (ZipException noZip) {
                return List.of();
            }
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read the labels: " + e.getMessage(), e);
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).toList();
    }

    private static String printable(String s) {
        return s.codePoints().allMatch(c -> c >= 32 && c < 127) ? s : "0x" + java.util.HexFormat.of().formatHex(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
