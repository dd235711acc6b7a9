package dev.litenet.bench.kernels;

import dev.litenet.tensor.Depthwise;
import dev.litenet.tensor.Padding;
import dev.litenet.tensor.Parallel;
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
 * The 3×3 depthwise convolutions of MobileNetV2 at batch 1, {@code HxWxC} input and stride: forward (bias and
 * ReLU6 clamp, as the fused model runs it), backwardInput and backwardWeight. 2·9·outH·outW·C nominal flops each
 * (taps falling on padding counted too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DepthwiseBench {
    @Param({"112x112x96s2", "56x56x144s1", "14x14x576s1", "7x7x960s1"})
    public String shape;

    @Param({"1"})
    public int batch;

    @Param({"1"})
    public int threads;

    int C;
    Padding.Geometry g;
    float[] x, w, bias, y, dy, dx, dw;
    double flops;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        String[] hs = shape.split("s");
        int[] d = Data.dims(hs[0]);
        int stride = Integer.parseInt(hs[1]);
        C = d[2];
        g = Padding.torch(d[0], d[1], 3, stride, 1);
        x = Data.uniform(batch * d[0] * d[1] * C, 1);
        w = Data.uniform(9 * C, 2);
        bias = Data.uniform(C, 3);
        y = new float[batch * g.outH() * g.outW() * C];
        dy = Data.uniform(y.length, 4);
        dx = new float[x.length];
        dw = new float[w.length];
        flops = 2.0 * 9 * batch * g.outH() * g.outW() * C;
    }

    @Benchmark
    public float[] forward(Flops f) {
        Depthwise.forward(x, batch, C, g, w, bias, 0f, 6f, y);
        f.add(flops);
        return y;
    }

    @Benchmark
    public float[] backwardInput(Flops f) {
        java.util.Arrays.fill(dx, 0f);
        Depthwise.backwardInput(dy, batch, C, g, w, dx);
        f.add(flops);
        return dx;
    }

    @Benchmark
    public float[] backwardWeight(Flops f) {
        Depthwise.backwardWeight(x, dy, batch, C, g, dw);
        f.add(flops);
        return dw;
    }
}
