package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.TorchTensor;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Weights imported from a TFLite MobileNet ({@link TfliteMobileNetV2}, {@link TfliteMobileNetV1}): the
 * {@link Architectures} name and width of the network they fit, a state_dict with that network's names (BatchNorm
 * as identity plus bias, since TFLite folded it into the convs), the padding those weights were trained with, the
 * preprocessing their input expects, and the class labels ({@code labels.get(0)} is "background"; empty when none
 * came with the file). An embedding extractor (a graph cut after the pooling) has no {@code classifier.*} entries
 * and {@link #numClasses()} 0.
 */
public record TfliteImport(String architecture, float widthMult, LinkedHashMap<String, TorchTensor> stateDict,
                           Padding padding, Preprocess preprocessing, List<String> labels) {

    /** Number of classifier outputs (1001 for Google's ImageNet files: background plus 1000 classes); 0 without a classifier. */
    public int numClasses() {
        TorchTensor bias = stateDict.get("classifier.1.bias");
        return bias == null ? 0 : bias.shape()[0];
    }

    /** Whether the file had a classifier; an embedding extractor has none. */
    public boolean hasClassifier() { return numClasses() > 0; }

    /** Learnable values: every tensor but BatchNorm running statistics and {@code num_batches_tracked}. */
    public long parameterCount() {
        return stateDict.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var")
                        && !e.getKey().endsWith("num_batches_tracked"))
                .mapToLong(e -> e.getValue().numel()).sum();
    }

    /**
     * The network these weights fit, built from {@link Architectures} at their width, with their padding and these
     * weights, in eval mode. Without a classifier (an embedding extractor) its head is a placeholder, one class
     * initialized from seed 0 as the architecture initializes heads, for {@link Network#replaceHead} to replace;
     * {@link Network#embed} and {@link Network#fusedEmbedding} are what such weights are for.
     */
    public Network network() {
        Network net = Architectures.get(architecture).build(Math.max(1, numClasses()), widthMult, 0);
        net.setPadding(padding);
        LinkedHashMap<String, TorchTensor> state = stateDict;
        if (!hasClassifier()) {
            state = StateDict.of(net);                        // the placeholder head's own values, the rest imported
            state.putAll(stateDict);
        }
        StateDict.load(net, state, "TFLite " + architecture + " weights");
        net.train(false);
        return net;
    }
}
