package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Init;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.MaxPool2d;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ResNet exactly as torchvision builds it (He et al. 2016, Table 1): 7×7 stride-2 stem conv, BN, ReLU, 3×3
 * stride-2 max pool, four stages {@code layer1..layer4} of 64, 128, 256, 512 planes (the first block of stages
 * 2-4 halves the resolution), adaptive average pool, {@code fc}. A depth is one row of {@link Depth}: the block
 * type and the blocks per stage. Names are torchvision's ({@code layer4.1.bn2.weight},
 * {@code layer2.0.downsample.0.weight}), so a torchvision state_dict loads by name. ResNet-18 has 11,689,512
 * parameters at 1000 classes, ResNet-50 25,557,032. in (N,H,W,3) -> logits (N, classes).
 */
public final class ResNet extends Network {
    /** torchvision's two blocks, with how much each widens its planes ({@code block.expansion}). */
    public enum Block {
        BASIC(1, BasicBlock::new),
        BOTTLENECK(Bottleneck.EXPANSION, Bottleneck::new);

        /** The block's output channels per plane. */
        public final int expansion;
        private final Factory factory;

        Block(int expansion, Factory factory) {
            this.expansion = expansion;
            this.factory = factory;
        }

        /** A block from {@code in} channels to {@code planes·expansion}, with the stride. */
        public Layer create(int in, int planes, int stride) { return factory.create(in, planes, stride); }

        private interface Factory { Layer create(int in, int planes, int stride); }
    }

    /** One depth of torchvision's table: the block type and the blocks in each of the four stages. */
    public record Depth(Block block, List<Integer> blocksPerStage) {
        public Depth {
            if (blocksPerStage.size() != 4) throw new IllegalArgumentException("ResNet has four stages, got " + blocksPerStage);
            blocksPerStage = List.copyOf(blocksPerStage);
        }
    }

    // torchvision's resnet18(...) and resnet50(...): _resnet(block, layers, ...)
    public static final Depth RESNET18 = new Depth(Block.BASIC, List.of(2, 2, 2, 2));
    public static final Depth RESNET50 = new Depth(Block.BOTTLENECK, List.of(3, 4, 6, 3));

    public ResNet(Architecture.Config config, Depth depth) {
        super(config);
        trunk("conv1", new Conv2d(3, 64, 7, 2, 1, false), false);
        trunk("bn1", new BatchNorm2d(64), false);
        trunk("relu", new ReLU(), false);
        trunk("maxpool", new MaxPool2d(3, 2, 1), false);
        int in = 64;
        for (int stage = 0; stage < 4; stage++) {
            int planes = 64 << stage, stride = stage == 0 ? 1 : 2;
            Sequential blocks = new Sequential();
            for (int b = 0; b < depth.blocksPerStage().get(stage); b++) {
                blocks.add(depth.block().create(in, planes, b == 0 ? stride : 1));
                in = planes * depth.block().expansion;
            }
            trunk("layer" + (stage + 1), blocks, true);
        }
        pool("avgpool");
        classifier("fc", new Linear(in, config.numClasses()));
    }

    public static ResNet resnet18(Architecture.Config config) { return new ResNet(config, RESNET18); }

    public static ResNet resnet18(int numClasses) { return resnet18(new Architecture.Config("resnet18", numClasses)); }

    public static ResNet resnet50(Architecture.Config config) { return new ResNet(config, RESNET50); }

    public static ResNet resnet50(int numClasses) { return resnet50(new Architecture.Config("resnet50", numClasses)); }

    /**
     * torchvision's init: convs Kaiming-normal with fan_out, BatchNorm weight 1 / bias 0, the Linear as torch
     * constructs it (U(±1/√in)); residual BNs are not zeroed ({@code zero_init_residual=False}).
     */
    @Override public ResNet initialize(long seed) {
        super.initialize(seed);
        return this;
    }

    /** The Linear as torch constructs it, U(±1/√in). */
    @Override protected void initLinear(Linear l, SplittableRandom random) { Init.linear(l, random); }
}
