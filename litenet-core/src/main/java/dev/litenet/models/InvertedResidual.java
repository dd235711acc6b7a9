package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.FusedInvertedResidual;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Tensor;

/**
 * MobileNetV2's block (paper §3.3, torchvision {@code InvertedResidual}): 1×1 expand to {@code in·t} channels
 * (skipped when t = 1), 3×3 depthwise with the stride, 1×1 linear projection (no ReLU), and a residual add when
 * the shape is unchanged. in (N,H,W,in) -> out (N,H/s,W/s,out).
 */
public final class InvertedResidual extends Layer {
    public final boolean useResidual;
    private final Sequential conv;

    public InvertedResidual(int in, int out, int stride, int expandRatio) {
        int hidden = Math.round(in * (float) expandRatio);
        useResidual = stride == 1 && in == out;
        conv = new Sequential();
        if (expandRatio != 1) conv.add(new ConvBNReLU(in, hidden, 1, 1, 1));       // pw
        conv.add(new ConvBNReLU(hidden, hidden, 3, stride, hidden));                 // dw
        conv.add(new Conv2d(hidden, out, 1, 1, 1, false));                           // pw-linear
        conv.add(new BatchNorm2d(out));
        addChild("conv", conv);
    }

    public Sequential conv() { return conv; }

    /** Its inference twin: BatchNorm folded into the convs, run over bands of rows ({@link FusedInvertedResidual}). */
    @Override public Layer fused() {
        Layer f = conv.fused();
        return new FusedInvertedResidual(f instanceof Sequential s ? s : new Sequential(f), useResidual);
    }

    @Override public Tensor forward(Tensor x) {
        Tensor y = conv.call(x);
        if (!useResidual) return y;
        for (int i = 0; i < y.data.length; i++) y.data[i] += x.data[i];
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        Tensor dx = conv.backward(dy);
        if (useResidual) for (int i = 0; i < dx.data.length; i++) dx.data[i] += dy.data[i];
        return dx;
    }
}
