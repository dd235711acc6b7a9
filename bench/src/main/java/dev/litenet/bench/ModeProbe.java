package dev.litenet.bench;

import dev.litenet.eval.Warmup;
import dev.litenet.models.Architectures;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.nn.Trace;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whether a process's speed is fixed when it starts or moves inside it, and where its time goes: after the warm-up,
 * rounds of timed passes, each followed by traced passes (the time of every block of the fused network, named as
 * torchvision names them: {@code 0.3} is {@code features.3}, {@code 2} the classifier), the CPU the thread was on
 * and, with {@code --gc}, a full collection (which moves every array, the arena's too). A process whose rounds
 * change with a collection points at where its arrays lie, one whose rounds change with the CPU at the machine, one
 * slow in every round on every CPU at its machine code.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.litenet.bench.ModeProbe
 *     [--arch mobilenet_v2] [--batch 32] [--threads 1] [--rounds 8] [--iterations 5] [--traced 1] [--gc]</pre>
 */
public final class ModeProbe {
    private ModeProbe() {}

    public static void main(String[] argv) {
        Args a = Args.parse(argv);
        int batch = a.integer("batch", 32), rounds = a.integer("rounds", 8), iterations = a.integer("iterations", 5);
        int traced = a.integer("traced", batch == 1 ? 200 : 1);
        Parallel.setThreads(a.integer("threads", 1));
        Layer fused = Architectures.get(a.string("arch", "mobilenet_v2")).build(1000).fused();
        Tensor x = Tensor.zeros(batch, 224, 224, 3);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        Runnable pass = () -> Scratch.release(Inference.forward(fused, x));
        Simd.skipScalarStart();
        Warmup w = Warmup.untilCompiled(pass, batch == 1 ? 200 : 15, 20, 1, 60);
        System.out.printf("warm-up %d passes %.1f s quiet %s%n", w.passes(), w.seconds(), w.quiet());
        Blocks blocks = new Blocks(fused);
        Layer whole = new Layer() {                 // a batch through Inference, with the trace on this thread
            @Override public Tensor forward(Tensor in) { return Inference.forward(fused, in); }
            @Override public Tensor backward(Tensor dy) { throw new UnsupportedOperationException(); }
        };
        for (int round = 0; round < rounds; round++) {
            double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                pass.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            blocks.clear();
            for (int i = 0; i < traced; i++) Scratch.release(whole.traced(x, blocks));
            System.out.printf("round %d: cpu %d median %.2f ms  blocks (ms a pass) %s%n", round, cpu(), ms[iterations / 2], blocks.line(traced));
            if (a.flag("gc")) System.gc();
        }
    }

    /** The processor this thread last ran on (field 39 of /proc/thread-self/stat), or -1. */
    static int cpu() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[36]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Milliseconds per block (the root's children's children, e.g. features.3), summed over one batch. */
    private static final class Blocks implements Trace {
        private final Map<Layer, Integer> index = new IdentityHashMap<>();
        private final List<String> names = new ArrayList<>();
        private final long[] nanos;
        private final long[] started;

        Blocks(Layer root) {
            for (var top : root.children().entrySet()) {
                if (top.getValue().children().isEmpty()) {
                    index.put(top.getValue(), names.size());
                    names.add(top.getKey());
                }
                for (var block : top.getValue().children().entrySet()) {
                    index.put(block.getValue(), names.size());
                    names.add(top.getKey() + "." + block.getKey());
                }
            }
            nanos = new long[names.size()];
            started = new long[names.size()];
        }

        void clear() { Arrays.fill(nanos, 0); }

        @Override public void enter(Layer layer, Tensor input) {
            Integer i = index.get(layer);
            if (i != null) started[i] = System.nanoTime();
        }

        @Override public void exit(Layer layer, Tensor output) {
            Integer i = index.get(layer);
            if (i != null) nanos[i] += System.nanoTime() - started[i];
        }

        String line(int passes) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < nanos.length; i++) s.append(String.format("%s=%.2f ", names.get(i), nanos[i] / 1e6 / passes));
            return s.toString();
        }
    }
}
