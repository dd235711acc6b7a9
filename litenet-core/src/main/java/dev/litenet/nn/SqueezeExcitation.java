package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * Squeeze-and-excitation (Hu et al. 2018, Fig. 1) exactly as torchvision's {@code ops.misc.SqueezeExcitation(
 * input_channels, squeeze_channels, activation, scale_activation)}: a per-channel scale
 * {@code σ(fc2(δ(fc1(avgpool(x)))))} computed from the whole image multiplies every pixel. Its children carry
 * torchvision's names ({@code avgpool}, {@code fc1}, {@code fc2}, {@code activation}, {@code scale_activation}), so
 * its state-dict keys are {@code fc1.weight, fc1.bias, fc2.weight, fc2.bias}; fc1 and fc2 are 1×1 convs with bias.
 * MobileNetV3 uses δ = ReLU, σ = Hardsigmoid; EfficientNet δ = SiLU, σ = Sigmoid. in (N,H,W,C) -> out (N,H,W,C).
 */
public final class SqueezeExcitation extends Layer {
    private static final int PIXELS = 256;          // pixels per task of the multiply
    public final int inputChannels, squeezeChannels;
    private final AdaptiveAvgPool2d avgpool;
    private final Conv2d fc1, fc2;
    private final Layer activation, scaleActivation;
    private Tensor savedX, savedScale;

    /** torchvision's defaults: δ = ReLU, σ = Sigmoid. */
    public SqueezeExcitation(int inputChannels, int squeezeChannels) {
        this(inputChannels, squeezeChannels, new ReLU(), new Sigmoid());
    }

    /** δ and σ are layers of their own (each instance belongs to this block only). */
    public SqueezeExcitation(int inputChannels, int squeezeChannels, Layer activation, Layer scaleActivation) {
        this.inputChannels = inputChannels;
        this.squeezeChannels = squeezeChannels;
        avgpool = addChild("avgpool", new AdaptiveAvgPool2d());
        fc1 = addChild("fc1", new Conv2d(inputChannels, squeezeChannels, 1, 1, 1, true));
        fc2 = addChild("fc2", new Conv2d(squeezeChannels, inputChannels, 1, 1, 1, true));
        this.activation = addChild("activation", activation);
        this.scaleActivation = addChild("scale_activation", scaleActivation);
    }

    public Conv2d fc1() { return fc1; }

    public Conv2d fc2() { return fc2; }

    /** x (N,H,W,C) -> y (N,H,W,C) = x·scale(x). */
    @Override public Tensor forward(Tensor x) {
        if (x.dim(3) != inputChannels) throw new IllegalArgumentException("SqueezeExcitation expects " + inputChannels + " channels, got " + x.shapeString());
        Tensor scale = excite(avgpool.call(x));                                                     // (N,1,1,C)
        Tensor y = recording ? Tensor.zeros(x.shape) : Scratch.like(x);
        int pixels = x.dim(0) * x.dim(1) * x.dim(2);
        if (Parallel.serial(pixels, PIXELS)) multiply(x, scale, y, 0, pixels);
        else Parallel.range(pixels, PIXELS, Parallel.call(SqueezeExcitation::multiply).objects(this, x, scale, y, null));
        savedX = recording ? x : null;
        savedScale = recording ? scale : null;
        if (!recording) Scratch.release(scale);
        return y;
    }

    // multiply with the operands of forward's split call
    private static void multiply(Parallel.Call c, int from, int to) {
        ((SqueezeExcitation) c.o0).multiply((Tensor) c.o1, (Tensor) c.o2, (Tensor) c.o3, from, to);
    }

    // y = scale·x over pixels [from, to) of the batch (torch: scale * input)
    private void multiply(Tensor x, Tensor scale, Tensor y, int from, int to) {
        int C = inputChannels, HW = x.dim(1) * x.dim(2);
        float[] xv = x.data, s = scale.data, yv = y.data;
        for (int p = from; p < to; p++) {
            int i = p * C, si = p / HW * C;
            for (int c = 0; c < C; c++) yv[i + c] = s[si + c] * xv[i + c];
        }
    }

    /**
     * The excitation of squeezed channels: means (N,1,1,C) -> scales (N,1,1,C) = σ(fc2(δ(fc1(means)))). At inference
     * each step's input, the means included, goes back to {@link Scratch} once the next step has read it.
     */
    Tensor excite(Tensor means) { return then(scaleActivation, then(fc2, then(activation, then(fc1, means)))); }

    /**
     * dy (N,H,W,C) -> dx (N,H,W,C). y = x·s: the direct path gives dy·s, and the scale path takes
     * ds (N,1,1,C) = Σ over the image of dy·x back through σ, fc2, δ, fc1 and the average to every pixel.
     */
    @Override public Tensor backward(Tensor dy) {
        requireRecorded(savedX);
        int N = dy.dim(0), C = inputChannels, HW = dy.dim(1) * dy.dim(2);
        float[] x = savedX.data, s = savedScale.data, d = dy.data;
        Tensor dx = Tensor.zeros(dy.shape), ds = Tensor.zeros(N, 1, 1, C);
        float[] dxv = dx.data, dsv = ds.data;
        Parallel.range(N, (from, to) -> {                          // each image writes its own row of ds
            for (int n = from; n < to; n++) {
                for (int p = n * HW; p < (n + 1) * HW; p++) {
                    int i = p * C;
                    for (int c = 0; c < C; c++) {
                        dxv[i + c] = d[i + c] * s[n * C + c];
                        dsv[n * C + c] += d[i + c] * x[i + c];
                    }
                }
            }
        });
        Tensor throughScale = avgpool.backward(fc1.backward(activation.backward(fc2.backward(scaleActivation.backward(ds)))));
        float[] t = throughScale.data;
        for (int i = 0; i < dxv.length; i++) dxv[i] += t[i];
        savedX = null;                           // backward runs once per forward: let the memory go
        savedScale = null;
        return dx;
    }

    /**
     * The inference twin: the same block in eval mode with its own copies of fc1 and fc2 and the activations' twins
     * (for torch's activations the same instances, as {@link Sequential#fused} keeps them). Nothing folds: the two 1×1
     * convs run on one pixel per image; the block's cost is the average and the multiply.
     */
    @Override public Layer fused() {
        SqueezeExcitation twin = new SqueezeExcitation(inputChannels, squeezeChannels, activation.fused(), scaleActivation.fused());
        copy(fc1, twin.fc1);
        copy(fc2, twin.fc2);
        twin.train(false);
        return twin;
    }

    private static void copy(Conv2d from, Conv2d to) {
        System.arraycopy(from.weight.data, 0, to.weight.data, 0, from.weight.numel());
        System.arraycopy(from.bias.data, 0, to.bias.data, 0, from.bias.numel());
    }

    @Override public String toString() {
        return "SqueezeExcitation(" + inputChannels + ", " + squeezeChannels + ", activation=" + activation
                + ", scale_activation=" + scaleActivation + ")";
    }
}
