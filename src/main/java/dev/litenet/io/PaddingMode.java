package dev.litenet.io;

/**
 * How a convolution pads its input. {@code TORCH}: PyTorch's symmetric {@code padding = k / 2}.
 * {@code TF_SAME}: TensorFlow's "SAME", total pad {@code max((ceil(in/s) - 1) * s + k - in, 0)}, half of it
 * (rounded down) at top/left and the rest at bottom/right; for stride 2 on even sizes that puts the one extra
 * row and column at the bottom/right, where PyTorch pads top/left too. Weights imported from TFLite need it.
 */
public enum PaddingMode {
    TORCH("torch"), TF_SAME("tf-same");

    private final String label;

    PaddingMode(String label) { this.label = label; }

    @Override public String toString() { return label; }
}
