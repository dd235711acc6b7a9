package dev.litenet.models;

import dev.litenet.data.Preprocess;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.TorchTensor;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * Weights imported from a TFLite MobileNetV2: a torchvision-named state_dict (BatchNorm as identity plus
 * bias, since TFLite folded it into the convs), the padding those weights were trained with, the
 * preprocessing their input expects, and the class labels ({@code labels.get(0)} is "background"; empty when
 * none came with the file).
 */
public record TfliteImport(LinkedHashMap<String, TorchTensor> stateDict, Padding padding,
                           Preprocess preprocessing, List<String> labels) {

    /** Number of classifier outputs (1001 for Google's ImageNet files: background plus 1000 classes). */
    public int numClasses() { return stateDict.get("classifier.1.bias").shape()[0]; }

    /** Learnable values: every tensor but BatchNorm running statistics and {@code num_batches_tracked}. */
    public long parameterCount() {
        return stateDict.entrySet().stream()
                .filter(e -> !e.getKey().endsWith("running_mean") && !e.getKey().endsWith("running_var")
                        && !e.getKey().endsWith("num_batches_tracked"))
                .mapToLong(e -> e.getValue().numel()).sum();
    }
}
