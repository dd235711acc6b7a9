package dev.litenet.nn;

import java.util.SplittableRandom;

/**
 * Weight initializations as torch does them. {@link #torchDefaults}: what {@code nn.Conv2d} and {@code nn.Linear}
 * do on construction (kaiming_uniform with a = √5, which is U(±1/√fan_in), bias U(±1/√fan_in)).
 * {@link #kaimingNormalFanOut}: torchvision's choice for convs in ResNet and MobileNetV2.
 */
public final class Init {
    private Init() {}

    /** Every Conv2d and Linear below {@code model} as torch constructs it; BatchNorm weight 1, bias 0. */
    public static void torchDefaults(Layer model, SplittableRandom random) {
        switch (model) {
            case Conv2d c -> {
                double bound = 1 / Math.sqrt((double) c.in / c.groups * c.k * c.k);
                uniform(c.weight, bound, random);
                if (c.bias != null) uniform(c.bias, bound, random);
            }
            case Linear l -> linear(l, random);
            case BatchNorm2d bn -> { bn.weight.fill(1f); bn.bias.fill(0f); }
            default -> { }
        }
        model.children().values().forEach(ch -> torchDefaults(ch, random));
    }

    /** torch's Linear init: weight and bias U(±1/√in). */
    public static void linear(Linear l, SplittableRandom random) {
        double bound = 1 / Math.sqrt(l.in);
        uniform(l.weight, bound, random);
        uniform(l.bias, bound, random);
    }

    /** N(0, 2/fan_out) with fan_out = out·k·k, as {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}. */
    public static void kaimingNormalFanOut(Conv2d c, SplittableRandom random) {
        double std = Math.sqrt(2.0 / (c.out * c.k * c.k));
        for (int i = 0; i < c.weight.data.length; i++) c.weight.data[i] = (float) (gaussian(random) * std);
        if (c.bias != null) c.bias.fill(0f);
    }

    public static void uniform(Parameter p, double bound, SplittableRandom random) {
        for (int i = 0; i < p.data.length; i++) p.data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }

    /** A standard normal sample (Box–Muller). */
    public static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble(), u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
