package dev.litenet.tensor;

import java.util.Arrays;

/**
 * A tensor in PyTorch's own layout, as a state_dict holds it: row-major values in the torch shape
 * (a conv weight is {@code [out, in/groups, kh, kw]}, a linear weight {@code [out, in]}). Integer tensors
 * such as {@code num_batches_tracked} are carried as floats.
 */
public record TorchTensor(int[] shape, float[] data) {
    public TorchTensor {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }

    public long numel() { return data.length; }

    @Override public String toString() { return "TorchTensor" + Arrays.toString(shape); }
}
