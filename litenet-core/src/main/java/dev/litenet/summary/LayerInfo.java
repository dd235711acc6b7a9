package dev.litenet.summary;

import java.util.List;

/**
 * What one layer call looked like in a traced forward: one row of a summary. Shapes are in torch's order
 * (NCHW for images, [1, 32, 122, 122]) whatever the engine's layout. Rows come in call order, each parent
 * before its children, as torchinfo's {@code summary_list}.
 *
 * @param path        dotted name in the model, as in parameter names ({@code features.1.conv}); "" for the model
 * @param type        torch's class name ({@code Conv2d}, {@code InvertedResidual})
 * @param depth       0 for the model, 1 for its children, ...
 * @param depthIndex  1-based count of calls at this depth so far, torchinfo's "depth-idx" ({@code 3-21})
 * @param leaf        whether the layer has no children
 * @param inputShape  shape of the input it was called with
 * @param outputShape shape of what it returned
 * @param ownsOutput  whether the output is a tensor no earlier call produced (in-place layers such as ReLU6 and
 *                    identities such as Dropout in eval mode reuse one)
 * @param parameters  all parameters of the layer and its children, names relative to the layer
 * @param kernelSize  [k, k] for a convolution, empty otherwise
 * @param macs        true multiply-adds of this call: convolution and linear layers only, 0 for containers
 */
public record LayerInfo(String path, String type, int depth, int depthIndex, boolean leaf,
                        List<Integer> inputShape, List<Integer> outputShape, boolean ownsOutput,
                        List<ParamInfo> parameters, List<Integer> kernelSize, long macs) {

    /** One parameter as torch names and shapes it, with its trainable flag. */
    public record ParamInfo(String name, List<Integer> shape, boolean trainable) {
        public ParamInfo {
            shape = List.copyOf(shape);
        }

        public long numel() { return product(shape); }

        /** Own parameters are named without a dot ({@code weight}); children's have one ({@code 0.weight}). */
        public boolean own() { return !name.contains("."); }
    }

    public LayerInfo {
        inputShape = List.copyOf(inputShape);
        outputShape = List.copyOf(outputShape);
        parameters = List.copyOf(parameters);
        kernelSize = List.copyOf(kernelSize);
    }

    /** Parameters of this layer and everything below it. */
    public long numParams() { return parameters.stream().mapToLong(ParamInfo::numel).sum(); }

    public long trainableParams() {
        return parameters.stream().filter(ParamInfo::trainable).mapToLong(ParamInfo::numel).sum();
    }

    /** Parameters the layer holds itself, not through a child (torchinfo's "leftover" parameters). */
    public long ownParams() {
        return parameters.stream().filter(ParamInfo::own).mapToLong(ParamInfo::numel).sum();
    }

    public long outputElements() { return product(outputShape); }

    static long product(List<Integer> dims) {
        long n = 1;
        for (int d : dims) n *= d;
        return n;
    }
}
