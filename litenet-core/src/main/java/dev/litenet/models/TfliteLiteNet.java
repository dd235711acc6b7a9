package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.data.Preprocess;
import dev.litenet.io.Json;
import dev.litenet.io.TfliteFile;
import dev.litenet.io.TfliteModel;
import dev.litenet.io.TfliteModel.Op;
import dev.litenet.io.TfliteModel.Operator;
import dev.litenet.io.TfliteModel.Tensor;
import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.TorchTensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back a TFLite file LiteNet exported, of any architecture of the zoo, float32 or int8 (weights dequantized): its
 * {@code litenet} metadata names the architecture, width, labels and preprocessing, and which BatchNorm each conv has
 * folded in; each conv's and linear's weight tensor is named by its module path ({@code features.1.conv.0.weight}), so
 * the weights go back under torch's names, a folded BatchNorm becoming identity plus the folded bias as in the other
 * TFLite imports ({@link TfliteConvs#putFoldedBatchNorm}).
 */
public final class TfliteLiteNet {
    private TfliteLiteNet() {}

    /** The metadata entry LiteNet's export writes. */
    static final String METADATA = "litenet";

    /** Whether the file was written by LiteNet's export. */
    public static boolean recognizes(TfliteModel graph) { return graph.metadata().contains(METADATA); }

    /** The network (eval mode), preprocessing and labels of an exported file. */
    public static Model read(TfliteModel graph) {
        Path file = graph.file();
        Map<String, Object> meta;
        List<String> labels;
        Preprocess preprocess;
        Architecture arch;
        float width;
        Map<?, ?> folded;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(new String(TfliteFile.metadata(file, METADATA), StandardCharsets.UTF_8));
            meta = m;
            labels = ((List<?>) Json.parse((String) meta.get("labels"))).stream().map(String::valueOf).toList();
            @SuppressWarnings("unchecked")
            Map<String, Object> p = (Map<String, Object>) Json.parse((String) meta.get("preprocess"));
            preprocess = Preprocess.fromJson(p);
            arch = Architectures.get((String) meta.get("architecture"));
            width = Float.parseFloat((String) meta.get("width_multiplier"));
            folded = (Map<?, ?>) meta.get("folded_batch_norm");
            if (folded == null || labels.isEmpty()) throw new IllegalArgumentException("no labels or no folded_batch_norm");
        } catch (RuntimeException e) {
            throw new BadInputException(file, "LiteNet metadata unreadable: " + e.getMessage());
        }
        Network net = arch.build(labels.size(), width, 0);
        if (meta.get("padding") instanceof String padding) {               // TF SAME for networks of Google's weights
            net.setPadding(dev.litenet.tensor.Padding.valueOf(padding.toUpperCase(java.util.Locale.ROOT)));
        }
        LinkedHashMap<String, TorchTensor> state = new LinkedHashMap<>();
        for (Operator op : graph.operators()) {
            if (op.op() != Op.CONV_2D && op.op() != Op.DEPTHWISE_CONV_2D && op.op() != Op.FULLY_CONNECTED) continue;
            if (op.inputs().length < 3 || op.inputs()[1] < 0 || op.inputs()[2] < 0) throw new BadInputException(file, op + ": needs input, weight and bias");
            Tensor weight = graph.tensor(op.inputs()[1]);
            float[] bias = graph.tensor(op.inputs()[2]).values();
            if (!weight.name().endsWith(".weight")) throw new BadInputException(file, op + ": weight tensor '" + weight.name() + "' is not named by its module");
            String path = weight.name().substring(0, weight.name().length() - ".weight".length());
            TorchTensor w = switch (op.op()) {
                case CONV_2D -> TfliteConvs.convToTorch(weight);
                case DEPTHWISE_CONV_2D -> TfliteConvs.depthwiseToTorch(weight);
                default -> new TorchTensor(weight.shape(), weight.values());
            };
            state.put(path + ".weight", w);
            Object bn = folded.get(path);
            if (bn != null) {
                if (net.stateEntries().containsKey(path + ".bias")) state.put(path + ".bias", new TorchTensor(new int[] {bias.length}, new float[bias.length]));
                TfliteConvs.putFoldedBatchNorm(state, (String) bn, bias, batchNorm(net, (String) bn, file).eps);
            } else {
                state.put(path + ".bias", new TorchTensor(new int[] {bias.length}, bias));
            }
        }
        StateDict.load(net, state, file.toString());
        net.train(false);
        return new Model(net, labels, preprocess, file.getFileName().toString(), "", List.of());
    }

    private static BatchNorm2d batchNorm(Network net, String path, Path file) {
        Layer l = net;
        for (String part : path.split("\\.")) {
            l = l == null ? null : l.child(part);
        }
        if (!(l instanceof BatchNorm2d bn)) throw new BadInputException(file, "no BatchNorm at " + path + " in " + net.config().architecture());
        return bn;
    }
}
