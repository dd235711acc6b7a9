package dev.litenet.bench.kernels;

import dev.litenet.nn.BatchNorm2d;
import dev.litenet.nn.Conv2d;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;
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
 * MobileNetV2's stem, Conv2d(3, 32, 3×3, stride 2) on (B,224,224,3) -> (B,112,112,32), folded with its BatchNorm
 * and ReLU6 as the fused model runs it (im2col + GEMM + bias/clamp). 2·B·112·112·32·27 flops.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class StemBench {
    @Param({"1"})
    public int batch;

    @Param({"1"})
    public int threads;

    Conv2d stem;
    Tensor x;
    double flops;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Conv2d conv = new Conv2d(3, 32, 3, 2, 1, false);
        System.arraycopy(Data.uniform(conv.weight.numel(), 1), 0, conv.weight.data, 0, conv.weight.numel());
        stem = conv.foldedWith(new BatchNorm2d(32), true);
        x = new Tensor(Data.uniform(batch * 224 * 224 * 3, 2), batch, 224, 224, 3);
        flops = 2.0 * batch * 112 * 112 * 32 * 27;
    }

    @Benchmark
    public Tensor forward(Flops f) {
        Tensor y = stem.forward(x);
        f.add(flops);
        return y;
    }
}
