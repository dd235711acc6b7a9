package dev.litenet.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor: a row-major {@code float[]} and its shape. Activations of images are NHWC
 * (batch, height, width, channels); channels are the innermost, contiguous dimension.
 */
public final class Tensor {
    public final int[] shape;
    /** The values; null only while {@link #drop dropped}. */
    public float[] data;
    private final int size;

    public Tensor(float[] data, int... shape) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
        this.size = data.length;
    }

    public static Tensor zeros(int... shape) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        return new Tensor(new float[(int) n], shape);
    }

    public static long numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }

    public int size() { return size; }

    /**
     * Lets the values go while the tensor object stays referenced: training drops an activation that is cheap to
     * compute again (see {@code Layer.dropOutput}) and {@link #restore restores} it before backward reads it.
     */
    public void drop() { data = null; }

    public boolean dropped() { return data == null; }

    public void restore(float[] values) {
        if (values.length != size) throw new IllegalArgumentException("restore " + values.length + " values into " + shapeString());
        data = values;
    }

    /** The same values under another shape with as many elements. */
    public Tensor reshape(int... newShape) { return new Tensor(data, newShape); }

    public Tensor copy() { return new Tensor(data.clone(), shape); }

    public String shapeString() { return Arrays.toString(shape); }

    @Override public String toString() { return "Tensor" + shapeString(); }
}
