package dev.litenet.tensor;

import java.util.Arrays;

/**
 * ShuffleNetV2's channel rearrangements in NHWC, where channels are the innermost dimension, so each is a copy or a
 * permutation of every pixel's C values (any rank, the last dimension the channels): {@link #split} (torch's
 * {@code x.chunk(2, dim=1)} at C/2), {@link #concat} ({@code torch.cat((a, b), dim=1)}) and {@link #shuffle}
 * (torchvision's {@code channel_shuffle}). Each one's backward is another: concat's is split, split's is concat,
 * shuffle's is shuffle with C/groups groups.
 */
public final class Channels {
    private Channels() {}

    /** x (..., C) -> {(..., at), (..., C − at)}: the first {@code at} channels and the rest. */
    public static Tensor[] split(Tensor x, int at) {
        int C = x.dim(-1), M = x.size() / Math.max(1, C);
        if (at < 0 || at > C) throw new IllegalArgumentException("split at channel " + at + " of " + x.shapeString());
        Tensor a = Tensor.zeros(withChannels(x.shape, at)), b = Tensor.zeros(withChannels(x.shape, C - at));
        for (int p = 0; p < M; p++) {
            System.arraycopy(x.data, p * C, a.data, p * at, at);
            System.arraycopy(x.data, p * C + at, b.data, p * (C - at), C - at);
        }
        return new Tensor[]{a, b};
    }

    /** a (..., Ca), b (..., Cb), the same leading dimensions -> (..., Ca + Cb): a's channels, then b's. */
    public static Tensor concat(Tensor a, Tensor b) {
        int ca = a.dim(-1), cb = b.dim(-1), C = ca + cb;
        int[] lead = withChannels(a.shape, 0);
        if (!Arrays.equals(lead, withChannels(b.shape, 0))) {
            throw new IllegalArgumentException("concat needs the same leading dimensions, got " + a.shapeString() + " and " + b.shapeString());
        }
        Tensor y = Tensor.zeros(withChannels(a.shape, C));
        int M = y.size() / Math.max(1, C);
        for (int p = 0; p < M; p++) {
            System.arraycopy(a.data, p * ca, y.data, p * C, ca);
            System.arraycopy(b.data, p * cb, y.data, p * C + ca, cb);
        }
        return y;
    }

    /**
     * torchvision's {@code channel_shuffle(x, groups)}: the channels seen as (groups, C/groups), transposed to
     * (C/groups, groups), so output channel {@code j·groups + g} is input channel {@code g·(C/groups) + j}.
     * x (..., C) -> (..., C). Its inverse (and backward) is {@code shuffle(y, C/groups)}.
     */
    public static Tensor shuffle(Tensor x, int groups) {
        int C = x.dim(-1);
        if (groups < 1 || C % groups != 0) throw new IllegalArgumentException(C + " channels do not split into " + groups + " groups");
        int perGroup = C / groups, M = x.size() / Math.max(1, C);
        Tensor y = Tensor.zeros(x.shape);
        float[] in = x.data, out = y.data;
        for (int p = 0; p < M; p++) {
            int base = p * C;
            for (int j = 0; j < perGroup; j++) {
                for (int g = 0; g < groups; g++) out[base + j * groups + g] = in[base + g * perGroup + j];
            }
        }
        return y;
    }

    private static int[] withChannels(int[] shape, int channels) {
        int[] s = shape.clone();
        s[s.length - 1] = channels;
        return s;
    }
}
