package dev.litenet.models;

import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A steady-state forward pass of a fused network at batch 1 on one thread allocates nothing on the calling thread,
 * for every architecture of the zoo, and a batch split over two threads allocates nothing on either thread
 * (docs/BENCHMARKS.md, "Steady-state allocation"): every activation and scratch buffer comes from the thread's
 * arena ({@link Scratch}), and no kernel boxes a vector. Counted with {@code ThreadMXBean.getThreadAllocatedBytes},
 * which does not depend on the load of the machine. A pass is steady once the kernels it runs are compiled: the test
 * runs passes in windows of {@link #WINDOW} until a window averages at most {@link #BOUND} bytes a pass, and fails
 * if none does within {@link #MAX_PASSES}; a pass that allocates by design (a buffer made per call, a vector the
 * compiler must box) allocates in every window and fails it.
 *
 * <p>What it asserts in each mode: with the Vector API module (surefire's default) it first runs until the process
 * has switched to the Vector API kernels ({@link Simd#vectorKernelsRunning}), so the vector kernels are the ones held
 * to the bound, and a child JVM with {@code -Dlitenet.simd=false} holds the scalar kernels to the same bound; in a
 * JVM without the module, or with {@code -Dlitenet.simd=false}, the scalar kernels are the ones held to it here
 * and the child is skipped. The input is 96×96, so that hundreds of passes take seconds: every block and kernel path
 * of 224 runs at 96 too (narrow projections, partial vectors of channels, bands of rows).
 */
class SteadyStateAllocationTest {
    /** Bytes a steady pass may allocate on the calling thread, averaged over a window: nothing, with room for a stray object. */
    static final double BOUND = 256;
    static final int WINDOW = 10, MAX_PASSES = 3000, SIZE = 96;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
            "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "resnet18", "resnet50"})
    void aSteadyForwardAllocatesNothing(String arch) {
        int threads = Parallel.threads();
        Parallel.setThreads(1);
        try {
            assertThat(steadyBytesPerPass(arch)).as("%s: bytes per steady pass, %s kernels", arch, Simd.ENABLED ? "vector" : "scalar")
                    .isLessThanOrEqualTo(BOUND);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /**
     * One image on two threads: kernel calls split over the calling thread and the worker, their operands handed over
     * in a per-thread {@code Parallel.Call} (or {@code Gemm.Split}), not a lambda per call; nothing on either thread.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mobilenet_v1", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
            "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "resnet18", "resnet50"})
    void aSteadyForwardOnTwoThreadsAllocatesNothing(String arch) {
        int threads = Parallel.threads();
        Parallel.setThreads(2);
        try {
            Layer fused = Architectures.get(arch).build(1000).fused();
            Tensor x = input(1);
            Runnable pass = () -> Scratch.release(Inference.forward(fused, x));
            warmUntilVector(pass);
            assertThat(steady(pass, callerAndWorker())).as("%s batch 1, 2 threads: bytes per steady pass, caller and worker", arch)
                    .isLessThanOrEqualTo(BOUND);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    // the calling thread and the kernel workers (a pool of two threads has one; one of an earlier pool may still be
    // on its way out, and counts nothing once gone)
    private static long[] callerAndWorker() {
        long[] workers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("litenet-"))
                .mapToLong(Thread::threadId).toArray();
        assertThat(workers).as("kernel workers").isNotEmpty();
        long[] ids = java.util.Arrays.copyOf(workers, workers.length + 1);
        ids[workers.length] = Thread.currentThread().threadId();
        return ids;
    }

    /**
     * A batch split over two threads, one image per thread at a time: nothing on the calling thread nor on the kernel
     * worker, summed (the batch's input and output come from the caller's arena, each image's activations from the
     * arena of the thread that runs it).
     */
    @Test
    void aSteadyBatchOnTwoThreadsAllocatesNothing() {
        int threads = Parallel.threads();
        Parallel.setThreads(2);
        try {
            Layer fused = Architectures.get("mobilenet_v2").build(1000).fused();
            Tensor x = input(4);
            Runnable pass = () -> Scratch.release(Inference.forward(fused, x));
            warmUntilVector(pass);
            assertThat(steady(pass, callerAndWorker())).as("mobilenet_v2 batch 4, 2 threads: bytes per steady pass, caller and worker")
                    .isLessThanOrEqualTo(BOUND);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void theScalarKernelsAllocateNothingEither(@TempDir Path tmp) throws IOException, InterruptedException {
        assumeTrue(Simd.ENABLED, "this JVM runs the scalar kernels already");
        Path out = tmp.resolve("stdout.txt"), err = tmp.resolve("stderr.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Dlitenet.simd=false", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SteadyStateAllocationTest.class.getName(), "mobilenet_v2").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 120 s");
        }
        assertThat(child.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Double.parseDouble(Files.readString(out).strip())).as("mobilenet_v2: bytes per steady pass, scalar kernels")
                .isLessThanOrEqualTo(BOUND);
    }

    /** For the child JVM: prints the bytes per steady pass of the architecture named, on one thread. */
    public static void main(String[] args) {
        Parallel.setThreads(1);
        System.out.println(steadyBytesPerPass(args[0]));
    }

    // the fused network at batch 1 on random input: passes until the kernels in use are the vector ones (when
    // enabled), then windows until one averages at most BOUND bytes a pass; that window's average, or the last one's
    static double steadyBytesPerPass(String arch) {
        Layer fused = Architectures.get(arch).build(1000).fused();
        Tensor x = input(1);
        Runnable pass = () -> Scratch.release(Inference.forward(fused, x));
        warmUntilVector(pass);
        return steady(pass, new long[]{Thread.currentThread().threadId()});
    }

    private static Tensor input(int batch) {
        Tensor x = Tensor.zeros(batch, SIZE, SIZE, 3);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    // passes until the kernels in use are the vector ones, when enabled
    private static void warmUntilVector(Runnable pass) {
        Simd.batchComing();                                   // the vector kernels take over after 2 GFLOP, not 20
        for (int passes = 0; Simd.ENABLED && !Simd.vectorKernelsRunning() && passes < MAX_PASSES; passes++) pass.run();
    }

    // windows of passes until one averages at most BOUND bytes a pass over these threads; that average, or the last
    private static double steady(Runnable pass, long[] threads) {
        double bytes = Double.NaN;
        for (int passes = 0; passes < MAX_PASSES; passes += WINDOW) {
            long before = allocated(threads);
            for (int i = 0; i < WINDOW; i++) pass.run();
            bytes = (allocated(threads) - before) / (double) WINDOW;
            if (bytes <= BOUND) break;
        }
        return bytes;
    }

    private static long allocated(long[] threads) {
        long sum = 0;
        for (long id : threads) sum += Math.max(0, THREADS.getThreadAllocatedBytes(id));       // -1: gone
        return sum;
    }
}
