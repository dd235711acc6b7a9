package dev.litenet.models;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.nn.ReLU6;
import dev.litenet.nn.Sequential;

/** Conv2d (no bias, padding (k-1)/2) → BatchNorm2d → ReLU6, torchvision's {@code ConvBNReLU}. */
public final class ConvBNReLU extends Sequential {
    public ConvBNReLU(int in, int out, int kernel, int stride, int groups) {
        super(new Conv2d(in, out, kernel, stride, groups, false), new BatchNorm2d(out), new ReLU6());
    }

    public Conv2d conv() { return (Conv2d) get(0); }

    public BatchNorm2d bn() { return (BatchNorm2d) get(1); }
}
