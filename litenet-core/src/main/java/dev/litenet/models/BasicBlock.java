package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * ResNet's basic block (He et al. 2016, torchvision {@code BasicBlock}): 3×3 conv with the stride, BN, ReLU,
 * 3×3 conv, BN, plus the shortcut (the input, or {@code downsample} = 1×1 conv with the stride and BN when the
 * shape changes), then ReLU. One ReLU module is applied twice, as in torchvision.
 * in (N,H,W,in) -> out (N,H/s,W/s,planes).
 */
public final class BasicBlock extends Layer {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;             // null in the fused twin (folded into the convs)
    private final ReLU relu;
    private final Layer downsample;                 // null: the shortcut is the input
    private Tensor savedY1, savedY2;                // the two ReLU outputs, when recording

    public BasicBlock(int in, int planes, int stride) {
        conv1 = addChild("conv1", new Conv2d(in, planes, 3, stride, 1, false));
        bn1 = addChild("bn1", new BatchNorm2d(planes));
        relu = addChild("relu", new ReLU());
        conv2 = addChild("conv2", new Conv2d(planes, planes, 3, 1, 1, false));
        bn2 = addChild("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || in != planes
                ? addChild("downsample", new Sequential(new Conv2d(in, planes, 1, stride, 1, false), new BatchNorm2d(planes)))
                : null;
    }

    private BasicBlock(Conv2d conv1, Conv2d conv2, Layer downsample) {
        this.conv1 = addChild("conv1", conv1);
        this.conv2 = addChild("conv2", conv2);
        this.relu = addChild("relu", new ReLU());
        this.downsample = downsample == null ? null : addChild("downsample", downsample);
        this.bn1 = null;
        this.bn2 = null;
    }

    public boolean hasDownsample() { return downsample != null; }

    @Override public Tensor forward(Tensor x) {
        Tensor out = conv1.call(x);
        if (bn1 != null) out = relu.call(then(bn1, out));      // fused: conv1 clamps at 0 itself
        savedY1 = recording ? out : null;
        out = then(conv2, out);
        if (bn2 != null) out = then(bn2, out);
        Tensor identity = downsample == null ? x : downsample.call(x);
        for (int i = 0; i < out.data.length; i++) out.data[i] += identity.data[i];
        if (identity != x && !recording) Scratch.release(identity);
        out = relu.call(out);
        savedY2 = recording ? out : null;
        return out;
    }

    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedY2);
        Tensor d = ReLU.backward(dy, savedY2);
        Tensor dShortcut = downsample == null ? d : downsample.backward(d);
        Tensor dm = conv2.backward(bn2 == null ? d : bn2.backward(d));
        dm = bn1 == null ? dm : bn1.backward(ReLU.backward(dm, savedY1));
        Tensor dx = conv1.backward(dm);
        for (int i = 0; i < dx.data.length; i++) dx.data[i] += dShortcut.data[i];
        return dx;
    }

    /** Inference twin: BN folded into both convs, the first ReLU as conv1's clamp, the shortcut folded too. */
    @Override public Layer fused() {
        if (bn1 == null) return this;
        Conv2d c1 = conv1.foldedWith(bn1, false);
        c1.setClamp(0f, Float.POSITIVE_INFINITY);
        return new BasicBlock(c1, conv2.foldedWith(bn2, false), downsample == null ? null : downsample.fused());
    }
}
