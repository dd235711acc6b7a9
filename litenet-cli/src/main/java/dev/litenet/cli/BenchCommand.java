package dev.litenet.cli;

import dev.litenet.eval.Warmup;
import dev.litenet.io.Json;
import dev.litenet.models.Model;
import dev.litenet.models.Network;
import dev.litenet.nn.CrossEntropy;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.summary.Summary;
import dev.litenet.summary.SummaryOptions;
import dev.litenet.summary.Style;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;
import dev.litenet.train.Adam;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code litenet bench}: times a network of the zoo on random input. {@code infer} runs the fused eval model (BatchNorm
 * and ReLU6 folded into the convs); {@code train} runs one full fine-tuning step per iteration: forward in train
 * mode (BatchNorm batch statistics, dropout), cross-entropy, backward through every layer, Adam over all
 * parameters. Reports median/min/max milliseconds, images/s, GFLOP/s against the model's true multiply-adds
 * (two flops each; a training step counted as three forwards) and the process's peak resident memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Time inference or a training step: ms, images/s, GFLOP/s, peak memory.",
        description = "Times inference (the fused eval model) or a full training step (train-mode forward, cross-entropy, "
                + "backward, Adam over all parameters) of a network on random input. Without --weights or --model a "
                + "randomly initialized network of --arch (default mobilenet_v2, 1000 classes) is used.")
public final class BenchCommand implements Callable<Integer> {
    static final int MAX_BATCH = 1024, MAX_SIZE = 1024, MAX_ITERATIONS = 100_000;

    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--mode", paramLabel = "<MODE>", defaultValue = "infer", description = "infer or train (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--batch-size", defaultValue = "1", paramLabel = "<N>", description = "Images per iteration (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--input-size", defaultValue = "224", paramLabel = "<S>", description = "Square input side (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Mixin ThreadsOption threads;

    @Option(names = "--iterations", defaultValue = "10", paramLabel = "<N>", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "<W>", description = "Untimed iterations first, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-until-compiled", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Inference: after --warmup, go on until the JIT has compiled nothing for 20 iterations and 1 s "
                    + "(at most 60 s), on the Vector API kernels from the first iteration (default: ${DEFAULT-VALUE}).")
    boolean untilCompiled;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    enum Mode { infer, train }

    /** Milliseconds of the timed iterations, summarized. */
    record Timings(double medianMs, double minMs, double maxMs, double meanMs, double[] samplesMs) {
        static Timings of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            return new Timings(median, s[0], s[n - 1], Arrays.stream(s).average().orElseThrow(), ms.clone());
        }
    }

    /** One iteration of the benchmark: returns the loss for a training step, NaN for inference. */
    @FunctionalInterface
    private interface Step { double run(); }

    @Override public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Args.range("--batch-size", batch, 1, MAX_BATCH);
        Args.range("--input-size", inputSize, 32, MAX_SIZE);
        Args.range("--iterations", iterations, 1, MAX_ITERATIONS);
        Args.range("--warmup", warmup, 0, MAX_ITERATIONS);
        threads.apply();
        Model m = model.model(err, 1000, 1f, 0);
        Network net = m.network();
        String origin = m.origin();
        long macsPerImage = Summary.of(net, List.of(1, 3, inputSize, inputSize), SummaryOptions.of(Style.DEFAULT))
                .statistics().multAdds();
        Tensor x = randomInput(batch, inputSize, new SplittableRandom(42));
        Step step = mode == Mode.infer ? inference(net, x) : trainingStep(net, x, randomLabels(batch, net.numClasses(), new SplittableRandom(7)));

        Warmup w = warmUp(step);
        double[] ms = new double[iterations];
        double loss = Double.NaN;
        long jitBefore = jitMillis(), gcBefore = gcCount();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            loss = step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        long jitWhileTimed = jitMillis() - jitBefore, gcsWhileTimed = gcCount() - gcBefore;
        Timings t = Timings.of(ms);
        double flopsPerIteration = 2.0 * macsPerImage * batch * (mode == Mode.train ? 3 : 1);
        double imagesPerS = batch / (t.medianMs() / 1e3);
        double gflops = flopsPerIteration / (t.medianMs() / 1e3) / 1e9;
        long peakRssKb = peakRssKb();

        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("engine", "litenet");
            j.put("mode", mode.name());
            j.put("arch", net.config().architecture());
            j.put("model", origin);
            j.put("batch", batch);
            j.put("input_size", inputSize);
            j.put("threads", Parallel.threads());
            j.put("warmup", warmup);
            j.put("warmup_passes", w.passes());
            j.put("warmup_s", w.seconds());
            j.put("jit_quiet", w.quiet());
            j.put("iterations", iterations);
            j.put("median_ms", t.medianMs());
            j.put("min_ms", t.minMs());
            j.put("max_ms", t.maxMs());
            j.put("mean_ms", t.meanMs());
            j.put("images_per_s", imagesPerS);
            j.put("mult_adds_per_image", macsPerImage);
            j.put("gflop_per_iteration", flopsPerIteration / 1e9);
            j.put("gflops", gflops);
            j.put("peak_rss_mb", peakRssKb < 0 ? null : peakRssKb / 1024.0);
            long huge = statusKb(Path.of("/proc/self/smaps_rollup"), "AnonHugePages:"), anon = statusKb(Path.of("/proc/self/smaps_rollup"), "Anonymous:");
            j.put("anon_mb", anon < 0 ? null : anon / 1024.0);
            j.put("anon_huge_pages_mb", huge < 0 ? null : huge / 1024.0);
            j.put("jit_ms_while_timed", jitWhileTimed);
            j.put("gcs_while_timed", gcsWhileTimed);
            j.put("jvm_flags", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(f -> f.startsWith("-X")).toList());
            if (mode == Mode.train) j.put("loss", loss);
            j.put("samples_ms", Arrays.stream(t.samplesMs()).boxed().toList());
            out.println(Json.write(j));
        } else {
            out.printf("%s %s: batch %d, %dx%d, %d threads, %d iterations after %d warm-up%n", origin, mode, batch,
                    inputSize, inputSize, Parallel.threads(), iterations, warmup);
            out.printf("  median %.2f ms   min %.2f ms   max %.2f ms%n", t.medianMs(), t.minMs(), t.maxMs());
            out.printf("  %.1f images/s   %.2f GFLOP/s (%.1f M multiply-adds per image%s)%n", imagesPerS, gflops,
                    macsPerImage / 1e6, mode == Mode.train ? ", step counted as 3 forwards" : "");
            if (peakRssKb >= 0) out.printf("  peak RSS %.0f MB%n", peakRssKb / 1024.0);
            if (mode == Mode.train) out.printf("  last loss %.4f%n", loss);
        }
        return Main.OK;
    }

