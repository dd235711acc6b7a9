package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.ChannelShuffle;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Layer;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;
import dev.litenet.tensor.Channels;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Tensor;

/**
 * ShuffleNet V2's unit (Ma et al. 2018, Fig. 3c and 3d; torchvision {@code shufflenetv2.InvertedResidual}).
 * Stride 1: the channels split in half, the left half passes untouched, the right half goes through
 * {@code branch2} (1×1 conv, BN, ReLU, 3×3 depthwise, BN, 1×1 conv, BN, ReLU). Stride 2: the whole input goes
 * through {@code branch1} (3×3 depthwise with the stride, BN, 1×1 conv, BN, ReLU) and through {@code branch2}
 * (its depthwise conv strided). Either way the two halves are concatenated and shuffled with 2 groups
 * ({@link ChannelShuffle}), so the next unit's split mixes both. A stride-1 unit has an empty {@code branch1}, as
 * in torchvision (no parameters, never run).
 * in (N,H,W,in) -> out (N,H/s,W/s,out), out even; in = out when s = 1.
 */
public final class ShuffleBlock extends Layer {
    public final int stride;
    private final Sequential branch1;
    private final Layer branch2;
    private final boolean folded;                                    // the inference twin
    private final ChannelShuffle shuffle = new ChannelShuffle(2);     // torchvision's channel_shuffle(out, 2): a function, not a module

    public ShuffleBlock(int in, int out, int stride) {
        if (stride < 1 || stride > 3) throw new IllegalArgumentException("illegal stride value " + stride);
        int branch = out / 2;
        if (stride == 1 && in != branch << 1) {
            throw new IllegalArgumentException("stride 1 needs in = out // 2 << 1, got in " + in + ", out " + out);
        }
        this.stride = stride;
        this.folded = false;
        branch1 = addChild("branch1", stride > 1
                ? new Sequential(new Conv2d(in, in, 3, stride, in, false), new BatchNorm2d(in),
                        new Conv2d(in, branch, 1, 1, 1, false), new BatchNorm2d(branch), new ReLU())
                : new Sequential());
        branch2 = addChild("branch2", new Sequential(
                new Conv2d(stride > 1 ? in : branch, branch, 1, 1, 1, false), new BatchNorm2d(branch), new ReLU(),
                new Conv2d(branch, branch, 3, stride, branch, false), new BatchNorm2d(branch),
                new Conv2d(branch, branch, 1, 1, 1, false), new BatchNorm2d(branch), new ReLU()));
    }

    private ShuffleBlock(int stride, Sequential branch1, Layer branch2) {
        this.stride = stride;
        this.folded = true;
        this.branch1 = addChild("branch1", branch1);
        this.branch2 = addChild("branch2", branch2);
    }

    @Override public String typeName() { return "InvertedResidual"; }       // torchvision's class name, for summaries

    @Override public Tensor forward(Tensor x) {
        if (folded) return foldedForward(x);
        Tensor left, right;
        if (stride == 1) {
            Tensor[] halves = Channels.split(x, x.dim(3) / 2);
            left = halves[0];
            right = branch2.call(halves[1]);
        } else {
            left = branch1.call(x);
            right = branch2.call(x);
        }
        return shuffle.forward(Channels.concat(left, right));
    }

    @Override public Tensor backward(Tensor dy) {
        Tensor[] d = Channels.split(shuffle.backward(dy), dy.dim(3) / 2);
        if (stride == 1) return Channels.concat(d[0], branch2.backward(d[1]));
        Tensor dx = branch1.backward(d[0]), dx2 = branch2.backward(d[1]);
        for (int i = 0; i < dx.data.length; i++) dx.data[i] += dx2.data[i];
        return dx;
    }

    /**
     * Inference twin: each branch's BatchNorms folded into the convs before them, its ReLUs into their clamps; the
     * concatenation and the shuffle one interleaving pass ({@link #shuffledConcat}), buffers from {@link Scratch}.
     */
    @Override public Layer fused() {
        if (folded) return this;
        Layer b1 = branch1.fused();
        return new ShuffleBlock(stride, b1 instanceof Sequential s ? s : new Sequential(b1), branch2.fused());
    }

    // the twin's forward: only the half branch2 reads is copied out; nothing is zeroed or left to the collector
    private Tensor foldedForward(Tensor x) {
        int C = x.dim(3), M = x.size() / C;
        Tensor y;
        if (stride == 1) {
            int half = C / 2;
            Tensor x2 = Scratch.uninitialized(x.dim(0), x.dim(1), x.dim(2), half);
            for (int p = 0; p < M; p++) System.arraycopy(x.data, p * C + half, x2.data, p * half, half);
            Tensor right = branch2.call(x2);
            Scratch.release(x2);
            y = shuffledConcat(x.data, C, right, half);                  // x's first half, then branch2's output
            Scratch.release(right);
        } else {
            Tensor left = branch1.call(x), right = branch2.call(x);
            y = shuffledConcat(left.data, left.dim(3), right, left.dim(3));
            Scratch.release(left);
            Scratch.release(right);
        }
        return y;
    }

    /**
     * {@code channel_shuffle(cat(a, b), 2)} in one pass: with two groups the shuffle interleaves the halves, so
     * output channel 2i is a's channel i and 2i + 1 is b's. {@code a} holds a pixel's first {@code half} channels at
     * a row stride of {@code strideA}; b (N,H,W,half). -> (N,H,W,2·half)
     */
    static Tensor shuffledConcat(float[] a, int strideA, Tensor b, int half) {
        int M = b.size() / half, C = 2 * half;
        Tensor y = Scratch.uninitialized(b.dim(0), b.dim(1), b.dim(2), C);
        if (Parallel.serial(M, 256)) interleave(a, strideA, b.data, half, y.data, 0, M);
        else Parallel.range(M, 256, Parallel.call(ShuffleBlock::interleave).objects(a, b.data, y.data, null, null).ints(strideA, half, 0, 0));
        return y;
    }

    // interleave with the operands of shuffledConcat's split call
    private static void interleave(Parallel.Call c, int from, int to) {
        interleave((float[]) c.o0, c.i0, (float[]) c.o1, c.i1, (float[]) c.o2, from, to);
    }

    // pixels [from, to) of shuffledConcat
    private static void interleave(float[] a, int strideA, float[] b, int half, float[] out, int from, int to) {
        int C = 2 * half;
        for (int p = from; p < to; p++) {
            for (int i = 0, o = p * C, ia = p * strideA, ib = p * half; i < half; i++) {
                out[o + 2 * i] = a[ia + i];
                out[o + 2 * i + 1] = b[ib + i];
            }
        }
    }
}
