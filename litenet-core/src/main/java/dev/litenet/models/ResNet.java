package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.Init;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Linear;
import dev.litenet.nn.MaxPool2d;
import dev.litenet.nn.ReLU;
import dev.litenet.nn.Sequential;

import java.util.SplittableRandom;

/**
 * ResNet with basic blocks exactly as torchvision builds it (He et al. 2016, Table 1): 7×7 stride-2 stem conv,
 * BN, ReLU, 3×3 stride-2 max pool, four stages {@code layer1..layer4} of 64, 128, 256, 512 channels (the first
 * block of stages 2-4 halves the resolution), adaptive average pool, {@code fc}. Names are torchvision's
 * ({@code layer4.1.bn2.weight}, {@code layer2.0.downsample.0.weight}), so a torchvision state_dict loads by name.
 * ResNet-18 has 2 blocks per stage and 11,689,512 parameters at 1000 classes. in (N,H,W,3) -> logits (N, classes).
 */
public final class ResNet extends Network {
    /** Blocks per stage of ResNet-18. */
    public static final int[] RESNET18 = {2, 2, 2, 2};

    public ResNet(Architecture.Config config, int[] blocksPerStage) {
        super(config);
        trunk("conv1", new Conv2d(3, 64, 7, 2, 1, false), false);
        trunk("bn1", new BatchNorm2d(64), false);
        trunk("relu", new ReLU(), false);
        trunk("maxpool", new MaxPool2d(3, 2, 1), false);
        int in = 64;
        for (int stage = 0; stage < blocksPerStage.length; stage++) {
            int planes = 64 << stage, stride = stage == 0 ? 1 : 2;
            Sequential blocks = new Sequential();
            for (int b = 0; b < blocksPerStage[stage]; b++) {
                blocks.add(new BasicBlock(in, planes, b == 0 ? stride : 1));
                in = planes;
            }
            trunk("layer" + (stage + 1), blocks, true);
        }
        pool("avgpool");
        classifier("fc", new Linear(in, config.numClasses()));
    }

    public static ResNet resnet18(Architecture.Config config) { return new ResNet(config, RESNET18); }

    public static ResNet resnet18(int numClasses) { return resnet18(new Architecture.Config("resnet18", numClasses)); }

    /**
     * torchvision's init: convs Kaiming-normal with fan_out, BatchNorm weight 1 / bias 0, the Linear as torch
     * constructs it (U(±1/√in)); residual BNs are not zeroed ({@code zero_init_residual=False}).
     */
    @Override public ResNet initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        init(this, random);
        return this;
    }

    private static void init(Layer layer, SplittableRandom random) {
        switch (layer) {
            case Conv2d c -> Init.kaimingNormalFanOut(c, random);
            case BatchNorm2d bn -> { bn.weight.fill(1f); bn.bias.fill(0f); }
            case Linear l -> Init.linear(l, random);
            default -> { }
        }
        layer.children().values().forEach(ch -> init(ch, random));
    }
}