    /**
     * The untimed iterations: --warmup of them; for inference with --warmup-until-compiled, on the Vector API kernels
     * from the first (no scalar start whose profiles the JIT would compile, then throw away at the switch), and then
     * on until the JIT is quiet (see {@link Warmup}), so that every process is timed on finished machine code.
     */
    private Warmup warmUp(Step step) {
        if (mode != Mode.infer || !untilCompiled) return Warmup.untilCompiled(step::run, warmup, 1, 0, 0);
        Simd.skipScalarStart();
        return Warmup.untilCompiled(step::run, warmup, QUIET_ITERATIONS, QUIET_SECONDS, MAX_WARMUP_SECONDS);
    }

    static final int QUIET_ITERATIONS = 20;
    static final double QUIET_SECONDS = 1, MAX_WARMUP_SECONDS = 60;

    /** The fused eval model on x (B,S,S,3); the logits go back to the arena, so a steady pass allocates nothing. */
    private static Step inference(Network model, Tensor x) {
        Layer fused = model.fused();
        return () -> {
            Scratch.release(Inference.forward(fused, x));
            return Double.NaN;
        };
    }

    /** zero_grad, train-mode forward, cross-entropy, backward, Adam step over every parameter. */
    private static Step trainingStep(Network model, Tensor x, int[] labels) {
        model.unfreeze("");
        model.train(true);
        model.setRecording(true);
        Adam adam = new Adam(model.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8);
        return () -> {
            adam.zeroGrad();
            Tensor logits = model.forward(x);
            double loss = CrossEntropy.loss(logits, labels);
            model.backward(CrossEntropy.gradient(logits, labels));
            adam.step();
            return loss;
        };
    }

    /** Uniform values in [-1, 1): (B,S,S,3). */
    static Tensor randomInput(int batch, int size, SplittableRandom r) {
        Tensor x = Tensor.zeros(batch, size, size, 3);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    static int[] randomLabels(int batch, int classes, SplittableRandom r) {
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = r.nextInt(classes);
        return labels;
    }

    /** VmHWM of /proc/self/status in kB: the most memory this process ever had resident; -1 where unknown. */
    static long peakRssKb() { return statusKb(Path.of("/proc/self/status"), "VmHWM:"); }

    /**
     * The kB of one line of a /proc status file ({@code VmHWM:} of status, {@code AnonHugePages:} of smaps_rollup:
     * how much of the process's memory the kernel backs with 2 MB pages, which varies from process to process);
     * -1 where unknown.
     */
    static long statusKb(Path file, String key) {
        try {
            if (!Files.isReadable(file)) return -1;
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Milliseconds the JIT has spent compiling in this JVM so far (-1 where unknown). */
    static long jitMillis() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** Collections run in this JVM so far. */
    static long gcCount() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
    }
}
