package dev.litenet.tensor;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reusable activation buffers for inference, one pool per thread. A forward pass allocates ~50 MB of
 * activations per 224×224 image; taking them from here instead of {@code new float[]} saves the JVM's zeroing
 * and the garbage. Buffers come back dirty: only kernels that write every output element may use them.
 */
public final class Scratch {
    private static final int KEEP_PER_SIZE = 4;
    private static final ThreadLocal<Map<Integer, ArrayDeque<float[]>>> POOL = ThreadLocal.withInitial(HashMap::new);

    private Scratch() {}

    /** A tensor whose values are garbage until written. */
    public static Tensor uninitialized(int... shape) {
        long n = Tensor.numel(shape);
        ArrayDeque<float[]> free = POOL.get().get((int) n);
        float[] data = free == null ? null : free.poll();
        return new Tensor(data != null ? data : new float[Math.toIntExact(n)], shape);
    }

    /** Gives a tensor's buffer back for reuse; the caller must not touch the tensor afterwards. */
    public static void release(Tensor t) {
        ArrayDeque<float[]> free = POOL.get().computeIfAbsent(t.data.length, k -> new ArrayDeque<>());
        if (free.size() < KEEP_PER_SIZE) free.push(t.data);
    }
}
