package dev.litenet.nn;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Batched inference, the images split over threads, each thread running its share with serial kernels in two
 * parts. The network's first layers run one image at a time: an image's activations (a few MB for MobileNetV2 at
 * 224, most in the early, wide layers) then stay in that core's caches, and the process holds one image's
 * activations per thread, not the batch's. Its last layers, those with at least four times as many weights as input
 * values per image (MobileNetV2's blocks at 14×14 and 7×7 and its classifier, nearly all its weights), then run on the
 * thread's images at once, up to {@value #GROUP} at a time, so their weights are read from memory once per group
 * instead of once per image. A single image runs the whole network with parallel kernels. Every kernel computes an
 * element the same way whatever the batch, so each image gets the numbers it would get alone.
 * For inference twins only ({@link Layer#fused()}): nothing is recorded for backward.
 *
 * <p>Memory: every activation comes from the calling (or worker) thread's {@link Scratch} and goes back to it, so
 * once a thread has run a net at an input shape, the next pass of that shape allocates nothing. The result is a
 * {@link Scratch} tensor too, the caller's to keep: giving it back with {@link Scratch#release} when done makes
 * the caller's next pass allocation-free as well.
 */
public final class Inference {
    /** Most images the weight-heavy layers run on at once: bounds their activations whatever the batch. */
    static final int GROUP = 32;
    /**
     * Weights per input value from which a unit runs on groups of images: below, its per-image activations (and a
     * 3×3 conv's unfolded input, 9× them) outgrow the cache that the weights read once per group would save
     * (ResNet-18's blocks at 28×28, 1.1× and 2.9×, ran 4 % slower on groups of 16 images; from its blocks at 14×14
     * on, 9× and more, they do not).
     */
    private static final int HEAVY = 4;

    private Inference() {}

    /**
     * How a net runs a batch of one input shape, found from its first image: {@code head} image by image (the whole
     * net when {@code tail} is null), then {@code tail} on groups of images; {@code in}, {@code mid}, {@code out}:
     * one image's shape at the start, between the two, at the end.
     */
    private record Plan(int[] in, int[] mid, int[] out, Layer head, Layer tail) {}

    private static final Map<Layer, Plan> PLANS = Collections.synchronizedMap(new WeakHashMap<>());

    /** x (N, ...) -> net(x) (N, ...). */
    public static Tensor forward(Layer net, Tensor x) {
        int n = x.dim(0);
        if (n >= 4) Simd.batchComing();
        if (n < 2) return net.forward(x);
        Plan plan = PLANS.get(net);
        int first = 0;
        Tensor y;
        if (plan != null && sameImage(plan.in(), x.shape)) {
            y = batchOf(plan.out(), n);
        } else {                                   // a new shape: the first image, alone, tells the plan
            Tensor one = image(x, 0);
            Tensor[] out = new Tensor[1];
            plan = plan(net, one, out);
            PLANS.put(net, plan);
            y = batchOf(plan.out(), n);
            System.arraycopy(out[0].data, 0, y.data, 0, out[0].size());
            giveBack(one, out[0]);
            first = 1;
        }
        if (Parallel.serial(n - first, 1)) {
            imageRange(plan, x, first, n, y);
        } else {
            Images call = IMAGES.get().set(plan, x, first, y);
            try {
                Parallel.range(n - first, 1, call);
            } finally {
                call.set(null, null, 0, null);
            }
        }
        return y;
    }

    /**
     * The plan of a net for one image's shape: the net's units (the children of nested {@code Sequential}s, in
     * order) run on {@code one}, the image's output left in {@code out[0]}; the tail is the units from the first of
     * the last run of units each with at least {@link #HEAVY} times as many weights as input values (units without
     * weights, such as pooling, go with their neighbours).
     */
    private static Plan plan(Layer net, Tensor one, Tensor[] out) {
        List<Layer> units = new ArrayList<>();
        unitsOf(net, units);
        int[][] inputs = new int[units.size()][];
        Tensor h = one;
        for (int i = 0; i < units.size(); i++) {
            inputs[i] = h.shape.clone();
            Tensor next = units.get(i).forward(h);
            if (h != one && next.data != h.data) Scratch.release(h);
            h = next;
        }
        out[0] = h;
        int split = units.size();
        for (int i = units.size() - 1; i >= 0; i--) {
            long weights = units.get(i).numParameters();
            if (weights > 0 && weights < HEAVY * Tensor.numel(inputs[i])) break;
            if (weights > 0) split = i;
        }
        if (split == units.size()) return new Plan(one.shape.clone(), null, h.shape.clone(), net, null);
        return new Plan(one.shape.clone(), inputs[split], h.shape.clone(), chain(units.subList(0, split)),
                chain(units.subList(split, units.size())));
    }

    // the units a net runs in order: a plain Sequential's children, recursively; any other layer is one unit
    private static void unitsOf(Layer layer, List<Layer> units) {
        if (layer.getClass() != Sequential.class) {
            units.add(layer);
            return;
        }
        Sequential s = (Sequential) layer;
        for (int i = 0; i < s.size(); i++) unitsOf(s.get(i), units);
    }

    // units run one after the other: null for none, the unit itself for one
    private static Layer chain(List<Layer> units) {
        if (units.isEmpty()) return null;
        return units.size() == 1 ? units.getFirst() : new Sequential(units.toArray(new Layer[0]));
    }

    /**
     * A batch split over threads, images [first + from, first + to) per chunk: one per calling thread, reused batch
     * after batch (a lambda capturing the operands would be an object per batch). Chunks run serially inside, so a
     * thread's call is never in flight twice.
     */
    private static final class Images implements Parallel.Body {
        private Plan plan;
        private Tensor x, y;
        private int first;

        Images set(Plan plan, Tensor x, int first, Tensor y) {
            this.plan = plan;
            this.x = x;
            this.first = first;
            this.y = y;
            return this;
        }

        @Override public void run(int from, int to) { imageRange(plan, x, first + from, first + to, y); }
    }

    private static final ThreadLocal<Images> IMAGES = ThreadLocal.withInitial(Images::new);

    // images [from, to) of x into their rows of y, on this thread with its Scratch: the head image by image, the tail
    // on groups of them at once
    private static void imageRange(Plan plan, Tensor x, int from, int to, Tensor y) {
        if (plan.tail() == null) {
            images(plan.head(), x, from, to, y, 0);
            return;
        }
        for (int g = from; g < to; g += GROUP) {
            int end = Math.min(to, g + GROUP);
            Tensor mid = batchOf(plan.mid(), end - g);
            if (plan.head() == null) System.arraycopy(x.data, g * (x.size() / x.dim(0)), mid.data, 0, mid.size());
            else images(plan.head(), x, g, end, mid, g);
            Tensor out = plan.tail().forward(mid);
            System.arraycopy(out.data, 0, y.data, g * (y.size() / y.dim(0)), out.size());
            giveBack(mid, out);
        }
    }

    // images [from, to) of x through net into rows [from - yFirst, to - yFirst) of y
    private static void images(Layer net, Tensor x, int from, int to, Tensor y, int yFirst) {
        for (int i = from; i < to; i++) {
            Tensor one = image(x, i), out = net.forward(one);
            System.arraycopy(out.data, 0, y.data, (i - yFirst) * out.size(), out.size());
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
