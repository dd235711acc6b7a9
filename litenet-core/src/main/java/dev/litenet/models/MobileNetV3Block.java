package dev.litenet.models;

import dev.litenet.nn.FusedInvertedResidual;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Tensor;

/**
 * MobileNetV3's block (Howard et al. 2019, §5; torchvision {@code mobilenetv3.InvertedResidual}): the child
 * {@code block}, a Sequential of
 * <ol>
 * <li>1×1 expand to the expanded channels, BN, activation (only when they differ from the input channels),
 * <li>k×k depthwise with the stride, BN, activation,
 * <li>squeeze-and-excitation on the depthwise output (when the row says so; scale activation Hardsigmoid),
 * <li>1×1 linear projection, BN (no activation),
 * </ol>
 * plus the input when the stride is 1 and the channels are unchanged. The activation is the row's: ReLU or
 * Hardswish. in (N,H,W,in) -> out (N,H/s,W/s,out).
 */
public final class MobileNetV3Block extends Layer {
    public final MobileNetV3.InvertedResidualConfig config;
    public final boolean useResidual;
    private final Sequential block = new Sequential();

    /** A block of the row's (width-adjusted) channels, BatchNorm with torchvision's MobileNetV3 eps and momentum. */
    public MobileNetV3Block(MobileNetV3.InvertedResidualConfig cnf) {
        if (cnf.stride() < 1 || cnf.stride() > 2) throw new IllegalArgumentException("illegal stride value " + cnf.stride());
        if (cnf.dilation() != 1) throw new IllegalArgumentException("dilated blocks are not supported: " + cnf);
        config = cnf;
        useResidual = cnf.stride() == 1 && cnf.inputChannels() == cnf.outChannels();
        int in = cnf.inputChannels(), hidden = cnf.expandedChannels();
        float eps = MobileNetV3.BN_EPS, momentum = MobileNetV3.BN_MOMENTUM;
        if (hidden != in) block.add(new Conv2dNormActivation(in, hidden, 1, 1, 1, eps, momentum, cnf.activation().layer()));
        block.add(new Conv2dNormActivation(hidden, hidden, cnf.kernel(), cnf.stride(), hidden, eps, momentum, cnf.activation().layer()));
        if (cnf.useSe()) block.add(MobileNetV3.squeezeExcitation(hidden));
        block.add(new Conv2dNormActivation(hidden, cnf.outChannels(), 1, 1, 1, eps, momentum, null));
        addChild("block", block);
    }

    public Sequential block() { return block; }

    @Override public Tensor forward(Tensor x) {
        Tensor y = block.call(x);
        if (!useResidual) return y;
        for (int i = 0; i < y.data.length; i++) y.data[i] += x.data[i];
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        Tensor dx = block.backward(dy);
        if (useResidual) for (int i = 0; i < dx.data.length; i++) dx.data[i] += dy.data[i];
        return dx;
    }

    /**
     * Its inference twin: BatchNorm folded into the convs, ReLU as their clamp, Hardswish in place right after its
     * conv, in one flat chain {@code expand [act], depthwise [act], [SE], project} for {@link FusedInvertedResidual}.
     * The ReLU blocks with an expansion and no SE are its three convs, which it runs over bands of rows as in
     * MobileNetV2; the others (Hardswish or SE; from 28×28 down at 224, where the expanded tensor fits in L2
     * anyway) it runs layer after layer: banding them as well measured no faster.
     */
    @Override public Layer fused() {
        Sequential flat = new Sequential();
        for (Layer l : block.children().values()) {
            Layer f = l.fused();
            if (f instanceof Sequential s) s.children().values().forEach(flat::add);
            else flat.add(f);
        }
        return new FusedInvertedResidual(flat, useResidual);
    }

    /** torch's class name, for summaries. */
    @Override public String typeName() { return "InvertedResidual"; }
}
