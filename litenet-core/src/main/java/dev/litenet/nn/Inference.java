package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Batched inference one image at a time per thread: each thread runs the whole network on one image with serial
 * kernels, then takes the next. An image's activations (~50 MB for MobileNetV2 at 224, much of it in the few
 * largest layers) then stay in that core's caches and the process holds one image's activations per thread,
 * not the batch's. A single image runs with parallel kernels instead.
 * For inference twins only ({@link Layer#fused()}): nothing is recorded for backward.
 *
 * <p>Memory: every activation comes from the calling (or worker) thread's {@link Scratch} and goes back to it, so
 * once a thread has run a net at an input shape, the next pass of that shape allocates nothing. The result is a
 * {@link Scratch} tensor too, the caller's to keep: giving it back with {@link Scratch#release} when done makes
 * the caller's next pass allocation-free as well.
 */
public final class Inference {
    private Inference() {}

    /** One image's input and output shape through a net, from its first batch: a batch's result is taken before its images run. */
    private record Shapes(int[] in, int[] out) {}

    private static final Map<Layer, Shapes> SHAPES = Collections.synchronizedMap(new WeakHashMap<>());

    /** x (N, ...) -> net(x) (N, ...). */
    public static Tensor forward(Layer net, Tensor x) {
        int n = x.dim(0);
        if (n >= 4) Simd.batchComing();
        if (n < 2) return net.forward(x);
        Shapes shapes = SHAPES.get(net);
        int first = 0;
        Tensor y;
        if (shapes != null && sameImage(shapes.in(), x.shape)) {
            y = batchOf(shapes.out(), n);
        } else {                                   // a new shape: the first image, alone, tells the output's shape
            Tensor one = image(x, 0), out = net.forward(one);
            shapes = new Shapes(one.shape.clone(), out.shape.clone());
            SHAPES.put(net, shapes);
            y = batchOf(shapes.out(), n);
            System.arraycopy(out.data, 0, y.data, 0, out.size());
            giveBack(one, out);
            first = 1;
        }
        if (Parallel.serial(n - first, 1)) {
            images(net, x, first, n, y);
        } else {
            Images call = IMAGES.get().set(net, x, first, y);
            try {
                Parallel.range(n - first, 1, call);
            } finally {
                call.set(null, null, 0, null);
            }
        }
        return y;
    }

    /**
     * A batch split over threads, images [first + from, first + to) per chunk: one per calling thread, reused batch
     * after batch (a lambda capturing the operands would be an object per batch). Chunks run serially inside, so a
     * thread's call is never in flight twice.
     */
    private static final class Images implements Parallel.Body {
        private Layer net;
        private Tensor x, y;
        private int first;

        Images set(Layer net, Tensor x, int first, Tensor y) {
            this.net = net;
            this.x = x;
            this.first = first;
            this.y = y;
            return this;
        }

        @Override public void run(int from, int to) { images(net, x, first + from, first + to, y); }
    }

    private static final ThreadLocal<Images> IMAGES = ThreadLocal.withInitial(Images::new);

    // images [from, to) of x through net into their rows of y, each image's buffers from this thread's Scratch
    private static void images(Layer net, Tensor x, int from, int to, Tensor y) {
        for (int i = from; i < to; i++) {
            Tensor one = image(x, i), out = net.forward(one);
            System.arraycopy(out.data, 0, y.data, i * out.size(), out.size());
            giveBack(one, out);
        }
    }

    // image i of x as a batch of one, in a buffer of this thread's
    private static Tensor image(Tensor x, int i) {
        int per = x.size() / x.dim(0);
        Tensor one;
        if (x.rank() == 4) {
            one = Scratch.uninitialized(1, x.dim(1), x.dim(2), x.dim(3));
        } else {
            int[] shape = x.shape.clone();
            shape[0] = 1;
            one = Scratch.uninitialized(shape);
        }
        System.arraycopy(x.data, i * per, one.data, 0, per);
        return one;
    }

    private static void giveBack(Tensor in, Tensor out) {
        if (out.data != in.data) Scratch.release(out);
        Scratch.release(in);
    }

    // n images of the given one-image output shape
    private static Tensor batchOf(int[] one, int n) {
        if (one.length == 2) return Scratch.uninitialized(n, one[1]);
        if (one.length == 4) return Scratch.uninitialized(n, one[1], one[2], one[3]);
        int[] shape = one.clone();
        shape[0] = n;
        return Scratch.uninitialized(shape);
    }

    // whether x's images have the shape of this one-image shape
    private static boolean sameImage(int[] one, int[] x) {
        return one.length == x.length && Arrays.equals(one, 1, one.length, x, 1, x.length);
    }
}
