package dev.litenet.data;

import java.util.Arrays;

/**
 * The contents of an IDX file of unsigned bytes: its dimensions and its values, row-major, last dimension
 * fastest. {@code data} is kept as given, not copied (a training set is tens of megabytes).
 */
public record IdxArray(int[] dims, byte[] data) {
    public IdxArray {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) n *= d;
        if (n != data.length) throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " need " + n + " values, got " + data.length);
    }

    @Override public int[] dims() { return dims.clone(); }

    /** The size of the first dimension: the number of items. */
    public int count() { return dims[0]; }

    /** Value {@code i} (flat index) as 0..255. */
    public int unsigned(int i) { return data[i] & 0xFF; }

    @Override public boolean equals(Object o) {
        return o instanceof IdxArray a && Arrays.equals(a.dims, dims) && Arrays.equals(a.data, data);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data); }

    @Override public String toString() { return "IdxArray" + Arrays.toString(dims); }
}
