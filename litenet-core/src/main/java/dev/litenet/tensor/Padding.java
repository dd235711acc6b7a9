package dev.litenet.tensor;


/**
 * How a convolution pads its input. PyTorch pads {@code p} on every side; TensorFlow's {@code SAME} makes
 * {@code out = ceil(in / stride)} and, when the total padding is odd, puts the extra row and column at the
 * bottom and right (tensorflow/python/ops/nn_ops.py, "SAME" padding). Pretrained TFLite weights need SAME.
 */
public enum Padding {
    /** PyTorch: {@code (k - 1) / 2} on each side (torchvision's convs use exactly this). */
    TORCH,
    /** TensorFlow SAME: {@code out = ceil(in / s)}, the odd pixel of padding at the bottom/right. */
    TF_SAME;

    /** The geometry of a k×k convolution with this padding on an in H×W input. */
    public Geometry geometry(int inH, int inW, int k, int stride) {
        return switch (this) {
            case TORCH -> torch(inH, inW, k, stride, (k - 1) / 2);
            case TF_SAME -> {
                int outH = ceilDiv(inH, stride), outW = ceilDiv(inW, stride);
                int padH = Math.max((outH - 1) * stride + k - inH, 0), padW = Math.max((outW - 1) * stride + k - inW, 0);
                yield new Geometry(inH, inW, outH, outW, k, stride, padH / 2, padW / 2);
            }
        };
    }

    /** PyTorch's {@code Conv2d(padding=p)}: {@code out = (in + 2p - k) / s + 1}. */
    public static Geometry torch(int inH, int inW, int k, int stride, int pad) {
        int outH = (inH + 2 * pad - k) / stride + 1, outW = (inW + 2 * pad - k) / stride + 1;
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("input " + inH + "x" + inW + " is too small for a " + k + "x" + k + " conv with stride " + stride);
        }
        return new Geometry(inH, inW, outH, outW, k, stride, pad, pad);
    }

    private static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    /** Input and output sizes, kernel, stride, and the padding before the first row/column. */
    public record Geometry(int inH, int inW, int outH, int outW, int k, int stride, int padTop, int padLeft) {}
}
