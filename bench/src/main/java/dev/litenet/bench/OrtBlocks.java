package dev.litenet.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.litenet.io.Json;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ONNX Runtime's time per block of torchvision's MobileNetV2, from its own profiler: the node events of
 * the last {@code passes} passes (after a warm-up), each node's kernel time added to the block its torch scope names
 * ({@code /features/features.3/...} is block 3; the pooling and the classifier apart; layout reorders that ONNX
 * Runtime inserts around its blocked convolutions as "reorder"), in ms per pass. Beside {@link ModeProbe}'s blocks
 * of LiteNet (the same block numbers), where LiteNet loses time to ONNX Runtime.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dev.litenet.bench.OrtBlocks
 *     --model ../shared/fixtures/mobilenet_v2/mobilenet_v2_calib.onnx [--batch 1] [--threads 1] [--passes 200] [--warmup 200]</pre>
 */
public final class OrtBlocks {
    private static final Pattern BLOCK = Pattern.compile("features\\.(\\d+)");

    private OrtBlocks() {}

    public static void main(String[] argv) throws Exception {
        Args a = Args.parse(argv);
        int batch = a.integer("batch", 1), threads = a.integer("threads", 1), passes = a.integer("passes", 200);
        int warmup = a.integer("warmup", 200);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path prefix = Files.createTempDirectory("ort-blocks").resolve("profile");
        Map<String, Double> micros = new TreeMap<>((x, y) -> key(x) - key(y) != 0 ? key(x) - key(y) : x.compareTo(y));
        try (OrtSession.SessionOptions options = OrtBench.options(threads)) {
            options.enableProfiling(prefix.toString());
            try (OrtSession session = env.createSession(a.string("model", "mobilenet_v2_calib.onnx"), options)) {
                float[] x = new float[batch * 3 * 224 * 224];
                SplittableRandom r = new SplittableRandom(42);
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
                try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{batch, 3, 224, 224})) {
                    Map<String, OnnxTensor> feed = Map.of(session.getInputNames().iterator().next(), input);
                    for (int i = 0; i < warmup; i++) session.run(feed).close();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < passes; i++) session.run(feed).close();
                    double wall = (System.nanoTime() - t0) / 1e6 / passes;
                    Path profile = Path.of(session.endProfiling());
                    Map<String, List<Double>> byNode = new HashMap<>();       // each node's kernel times, pass after pass
                    for (Object e : (List<?>) Json.parse(Files.readString(profile))) {
                        Map<?, ?> event = (Map<?, ?>) e;
                        String name = String.valueOf(event.get("name"));
                        if (!"Node".equals(event.get("cat")) || !name.endsWith("_kernel_time")) continue;
                        byNode.computeIfAbsent(name, k -> new ArrayList<>()).add(((Number) event.get("dur")).doubleValue());
                    }
                    Files.deleteIfExists(profile);
                    for (var node : byNode.entrySet()) {                     // the timed passes only: each node's last ones
                        List<Double> d = node.getValue();
                        double sum = 0;
                        for (double v : d.subList(Math.max(0, d.size() - passes), d.size())) sum += v;
                        micros.merge(block(node.getKey()), sum, Double::sum);
                    }
                    double perPass = 1.0 / passes / 1e3;
                    System.out.printf("ONNX Runtime, batch %d, %d threads: %.2f ms a pass (wall, %d passes)%n", batch, threads, wall, passes);
                    double sum = 0;
                    for (var m : micros.entrySet()) {
                        System.out.printf("%s=%.2f ", m.getKey(), m.getValue() * perPass);
                        sum += m.getValue() * perPass;
                    }
                    System.out.printf("%nsum of kernels %.2f ms a pass%n", sum);
                }
            }
        }
    }

    // "0".."18" for features.N, else "pool", "classifier" or "reorder"
    private static String block(String name) {
        Matcher m = BLOCK.matcher(name);
        if (m.find()) return m.group(1);
        if (name.contains("classifier")) return "classifier";
        if (name.contains("Pool") || name.contains("Flatten")) return "pool";
        return "reorder";
    }

    private static int key(String block) {
        return switch (block) {
            case "pool" -> 100;
            case "classifier" -> 101;
            case "reorder" -> 102;
            default -> Integer.parseInt(block);
        };
    }
}
