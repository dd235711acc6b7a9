package dev.litenet.bench;

import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import dev.litenet.io.Json;
import dev.litenet.models.Architecture;
import dev.litenet.models.Architectures;
import dev.litenet.nn.Inference;
import dev.litenet.nn.Layer;
import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Scratch;
import dev.litenet.tensor.Simd;
import dev.litenet.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bytes allocated per steady-state forward pass, for every architecture of the zoo at each batch size and thread
 * count: the fused twin through {@link Inference#forward} on random input (the result given back to
 * {@code Scratch}, as a caller that wants no garbage does), after a warm-up long enough for HotSpot to have compiled
 * the kernels. Counted by {@code ThreadMXBean.getThreadAllocatedBytes} on the calling thread and on the kernel
 * workers ({@code litenet-*} threads) apart. Allocation counts do not depend on the load of the machine, unlike time,
 * so this runs anywhere; a steady pass allocating anything is a regression (see docs/BENCHMARKS.md, "Steady-state
 * allocation"). {@code --classifier NAME} also measures {@link ImageClassifier#predictBatch} of pretrained weights,
 * whose answers (probabilities, top-k predictions) are its only allocation. Prints a Markdown table, or JSON lines.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.litenet.bench.AllocationBench
 *     [--archs all|A,B] [--batches 1,32] [--threads 1,2] [--input-size 224] [--warmup N] [--warmup-batches N]
 *     [--iterations N] [--classifier mobilenet_v2_1.0_224_quant] [--json]</pre>
 */
public final class AllocationBench {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationBench() {}

    /** One measurement: bytes per pass on the calling thread and on the workers, and the wall time (loaded machines: a rough figure). */
    record Row(String what, int batch, int threads, double callerBytes, double workerBytes, double ms) {}

    public static void main(String[] argv) {
        Args a = Args.parse(argv);
        String archs = a.string("archs", "all");
        int[] batches = ints(a.string("batches", "1,32")), threads = ints(a.string("threads", "1,2"));
        int size = a.integer("input-size", 224);
        int warmup = a.integer("warmup", 300), warmupBatches = a.integer("warmup-batches", 10), iterations = a.integer("iterations", 0);
        List<Architecture> zoo = archs.equals("all") ? Architectures.all()
                : Arrays.stream(archs.split(",")).map(Architectures::get).toList();
        List<Row> rows = new ArrayList<>();
        for (int t : threads) {
            Parallel.setThreads(t);
            for (int b : batches) {
                for (Architecture arch : zoo) {
                    Layer fused = arch.build(1000).fused();
                    Tensor x = input(b, size);
                    int warm = b == 1 ? warmup : warmupBatches, n = iterations > 0 ? iterations : b == 1 ? 50 : 3;
                    rows.add(measure(arch.name(), b, t, warm, n, () -> Scratch.release(Inference.forward(fused, x))));
                    if (!a.flag("json")) System.err.println(format(rows.getLast()));
                }
            }
            if (a.flag("classifier")) rows.add(classifier(a.string("classifier", "mobilenet_v2_1.0_224_quant"), t, warmup));
        }
        print(rows, a.flag("json"), size);
    }

    // passes of `pass` after `warm` untimed ones: bytes per pass on this thread and on the workers (each thread's
    // count read where this thread's own reading does not count what the reading allocates)
    static Row measure(String what, int batch, int threads, int warm, int n, Runnable pass) {
        for (int i = 0; i < warm; i++) pass.run();
        long[] workers = workerIds();
        long me = Thread.currentThread().threadId();
        long w0 = bytes(workers), c0 = THREADS.getThreadAllocatedBytes(me), t0 = System.nanoTime();
        for (int i = 0; i < n; i++) pass.run();
        long t1 = System.nanoTime(), c1 = THREADS.getThreadAllocatedBytes(me), w1 = bytes(workers);
        return new Row(what, batch, threads, (c1 - c0) / (double) n, (w1 - w0) / (double) n, (t1 - t0) / 1e6 / n);
    }

    /** The kernel workers' thread ids. */
    static long[] workerIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("litenet-")).mapToLong(Thread::threadId).toArray();
    }

    /** Bytes these threads have allocated so far. */
    static long bytes(long[] ids) {
        long sum = 0;
        for (long id : ids) sum += Math.max(0, THREADS.getThreadAllocatedBytes(id));
        return sum;
    }

    // predictBatch of one generated photo, top 5, with pretrained weights
    private static Row classifier(String weights, int threads, int warm) {
        ImageClassifier net = ImageClassifier.pretrained(weights);
        BufferedImage photo = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(3);
        for (int y = 0; y < photo.getHeight(); y++) for (int x = 0; x < photo.getWidth(); x++) photo.setRGB(x, y, r.nextInt(1 << 24));
        List<PreparedImage> batch = Collections.singletonList(net.prepare("photo", photo));
        return measure("predictBatch " + weights + " top 5", 1, threads, warm, 50, () -> net.predictBatch(batch, 5));
    }

    private static Tensor input(int batch, int size) {
        Tensor x = Tensor.zeros(batch, size, size, 3);
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    private static void print(List<Row> rows, boolean json, int size) {
        if (json) {
            for (Row r : rows) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("what", r.what());
                j.put("batch", r.batch());
                j.put("threads", r.threads());
                j.put("input_size", size);
                j.put("vector_kernels", Simd.ENABLED);
                j.put("caller_bytes_per_pass", r.callerBytes());
                j.put("worker_bytes_per_pass", r.workerBytes());
                j.put("ms_per_pass", r.ms());
                System.out.println(Json.write(j));
            }
            return;
        }
        System.out.printf("Bytes allocated per steady-state pass, input %d, %s kernels%n%n", size, Simd.ENABLED ? "Vector API" : "scalar");
        System.out.println("| network | batch | threads | calling thread B | workers B |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Row r : rows) System.out.printf("| %s | %d | %d | %.0f | %.0f |%n", r.what(), r.batch(), r.threads(), r.callerBytes(), r.workerBytes());
    }

    private static String format(Row r) {
        return String.format("%-22s b%-2d t%d: %9.0f B calling thread, %9.0f B workers per pass (%.1f ms a pass)",
                r.what(), r.batch(), r.threads(), r.callerBytes(), r.workerBytes(), r.ms());
    }

    private static int[] ints(String csv) { return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray(); }
}
