package dev.litenet.io;

import java.util.Arrays;

/**
 * A tensor as torch pickles it: a view of {@code shape} into a storage, starting at element {@code offset},
 * stepping {@code stride[d]} elements along dimension d. {@link #gather} copies it out in row-major order.
 */
record StoredTensor(TorchPickle.Storage storage, long offset, int[] shape, long[] stride) {

    /** Number of elements of the view (may exceed int range; callers check). */
    long numel() {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, (long) d);
        return n;
    }

    /** True when the view is row-major contiguous (dimensions of size 1 may have any stride). */
    boolean contiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /**
     * The problem with this view over {@code storageLength} elements, or null when every element it reaches
     * lies inside the storage.
     */
    String checkBounds(long storageLength) {
        if (offset < 0) return "negative storage offset " + offset;
        long n;
        try {
            n = numel();
        } catch (ArithmeticException e) {
            return "tensor shape " + Arrays.toString(shape) + " is too large";
        }
        if (n > Integer.MAX_VALUE - 8) return "tensor shape " + Arrays.toString(shape) + " is too large";
        if (n == 0) return null;
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            if (stride[d] < 0) return "negative stride " + stride[d];
            if (stride[d] > Long.MAX_VALUE / Math.max(1, shape[d])) return "stride " + stride[d] + " is too large";
            last += (shape[d] - 1) * stride[d];
            if (last < 0) return "stride " + stride[d] + " is too large";
        }
        if (last >= storageLength) {
            return "tensor " + Arrays.toString(shape) + " with stride " + Arrays.toString(stride) + " at offset " + offset
                    + " needs " + (last + 1) + " elements but its storage has " + storageLength;
        }
        return null;
    }

    /** storage values -> this view's values, row-major; call {@link #checkBounds} first. */
    float[] gather(float[] values) {
        int n = (int) numel();
        float[] out = new float[n];
        if (n == 0) return out;
        if (contiguous()) {
            System.arraycopy(values, (int) offset, out, 0, n);
            return out;
        }
        int rank = shape.length;
        int inner = shape[rank - 1];
        long innerStride = stride[rank - 1];
        int[] index = new int[rank];
        long base = offset;
        for (int o = 0; o < n; o += inner) {
            long p = base;
            for (int i = 0; i < inner; i++, p += innerStride) out[o + i] = values[(int) p];
            for (int d = rank - 2; d >= 0; d--) {
                base += stride[d];
                if (++index[d] < shape[d]) break;
                base -= shape[d] * stride[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
