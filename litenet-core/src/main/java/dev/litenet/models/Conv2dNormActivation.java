package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Sequential;

import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Conv2d (no bias, padding (k-1)/2) → normalization → activation (none for a linear projection), as
 * torchvision.ops.misc's {@code Conv2dNormActivation}: children {@code 0, 1, 2} as torch names them, the norm
 * made by the architecture's {@code norm_layer} (its eps and momentum). Its inference twin ({@link Sequential#fused})
 * is the conv with the BatchNorm folded in, followed by the activation. in (N,H,W,in) -> out (N,H/s,W/s,out).
 */
public final class Conv2dNormActivation extends Sequential {
    /** {@code activation} null: conv and norm only. */
    public Conv2dNormActivation(int in, int out, int kernel, int stride, int groups,
                                IntFunction<BatchNorm2d> normLayer, Supplier<? extends Layer> activation) {
        super(new Conv2d(in, out, kernel, stride, groups, false), normLayer.apply(out));
        if (activation != null) add(activation.get());
    }

    public Conv2d conv() { return (Conv2d) get(0); }

    public BatchNorm2d norm() { return (BatchNorm2d) get(1); }
}
