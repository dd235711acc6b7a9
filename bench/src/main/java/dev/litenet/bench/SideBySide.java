package dev.litenet.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.litenet.eval.Warmup;
import dev.litenet.models.Architectures;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LiteNet and ONNX Runtime in one process, pass after pass on the same threads: a LiteNet pass, an ONNX Runtime
 * pass, a LiteNet pass, ... A slow phase of the machine (another guest on the host, the host moving a virtual CPU)
 * then falls on both engines alike, and what is left of the difference between phases is the engines' own. Prints
 * each pass (ms of each engine and the CPU the thread was on), then the medians of successive windows of passes
 * and each engine's slowest window over its fastest.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     dev.litenet.bench.SideBySide --model ../shared/fixtures/mobilenet_v2/mobilenet_v2_calib.onnx
 *     [--arch mobilenet_v2] [--batch 32] [--threads 1] [--passes 300] [--window 10]</pre>
 */
public final class SideBySide {
    private SideBySide() {}

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        int batch = a.integer("batch", 32), threads = a.integer("threads", 1), passes = a.integer("passes", 300);
        int window = a.integer("window", 10);
        Parallel.setThreads(threads);
        Layer net = Architectures.get(a.string("arch", "mobilenet_v2")).build(1000).fused();
        Tensor x = Tensor.zeros(batch, 224, 224, 3);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        Runnable litenet = () -> Scratch.release(Inference.forward(net, x));

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OrtBench.options(threads)) {
            try (OrtSession session = env.createSession(a.string("model", "mobilenet_v2_calib.onnx"), options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(Arrays.copyOf(x.data, x.data.length)),
                         new long[]{batch, 3, 224, 224})) {
                Map<String, OnnxTensor> feed = Map.of(session.getInputNames().iterator().next(), input);
                Runnable ort = () -> {
                    try {
                        session.run(feed).close();
                    } catch (ai.onnxruntime.OrtException e) {
                        throw new IllegalStateException(e);
                    }
                };
                Simd.skipScalarStart();
                Warmup w = Warmup.untilCompiled(() -> { litenet.run(); ort.run(); }, batch == 1 ? 200 : 15, 20, 1, 60);
                System.out.printf("# warm-up: %d pairs in %.1f s, JIT quiet: %s%n# pass litenet_ms ort_ms cpu%n", w.passes(), w.seconds(), w.quiet());
                double[] mine = new double[passes], theirs = new double[passes];
                for (int i = 0; i < passes; i++) {
                    long t0 = System.nanoTime();
                    litenet.run();
                    long t1 = System.nanoTime();
                    ort.run();
                    long t2 = System.nanoTime();
                    mine[i] = (t1 - t0) / 1e6;
                    theirs[i] = (t2 - t1) / 1e6;
                    System.out.printf("%d %.2f %.2f %d%n", i, mine[i], theirs[i], ModeProbe.cpu());
                }
                summary(mine, theirs, window, batch, threads);
            }
        }
    }

    // window medians of both engines, their ratio, and each engine's slowest window over its fastest
    private static void summary(double[] mine, double[] theirs, int window, int batch, int threads) {
        int windows = mine.length / window;
        double[] m = new double[windows], t = new double[windows];
        System.out.printf("%n# b%d t%d, medians of windows of %d passes: window litenet_ms ort_ms litenet/ort%n", batch, threads, window);
        for (int k = 0; k < windows; k++) {
            m[k] = median(Arrays.copyOfRange(mine, k * window, (k + 1) * window));
            t[k] = median(Arrays.copyOfRange(theirs, k * window, (k + 1) * window));
            System.out.printf("# %d %.1f %.1f %.2f%n", k, m[k], t[k], m[k] / t[k]);
        }
        System.out.printf("# slowest window / fastest: LiteNet %.2f, ONNX Runtime %.2f; medians %.2f and %.2f ms (LiteNet/ORT %.2f)%n",
                max(m) / min(m), max(t) / min(t), median(mine), median(theirs), median(mine) / median(theirs));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }
}
