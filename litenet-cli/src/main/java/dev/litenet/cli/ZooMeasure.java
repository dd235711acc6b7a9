package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.eval.Comparison;
import dev.litenet.eval.Latency;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.models.KnownWeights;
import dev.litenet.models.Network;
import dev.litenet.models.RunFolder;
import dev.litenet.models.WeightsInfo;
import dev.litenet.nn.Layer;
import dev.litenet.summary.LayerTrace;
import dev.litenet.summary.ModelStatistics;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The zoo's rows of {@code litenet compare}: every architecture of {@link Architectures#all()} at width 1, each
 * followed by the narrower widths the lesson asks about, measured at one input size with a 1000-class head:
 * parameters and multiply-adds (one traced forward, as {@code litenet summary} counts them), what its float32
 * {@code model.safetensors} would weigh, and the latency of its fused eval forward at batch 1 on one thread and at
 * batch 32 on two.
 */
final class ZooMeasure {
    /** The latency settings of every row: one image on one thread (a phone, a request), a batch on two (a server). */
    static final int SINGLE_BATCH = 1, SINGLE_THREADS = 1, BATCH = 32, BATCH_THREADS = 2;
    /** Timed runs at least, per latency. */
    static final int MIN_RUNS = 5;

    /**
     * The narrower widths measured besides width 1: MobileNetV2 at 0.5 and 0.35 (the lesson's width question; the
     * names {@code summary} knows) and MobileNet V1 at TF-slim's published alphas 0.75, 0.5 and 0.25.
     */
    private static final Map<String, List<Float>> NARROWER = Map.of(
            "mobilenet_v2", List.of(0.5f, 0.35f),
            "mobilenet_v1", List.of(0.75f, 0.5f, 0.25f));

    private ZooMeasure() {}

    /**
     * One row to measure.
     *
     * @param name the row's name: the architecture's, with {@code _WIDTH} when the width is not 1
     */
    record Row(String name, String architecture, float width) {}

    /** Every row, in the zoo's order: each architecture, then its narrower widths. */
    static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Architecture a : Architectures.all()) {
            out.add(new Row(a.name(), a.name(), 1f));
            if (!a.takesWidth()) continue;
            for (float w : NARROWER.getOrDefault(a.name(), List.of())) out.add(new Row(a.name() + "_" + width(w), a.name(), w));
        }
        return out;
    }

    /** The rows named, in the order given; an unknown or repeated name is bad input listing the known ones. */
    static List<Row> select(List<String> names) {
        List<Row> all = rows(), out = new ArrayList<>();
        for (String n : names) {
            Row row = all.stream().filter(r -> r.name().equalsIgnoreCase(n.strip())).findFirst().orElseThrow(() -> new BadInputException(
                    "--archs: unknown architecture '" + n + "'; known: " + all.stream().map(Row::name).collect(Collectors.joining(", "))));
            if (out.contains(row)) throw new BadInputException("--archs lists " + row.name() + " twice");
            out.add(row);
        }
        return out;
    }

    /** 0.5f -> "0.5", 0.35f -> "0.35", 1f -> "1": the shortest decimal of the float. */
    static String width(float w) { return new java.math.BigDecimal(Float.toString(w)).stripTrailingZeros().toPlainString(); }

    /** The network of a row: a 1000-class head, the reference's initialization from the seed. */
    static Network build(Row row, long seed) { return Architectures.get(row.architecture()).build(1000, row.width(), seed); }

    /** Parameters and multiply-adds of a network on one square image, from one traced forward. */
    static ModelStatistics cost(Layer net, int size) { return ModelStatistics.of(LayerTrace.collect(net, List.of(1, 3, size, size))); }

    /**
     * Measures a row at {@code size}x{@code size} whose cost was counted already; the kernels' threads are restored
     * afterwards.
     */
    static Comparison.ImageModel measure(Row row, ModelStatistics cost, int size, long seed, double minSeconds) {
        Network net = build(row, seed);
        long fileBytes = RunFolder.modelBytes(net);
        Layer fused = net.fused();
        Latency single = latency(fused, SINGLE_BATCH, size, SINGLE_THREADS, seed, minSeconds);
        Latency batched = latency(fused, BATCH, size, BATCH_THREADS, seed, minSeconds);
        return new Comparison.ImageModel(row.name(), row.architecture(), row.width(), cost.totalParams(), cost.multAdds(), fileBytes,
                single, batched, published(row.architecture(), row.width()));
    }

    /**
     * An estimate of the seconds the rows not yet measured take: each at least four times {@code minSeconds} (two
     * latencies, each a warm-up and timed runs of that least time), plus time in proportion to its multiply-adds at
     * the rate of the rows done so far.
     *
     * @param doneMultAdds multiply-adds of the rows measured, together
     * @param leftMultAdds multiply-adds of each row left
     * @param rowsDone     rows measured
     * @param seconds      time they took
     */
    static double secondsLeft(long doneMultAdds, List<Long> leftMultAdds, int rowsDone, double seconds, double minSeconds) {
        double floor = 4 * minSeconds, perMultAdd = Math.max(0, seconds - floor * rowsDone) / Math.max(1, doneMultAdds), left = 0;
        for (long m : leftMultAdds) left += floor + perMultAdd * m;
        return left;
    }

    /** The fused network on a random batch (N, size, size, 3) with this many threads; the threads are restored after. */
    static Latency latency(Layer fused, int batch, int size, int threads, long seed, double minSeconds) {
        int before = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            return Latency.measure(fused, randomImages(batch, size, seed), MIN_RUNS, minSeconds);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** Uniform values in [-1, 1): the time of a forward does not depend on them. */
    static Tensor randomImages(int batch, int size, long seed) {
        Tensor x = Tensor.zeros(batch, size, size, 3);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.size(); i++) x.data[i] = (float) (random.nextDouble() * 2 - 1);
        return x;
    }

    /**
     * The published ImageNet top-1 of this architecture and width: the first known weights in {@link KnownWeights}'
     * order that publish one (torchvision's IMAGENET1K_V1, the paper's recipe, where it has two; Google's 8-bit
     * TFLite file for MobileNet V1 at 0.25, 0.5 and 0.75, at its own input size), or null.
     */
    static Comparison.Published published(String architecture, float width) {
        for (WeightsInfo w : KnownWeights.all()) {
            Double top1 = w.metrics().get("acc@1");
            if (top1 != null && w.architecture().equals(architecture) && w.widthMult() == width) {
                return new Comparison.Published(w.name(), top1, w.preprocessing().outputSize());
            }
        }
        return null;
    }
}
