package dev.litenet.tensor;

import java.lang.ref.SoftReference;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The inference arena: reusable activations and scratch buffers, one pool per thread. A forward pass at inference
 * takes every activation and buffer from here and gives back what it no longer needs, so once a thread has run an
 * input shape, the next pass of that shape allocates nothing: the tensors themselves (shape and values) come back,
 * looked up by shape without making a key. Buffers come back dirty: only kernels that write every element may use
 * them.
 *
 * <p>Ownership: a tensor taken here is its taker's until given back with {@link #release}; a layer's output belongs
 * to whoever called the layer (a {@code Sequential} gives back each output once the next layer has read it, and a
 * caller of {@code Inference.forward} may give back the result when done with it, or keep it). Give a buffer back
 * on the thread that took it: each thread keeps its own, so the buffers a thread reuses stay in its core's caches.
 */
public final class Scratch {
    /**
     * Free tensors kept per shape (and arrays per length): more than a pass ever holds of one at once (the scalar
     * depthwise kernel holds k·k + 2 buffers of C floats: 27 for a 5×5 filter).
     */
    private static final int KEEP = 32;
    private static final ThreadLocal<SoftReference<Pool>> POOLS = new ThreadLocal<>();

    private Scratch() {}

    /**
     * This thread's pool. It is held softly: a cache of buffers, which the collector clears before it would run out
     * of memory (a process that ran many networks or input sizes holds the buffers of each), and which then fills
     * again from the next pass.
     */
    private static Pool pool() {
        SoftReference<Pool> ref = POOLS.get();
        Pool p = ref == null ? null : ref.get();
        if (p == null) POOLS.set(new SoftReference<>(p = new Pool()));
        return p;
    }

    /** A tensor whose values are garbage until written. */
    public static Tensor uninitialized(int... shape) {
        Tensor t = pool().take(shape, shape.length, 0, 0, 0, 0);
        return t != null ? t : new Tensor(new float[Math.toIntExact(Tensor.numel(shape))], shape);
    }

    /** An (n, h, w, c) tensor whose values are garbage until written; no array is made to ask. */
    public static Tensor uninitialized(int n, int h, int w, int c) {
        Tensor t = pool().take(null, 4, n, h, w, c);
        return t != null ? t : Tensor.zeros(n, h, w, c);
    }

    /** An (n, c) tensor whose values are garbage until written. */
    public static Tensor uninitialized(int n, int c) {
        Tensor t = pool().take(null, 2, n, c, 0, 0);
        return t != null ? t : Tensor.zeros(n, c);
    }

    /** A tensor of x's shape whose values are garbage until written. */
    public static Tensor like(Tensor x) {
        Tensor t = pool().take(x.shape, x.shape.length, 0, 0, 0, 0);
        return t != null ? t : Tensor.zeros(x.shape);
    }

    /** A buffer of exactly {@code length} floats, garbage until written; give it back with {@link #release(float[])}. */
    public static float[] floats(int length) {
        float[] a = pool().takeArray(length);
        return a != null ? a : new float[length];
    }

    /** Gives a tensor back for reuse; the caller must not touch it afterwards. A dropped tensor is ignored. */
    public static void release(Tensor t) {
        if (t != null && !t.dropped()) pool().put(t);
    }

    /** Gives a buffer from {@link #floats} back for reuse; the caller must not touch it afterwards. */
    public static void release(float[] a) {
        if (a != null) pool().putArray(a);
    }

    /**
     * Runs {@code body} with giving back turned off on this thread, so that no tensor object is handed out twice:
     * for a traced pass that tells a layer's new output from one it passed through by the object's identity.
     */
    public static <T> T keeping(Supplier<T> body) {
        Pool p = pool();
        p.keeping++;
        try {
            return body.get();
        } finally {
            p.keeping--;
        }
    }

    /**
     * One thread's free tensors and arrays in buckets by a hash of the shape (or length): a bucket is a small stack,
     * searched for an exact match. Stacks grow while a thread meets new shapes, then stay.
     */
    private static final class Pool {
        private static final int BUCKETS = 128;                       // a power of two
        private final Tensor[][] tensors = new Tensor[BUCKETS][];
        private final int[] tensorCount = new int[BUCKETS];
        private final float[][][] arrays = new float[BUCKETS][][];
        private final int[] arrayCount = new int[BUCKETS];
        private int keeping;                                          // > 0: put and putArray keep nothing

        // the shape is either `shape` (rank dims) or, when shape is null, (d0, d1, d2, d3) cut to rank
        Tensor take(int[] shape, int rank, int d0, int d1, int d2, int d3) {
            int b = shape != null ? bucket(shape) : bucket(rank, d0, d1, d2, d3);
            Tensor[] stack = tensors[b];
            for (int i = tensorCount[b] - 1; i >= 0; i--) {
                Tensor t = stack[i];
                if (shape != null ? Arrays.equals(t.shape, shape) : matches(t.shape, rank, d0, d1, d2, d3)) {
                    stack[i] = stack[--tensorCount[b]];
                    stack[tensorCount[b]] = null;
                    return t;
                }
            }
            return null;
        }

        void put(Tensor t) {
            if (keeping > 0) return;
            int b = bucket(t.shape), same = 0;
            Tensor[] stack = tensors[b];
            for (int i = 0; i < tensorCount[b]; i++) {
                if (stack[i] == t) return;                            // given back twice: keep it once
                if (Arrays.equals(stack[i].shape, t.shape)) same++;
            }
            if (same >= KEEP) return;
            if (stack == null || tensorCount[b] == stack.length) tensors[b] = stack = Arrays.copyOf(stack == null ? new Tensor[0] : stack, tensorCount[b] + 4);
            stack[tensorCount[b]++] = t;
        }

        float[] takeArray(int length) {
            int b = mix(length);
            float[][] stack = arrays[b];
            for (int i = arrayCount[b] - 1; i >= 0; i--) {
                float[] a = stack[i];
                if (a.length == length) {
                    stack[i] = stack[--arrayCount[b]];
                    stack[arrayCount[b]] = null;
                    return a;
                }
            }
            return null;
        }

        void putArray(float[] a) {
            if (keeping > 0) return;
            int b = mix(a.length), same = 0;
            float[][] stack = arrays[b];
            for (int i = 0; i < arrayCount[b]; i++) {
                if (stack[i] == a) return;
                if (stack[i].length == a.length) same++;
            }
            if (same >= KEEP) return;
            if (stack == null || arrayCount[b] == stack.length) arrays[b] = stack = Arrays.copyOf(stack == null ? new float[0][] : stack, arrayCount[b] + 4);
            stack[arrayCount[b]++] = a;
        }

        private static boolean matches(int[] s, int rank, int d0, int d1, int d2, int d3) {
            if (s.length != rank) return false;
            return s[0] == d0 && s[1] == d1 && (rank == 2 || s[2] == d2 && s[3] == d3);
        }

        private static int bucket(int[] shape) {
            int h = shape.length;
            for (int d : shape) h = 31 * h + d;
            return mix(h);
        }

        // the same hash as bucket(int[]) for a shape of rank 2 (d0, d1) or 4 (d0..d3)
        private static int bucket(int rank, int d0, int d1, int d2, int d3) {
            int h = 31 * (31 * rank + d0) + d1;
            if (rank == 4) h = 31 * (31 * h + d2) + d3;
            return mix(h);
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return (h ^ (h >>> 16)) & (BUCKETS - 1);
        }
    }
}
