package dev.litenet.nn;

import dev.litenet.tensor.TorchTensor;

import java.util.Arrays;

/**
 * A named tensor of a layer: a learnable parameter (with a gradient and a trainable flag) or a buffer such as
 * BatchNorm's running mean. {@link #shape()} is PyTorch's shape; the values are stored in the layout the
 * kernels want, given as a permutation of the torch dimensions (a conv weight {@code [out,in,kh,kw]} is stored
 * {@code [kh][kw][in][out]}: layout {@code {2,3,1,0}}). {@link #fromTorch} and {@link #toTorch} convert.
 */
public final class Parameter {
    private final int[] shape;
    private final int[] layout;
    public final float[] data;
    private float[] grad;
    private boolean trainable;

    public Parameter(int[] torchShape, int[] layout, boolean trainable) {
        this.shape = torchShape.clone();
        this.layout = layout.clone();
        long n = 1;
        for (int d : torchShape) n *= d;
        this.data = new float[(int) n];
        this.trainable = trainable;
    }

    /** A parameter stored in torch's own order. */
    public static Parameter of(boolean trainable, int... torchShape) {
        int[] identity = new int[torchShape.length];
        Arrays.setAll(identity, i -> i);
        return new Parameter(torchShape, identity, trainable);
    }

    public int[] shape() { return shape.clone(); }

    public int numel() { return data.length; }

    public boolean trainable() { return trainable; }

    public void setTrainable(boolean trainable) { this.trainable = trainable; }

    /** The gradient, allocated on first use. */
    public float[] grad() {
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    public boolean hasGrad() { return grad != null; }

    public void zeroGrad() { if (grad != null) Arrays.fill(grad, 0f); }

    public void fill(float v) { Arrays.fill(data, v); }

    /** Copies torch-ordered values into the stored layout. */
    public void fromTorch(float[] torch) {
        if (torch.length != data.length) throw new IllegalArgumentException("size " + torch.length + " != " + data.length);
        permute(torch, shape, layout, data, true);
    }

    public void fromTorch(TorchTensor t) { fromTorch(t.data()); }

    /** The values in torch's order and shape. */
    public TorchTensor toTorch() { return new TorchTensor(shape.clone(), toTorch(data)); }

    /** Any stored-layout array (the values or the gradient) in torch's order. */
    public float[] toTorch(float[] stored) {
        float[] out = new float[stored.length];
        permute(stored, shape, layout, out, false);
        return out;
    }

    // torch index (row-major over shape) <-> stored index (row-major over shape permuted by layout)
    private static void permute(float[] src, int[] shape, int[] layout, float[] dst, boolean torchToStored) {
        int r = shape.length;
        boolean identity = true;
        for (int i = 0; i < r; i++) identity &= layout[i] == i;
        if (identity) { System.arraycopy(src, 0, dst, 0, src.length); return; }
        int[] storedShape = new int[r], storedStride = new int[r], strideOfTorchDim = new int[r];
        for (int i = 0; i < r; i++) storedShape[i] = shape[layout[i]];
        for (int i = r - 1, s = 1; i >= 0; s *= storedShape[i], i--) storedStride[i] = s;
        for (int i = 0; i < r; i++) strideOfTorchDim[layout[i]] = storedStride[i];
        // torch order outside; inside, its last dimension longer than 1 as one strided run (torch stride 1)
        int in = r - 1;
        while (in > 0 && shape[in] == 1) in--;
        int run = shape[in], step = strideOfTorchDim[in];
        int[] idx = new int[r];
        for (int t = 0; t < src.length; t += run) {
            int s = 0;
            for (int d = 0; d < in; d++) s += idx[d] * strideOfTorchDim[d];
            if (torchToStored) for (int j = 0; j < run; j++) dst[s + j * step] = src[t + j];
            else for (int j = 0; j < run; j++) dst[t + j] = src[s + j * step];
            for (int d = in - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
    }
}
