package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.ReLU6;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Tensor;

/**
 * Conv2d (no bias, padding (k-1)/2) → BatchNorm2d → ReLU6, torchvision's {@code ConvBNReLU}. While recording, its
 * output can be dropped and recomputed from the conv's output that BatchNorm keeps anyway: training holds one
 * activation per block instead of two. Backward goes through ReLU6 and BatchNorm in one pass.
 */
public final class ConvBNReLU extends Sequential {
    private Tensor output;

    public ConvBNReLU(int in, int out, int kernel, int stride, int groups) {
        super(new Conv2d(in, out, kernel, stride, groups, false), new BatchNorm2d(out), new ReLU6());
        conv().reuseOutputBuffer(true);                           // read by BatchNorm only
    }

    @Override public Tensor forward(Tensor x) {
        Tensor y = super.forward(x);
        output = recording ? y : null;
        return y;
    }

    /** ReLU6 and BatchNorm backward in one pass (the mask comes from BatchNorm's kept input), then the conv's. */
    @Override public Tensor backward(Tensor dy) {
        return conv().backward(bn().backward(dy, 0f, 6f));
    }

    /** Its ReLU6 keeps nothing: backward goes through it inside BatchNorm's. */
    @Override public void setRecording(boolean on) {
        super.setRecording(on);
        get(2).setRecording(false);
    }

    @Override public void dropOutput() {
        if (output != null) output.drop();
    }

    @Override public void restoreOutput() {
        if (output != null && output.dropped()) output.restore(bn().recomputeClamped(0f, 6f));
        output = null;
    }

    public Conv2d conv() { return (Conv2d) get(0); }

    public BatchNorm2d bn() { return (BatchNorm2d) get(1); }
}
