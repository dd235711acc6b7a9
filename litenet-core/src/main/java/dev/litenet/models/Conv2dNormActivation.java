package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Sequential;

import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Conv2d (no bias, padding (k-1)/2) → BatchNorm2d → an optional activation, as torchvision's
 * {@code ops.misc.Conv2dNormActivation} builds it: children {@code 0, 1, 2}, so names read
 * {@code features.0.1.running_var}; the norm made by the architecture's {@code norm_layer} (its eps and momentum).
 * Its inference twin ({@link Sequential#fused}) folds BatchNorm into the conv, a ReLU into the conv's clamp, and keeps
 * any other activation as a layer run in place right after the folded conv. in (N,H,W,in) -> out (N,H/s,W/s,out).
 */
public final class Conv2dNormActivation extends Sequential {
    /**
     * As torchvision's constructor: {@code normLayer} makes the norm for the output channels, {@code activation}
     * (null for none: a linear projection) the activation.
     *
     * @param groups 1 (dense) or {@code in} (depthwise)
     */
    public Conv2dNormActivation(int in, int out, int kernel, int stride, int groups,
                                IntFunction<BatchNorm2d> normLayer, Supplier<? extends Layer> activation) {
        super(new Conv2d(in, out, kernel, stride, groups, false), normLayer.apply(out));
        if (activation != null) add(activation.get());
        conv().reuseOutputBuffer(true);                           // read by BatchNorm only
    }

    /** With a BatchNorm of this eps and momentum, and this activation layer (null for none). */
    public Conv2dNormActivation(int in, int out, int kernel, int stride, int groups, float eps, float momentum, Layer activation) {
        this(in, out, kernel, stride, groups, c -> new BatchNorm2d(c, eps, momentum), activation == null ? null : () -> activation);
    }

    public Conv2d conv() { return (Conv2d) get(0); }

    public BatchNorm2d bn() { return (BatchNorm2d) get(1); }

    /** The activation, or null. */
    public Layer activation() { return size() > 2 ? get(2) : null; }

    @Override public String typeName() { return "Conv2dNormActivation"; }
}
