package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Init;
import dev.litenet.nn.Linear;
import dev.litenet.nn.MaxPool2d;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ShuffleNet V2 exactly as torchvision builds it (Ma et al. 2018, Table 5): {@code conv1} (3×3 stride-2 conv, BN,
 * ReLU), {@code maxpool} (3×3 stride 2), {@code stage2..stage4} of {@link ShuffleBlock}s (the first of each stage
 * halves the resolution), {@code conv5} (1×1 conv, BN, ReLU), torch's functional mean over the image, {@code fc}.
 * A width is one row of {@link Stages}. Names are torchvision's ({@code stage2.0.branch1.0.weight},
 * {@code stage3.4.branch2.7.bias}...), so a torchvision state_dict loads by name. At 1000 classes x0.5 has 1,366,792
 * parameters, x1.0 2,278,604. in (N,H,W,3) -> logits (N, classes).
 */
public final class ShuffleNetV2 extends Network {
    /**
     * One width of torchvision's table ({@code ShuffleNetV2(stages_repeats, stages_out_channels)}): the blocks of
     * stages 2-4, and the output channels of conv1, stages 2-4 and conv5.
     */
    public record Stages(List<Integer> repeats, List<Integer> outChannels) {
        public Stages {
            if (repeats.size() != 3) throw new IllegalArgumentException("expected stages_repeats as list of 3 positive ints, got " + repeats);
            if (outChannels.size() != 5) throw new IllegalArgumentException("expected stages_out_channels as list of 5 positive ints, got " + outChannels);
            repeats = List.copyOf(repeats);
            outChannels = List.copyOf(outChannels);
        }
    }

    // torchvision's shufflenet_v2_x0_5(...) and shufflenet_v2_x1_0(...): the paper's Table 5 at 0.5× and 1×
    public static final Stages X0_5 = new Stages(List.of(4, 8, 4), List.of(24, 48, 96, 192, 1024));
    public static final Stages X1_0 = new Stages(List.of(4, 8, 4), List.of(24, 116, 232, 464, 1024));

    public ShuffleNetV2(Architecture.Config config, Stages stages) {
        super(config);
        List<Integer> out = stages.outChannels();
        Conv2d stem = new Conv2d(3, out.getFirst(), 3, 2, 1, false);
        stem.setInputGradient(false);                                  // nothing below the image to pass gradients to
        trunk("conv1", new Sequential(stem, new BatchNorm2d(out.getFirst()), new ReLU()), false);
        trunk("maxpool", new MaxPool2d(3, 2, 1), false);
        int in = out.getFirst();
        for (int s = 0; s < 3; s++) {
            int channels = out.get(s + 1);
            Sequential blocks = new Sequential(new ShuffleBlock(in, channels, 2));
            for (int i = 1; i < stages.repeats().get(s); i++) blocks.add(new ShuffleBlock(channels, channels, 1));
            trunk("stage" + (s + 2), blocks, true);
            in = channels;
        }
        int last = out.getLast();
        trunk("conv5", new Sequential(new Conv2d(in, last, 1, 1, 1, false), new BatchNorm2d(last), new ReLU()), false);
        classifier("fc", new Linear(last, config.numClasses()));          // pooled by x.mean([2, 3]): no module
    }

    public static ShuffleNetV2 x0_5(Architecture.Config config) { return new ShuffleNetV2(config, X0_5); }

    public static ShuffleNetV2 x1_0(Architecture.Config config) { return new ShuffleNetV2(config, X1_0); }

    /**
     * torchvision's ShuffleNetV2 sets no init of its own: every module is as torch constructs it (convs and the
     * Linear U(±1/√fan_in), BatchNorm weight 1 and bias 0).
     */
    @Override public ShuffleNetV2 initialize(long seed) {
        Init.torchDefaults(this, new SplittableRandom(seed));
        return this;
    }
}
