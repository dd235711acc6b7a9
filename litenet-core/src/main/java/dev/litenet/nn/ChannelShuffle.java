package dev.litenet.nn;

import dev.litenet.tensor.Channels;
import dev.litenet.tensor.Tensor;

/**
 * torchvision's {@code channel_shuffle(x, groups)} of ShuffleNetV2 (Ma et al. 2018, Fig. 3) as a layer, torch's
 * {@code nn.ChannelShuffle(groups)}: the channels seen as (groups, C/groups) and transposed, so the next block's two
 * branches each see channels of both branches before. In NHWC a permutation of every pixel's channels
 * ({@link Channels#shuffle}). in (N,H,W,C) -> out (N,H,W,C).
 */
public final class ChannelShuffle extends Layer {
    public final int groups;

    public ChannelShuffle(int groups) {
        if (groups < 1) throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        this.groups = groups;
    }

    @Override public Tensor forward(Tensor x) { return Channels.shuffle(x, groups); }

    /** The inverse permutation: the transpose back, a shuffle with C/groups groups. Needs nothing kept. */
    @Override public Tensor backward(Tensor dy) { return Channels.shuffle(dy, dy.dim(-1) / groups); }

    @Override public String toString() { return "ChannelShuffle(groups=" + groups + ")"; }
}
