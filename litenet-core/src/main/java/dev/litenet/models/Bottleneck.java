package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * ResNet's bottleneck block as torchvision builds it (He et al. 2016 §4.1, torchvision {@code Bottleneck}): 1×1
 * conv to {@code planes}, BN, ReLU, 3×3 conv with the stride, BN, ReLU, 1×1 conv to {@code planes·4}, BN, plus
 * the shortcut (the input, or {@code downsample} = 1×1 conv with the stride and BN when the shape changes), then
 * ReLU. The stride sits on the 3×3 conv, not on the first 1×1 as in the paper: torchvision's "ResNet V1.5"
 * ({@link #stridedConv}). One ReLU module is applied three times, as in torchvision.
 * in (N,H,W,in) -> out (N,H/s,W/s,planes·4).
 */
public final class Bottleneck extends Layer {
    /** How much the last 1×1 conv widens the block: torchvision's {@code Bottleneck.expansion}. */
    public static final int EXPANSION = 4;

    private final Conv2d conv1, conv2, conv3;
    private final BatchNorm2d bn1, bn2, bn3;        // null in the fused twin (folded into the convs)
    private final ReLU relu;
    private final Layer downsample;                 // null: the shortcut is the input
    private Tensor savedY1, savedY2, savedY3;       // the three ReLU outputs, when recording

    public Bottleneck(int in, int planes, int stride) {
        int out = planes * EXPANSION;
        conv1 = addChild("conv1", new Conv2d(in, planes, 1, 1, 1, false));
        bn1 = addChild("bn1", new BatchNorm2d(planes));
        conv2 = addChild("conv2", stridedConv(planes, stride));
        bn2 = addChild("bn2", new BatchNorm2d(planes));
        conv3 = addChild("conv3", new Conv2d(planes, out, 1, 1, 1, false));
        bn3 = addChild("bn3", new BatchNorm2d(out));
        relu = addChild("relu", new ReLU());
        downsample = stride != 1 || in != out
                ? addChild("downsample", new Sequential(new Conv2d(in, out, 1, stride, 1, false), new BatchNorm2d(out)))
                : null;
    }

    /**
     * The 3×3 conv carries the block's stride: torchvision's comment on {@code Bottleneck} ("ResNet V1.5", after
     * NVIDIA's resnet_50_v1_5 recipe; the paper strides the first 1×1 conv). It changes the network, not just the
     * weights: a V1 state_dict would load and compute something else.
     */
    static Conv2d stridedConv(int planes, int stride) { return new Conv2d(planes, planes, 3, stride, 1, false); }

    private Bottleneck(Conv2d conv1, Conv2d conv2, Conv2d conv3, Layer downsample) {
        this.conv1 = addChild("conv1", conv1);
        this.conv2 = addChild("conv2", conv2);
        this.conv3 = addChild("conv3", conv3);
        this.downsample = downsample == null ? null : addChild("downsample", downsample);
        this.relu = null;                           // every ReLU is a conv's clamp
        this.bn1 = this.bn2 = this.bn3 = null;
    }

    public boolean hasDownsample() { return downsample != null; }

    @Override public Tensor forward(Tensor x) {
        if (bn1 == null) return fusedForward(x);
        Tensor out = relu.call(bn1.call(conv1.call(x)));
        savedY1 = recording ? out : null;
        out = relu.call(bn2.call(conv2.call(out)));
        savedY2 = recording ? out : null;
        out = bn3.call(conv3.call(out));
        Tensor identity = downsample == null ? x : downsample.call(x);
        for (int i = 0; i < out.data.length; i++) out.data[i] += identity.data[i];
        out = relu.call(out);
        savedY3 = recording ? out : null;
        return out;
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY3);
        Tensor d = ReLU.backward(dy, savedY3);
        Tensor dShortcut = downsample == null ? d : downsample.backward(d);
        Tensor dm = conv3.backward(bn3.backward(d));
        dm = conv2.backward(bn2.backward(ReLU.backward(dm, savedY2)));
        Tensor dx = conv1.backward(bn1.backward(ReLU.backward(dm, savedY1)));
        for (int i = 0; i < dx.data.length; i++) dx.data[i] += dShortcut.data[i];
        savedY1 = savedY2 = savedY3 = null;
        return dx;
    }

    /**
     * Inference twin: BN folded into the three convs, the first two ReLUs as their clamps, the shortcut folded too;
     * the last 1×1 conv adds into the shortcut and clamps at 0 in its epilogue (conv3, BN3, add and ReLU in one pass).
     */
    @Override public Layer fused() {
        if (bn1 == null) return this;
        Conv2d c1 = conv1.foldedWith(bn1, false), c2 = conv2.foldedWith(bn2, false), c3 = conv3.foldedWith(bn3, false);
        for (Conv2d c : new Conv2d[]{c1, c2, c3}) c.setClamp(0f, Float.POSITIVE_INFINITY);
        return new Bottleneck(c1, c2, c3, downsample == null ? null : downsample.fused());
    }

    // the fused twin: out = max(0, conv3(h) + shortcut), the shortcut's buffer becoming the output
    private Tensor fusedForward(Tensor x) {
        Tensor h1 = conv1.call(x), h2 = conv2.call(h1);
        Scratch.release(h1);
        Tensor out;
        if (downsample != null) {
            out = downsample.call(x);
        } else {
            out = Scratch.uninitialized(x.shape);
            System.arraycopy(x.data, 0, out.data, 0, x.data.length);
        }
        conv3.pointwiseRows(h2.data, 0, h2.size() / conv3.in, out.data, 0, true);
        Scratch.release(h2);
        return out;
    }
}
