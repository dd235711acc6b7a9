package dev.litenet.bench.kernels;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link Conv2d#foldedWith}: eval BatchNorm (and ReLU6) folded into the conv before it, on MobileNetV2's largest
 * convs: the last 1×1 (320 -> 1280), a 3×3 depthwise of 960 channels, the stem (3 -> 32, 3×3). One multiply per
 * weight and one multiply-add per channel counted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BnFoldBench {
    @Param({"pw320x1280", "dw960", "stem"})
    public String conv;

    Conv2d c;
    BatchNorm2d bn;
    double flops;

    @Setup
    public void setup() {
        c = switch (conv) {
            case "pw320x1280" -> new Conv2d(320, 1280, 1, 1, 1, false);
            case "dw960" -> new Conv2d(960, 960, 3, 1, 960, false);
            case "stem" -> new Conv2d(3, 32, 3, 2, 1, false);
            default -> throw new IllegalArgumentException("unknown conv " + conv);
        };
        System.arraycopy(Data.uniform(c.weight.numel(), 1), 0, c.weight.data, 0, c.weight.numel());
        bn = new BatchNorm2d(c.out);
        float[] mean = Data.uniform(c.out, 2), var = Data.uniform(c.out, 3);
        for (int i = 0; i < c.out; i++) {
            bn.runningMean.data[i] = mean[i];
            bn.runningVar.data[i] = 1 + var[i] * var[i];
        }
        flops = c.weight.numel() + 2.0 * c.out;
    }

    @Benchmark
    public Conv2d fold(Flops f) {
        Conv2d folded = c.foldedWith(bn, true);
        f.add(flops);
        return folded;
    }
}
