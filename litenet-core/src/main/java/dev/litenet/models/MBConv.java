package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.FoldedMBConv;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Sequential;
import dev.litenet.nn.Sigmoid;
import dev.litenet.nn.SiLU;
import dev.litenet.nn.SqueezeExcitation;
import dev.litenet.nn.StochasticDepth;
import dev.litenet.tensor.Tensor;

import java.util.function.IntFunction;

/**
 * EfficientNet's mobile inverted bottleneck (Tan & Le 2019, torchvision {@code MBConv}): child {@code block} =
 * 1×1 expand conv, BN, SiLU (when the expanded width differs from the input's), k×k depthwise conv with the
 * stride, BN, SiLU, squeeze-and-excitation (fc1, SiLU, fc2, Sigmoid), 1×1 projection conv, BN (no activation);
 * child {@code stochastic_depth}. With stride 1 and as many channels out as in, the output is the input plus
 * the block's output, which stochastic depth drops for whole samples in training. in (N,H,W,in) -> out (N,H/s,W/s,out).
 */
public final class MBConv extends Layer {
    public final boolean useResidual;
    private final Sequential block;
    private final StochasticDepth stochasticDepth;

    /** A block as torchvision's {@code MBConv(cnf, stochastic_depth_prob, norm_layer)} builds it. */
    public MBConv(EfficientNet.MBConvConfig cnf, float stochasticDepthProb, IntFunction<BatchNorm2d> normLayer) {
        if (cnf.stride() < 1 || cnf.stride() > 2) throw new IllegalArgumentException("illegal stride value " + cnf.stride());
        useResidual = cnf.stride() == 1 && cnf.inputChannels() == cnf.outChannels();
        int in = cnf.inputChannels(), expanded = cnf.expandedChannels();
        block = new Sequential();
        if (expanded != in) block.add(new Conv2dNormActivation(in, expanded, 1, 1, 1, normLayer, MBConv::silu));     // expand
        block.add(new Conv2dNormActivation(expanded, expanded, cnf.kernel(), cnf.stride(), expanded, normLayer, MBConv::silu)); // depthwise
        block.add(new SqueezeExcitation(expanded, cnf.squeezeChannels(), silu(), new Sigmoid()));
        block.add(new Conv2dNormActivation(expanded, cnf.outChannels(), 1, 1, 1, normLayer, null));                   // project
        addChild("block", block);
        stochasticDepth = addChild("stochastic_depth", new StochasticDepth(stochasticDepthProb, StochasticDepth.Mode.ROW));
    }

    /** EfficientNet's activation: {@code nn.SiLU(inplace=True)}, as torchvision's Conv2dNormActivation and SE make it. */
    static SiLU silu() { return new SiLU(true); }

    public Sequential block() { return block; }

    /** The probability that training drops this block's branch for a sample (without a residual there is no branch to drop). */
    public float stochasticDepthProb() { return stochasticDepth.p; }

    /** Seeds the stochastic depth's draws (each block of a network gets its own seed). */
    public void setStochasticDepthSeed(long seed) { stochasticDepth.setSeed(seed); }

    @Override public Tensor forward(Tensor x) {
        Tensor y = block.call(x);
        if (!useResidual) return y;
        y = stochasticDepth.call(y);
        for (int i = 0; i < y.data.length; i++) y.data[i] += x.data[i];
        return y;
    }

    @Override public Tensor backward(Tensor dy) {
        if (!useResidual) return block.backward(dy);
        Tensor dx = block.backward(stochasticDepth.backward(dy));
        for (int i = 0; i < dx.data.length; i++) dx.data[i] += dy.data[i];
        return dx;
    }

    /**
     * Inference twin ({@link FoldedMBConv}): BatchNorm folded into the convs, SiLU in place right after the expand and
     * depthwise convs, the excitation's scale folded into the projection; no stochastic depth.
     */
    @Override public Layer fused() {
        int i = 0;
        Conv2dNormActivation expand = block.size() == 4 ? (Conv2dNormActivation) block.get(i++) : null;
        Conv2dNormActivation depthwise = (Conv2dNormActivation) block.get(i++);
        SqueezeExcitation se = (SqueezeExcitation) block.get(i++);
        Conv2dNormActivation project = (Conv2dNormActivation) block.get(i);
        return new FoldedMBConv(expand == null ? null : expand.conv().foldedWith(expand.bn(), false),
                depthwise.conv().foldedWith(depthwise.bn(), false), (SqueezeExcitation) se.fused(),
                project.conv().foldedWith(project.bn(), false), useResidual);
    }
}
