package dev.litenet.bench.kernels;

import dev.litenet.tensor.Gemm;
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
 * {@link Gemm#multiply} on the 1×1 convolutions of MobileNetV2 at batch 1, {@code MxKxN}: pixels × input
 * channels × output channels. forward: y (M,N) = x (M,K)·W (K,N); inputGradient: dx (M,K) = dy (M,N)·Wᵀ (N,K);
 * weightGradient: dW (K,N) += xᵀ·dy, A read transposed through strides as Conv2d.backward does. 2·M·K·N flops each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {
    @Param({"12544x16x96", "3136x24x144", "196x96x576", "49x320x1280"})
    public String mkn;

    @Param({"1"})
    public int threads;

    int M, K, N;
    float[] x, w, wt, y, dy, dx, dw;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        int[] d = Data.dims(mkn);
        M = d[0]; K = d[1]; N = d[2];
        x = Data.uniform(M * K, 1);
        w = Data.uniform(K * N, 2);
        wt = Data.uniform(N * K, 3);
        dy = Data.uniform(M * N, 4);
        y = new float[M * N];
        dx = new float[M * K];
        dw = new float[K * N];
    }

    @Benchmark
    public float[] forward(Flops f) {
        Gemm.multiply(M, N, K, x, w, y, false);
        f.add(2.0 * M * N * K);
        return y;
    }

    @Benchmark
    public float[] inputGradient(Flops f) {
        Gemm.multiply(M, K, N, dy, wt, dx, false);
        f.add(2.0 * M * N * K);
        return dx;
    }

    @Benchmark
    public float[] weightGradient(Flops f) {
        Gemm.multiply(K, N, M, x, 0, 1, K, dy, 0, N, dw, 0, N, true);
        f.add(2.0 * M * N * K);
        return dw;
    }
}
