package dev.litenet.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.litenet.io.Json;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ONNX Runtime peer of {@code litenet bench --mode infer}: times one ONNX model (torchvision's MobileNetV2
 * exported by torch) on random NCHW input with a given number of intra-op threads, all graph optimizations on,
 * sequential execution. Prints the same JSON fields as {@code litenet bench --json}.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.litenet.bench.OrtBench --model FILE.onnx
 *     [--batch B] [--threads T] [--iterations N] [--warmup W] [--input-size S] [--mult-adds PER_IMAGE]</pre>
 * With {@code --mult-adds} (the model's true multiply-adds per image, as {@code litenet bench} reports them) the
 * JSON also has GFLOP/s.
 */
public final class OrtBench {
    private OrtBench() {}

    public static void main(String[] argv) throws OrtException {
        Args a = Args.parse(argv);
        Path model = Path.of(a.string("model", "../shared/fixtures/mobilenet_v2/mobilenet_v2_calib.onnx"));
        int batch = a.integer("batch", 1), threads = a.integer("threads", 1), size = a.integer("input-size", 224);
        int iterations = a.integer("iterations", 10), warmup = a.integer("warmup", 3);
        long multAdds = Long.parseLong(a.string("mult-adds", "0"));
        if (!Files.isRegularFile(model)) {
            System.err.println("ort-bench: no such model " + model);
            System.exit(2);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = options(threads)) {
            try (OrtSession session = env.createSession(model.toString(), options)) {
                String input = session.getInputNames().iterator().next();
                NodeInfo info = session.getInputInfo().get(input);
                long[] declared = ((TensorInfo) info.getInfo()).getShape();
                long[] shape = {batch, 3, size, size};
                for (int d = 0; d < 4; d++) {
                    if (declared[d] > 0 && declared[d] != shape[d]) {
                        System.err.println("ort-bench: input '" + input + "' is declared " + Arrays.toString(declared)
                                + ", cannot feed " + Arrays.toString(shape));
                        System.exit(2);
                    }
                }
                float[] x = new float[batch * 3 * size * size];
                SplittableRandom r = new SplittableRandom(42);
                for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape)) {
                    Map<String, OnnxTensor> feed = Map.of(input, tensor);
                    for (int i = 0; i < warmup; i++) session.run(feed).close();
                    double[] ms = new double[iterations];
                    for (int i = 0; i < iterations; i++) {
                        long t0 = System.nanoTime();
                        session.run(feed).close();
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    System.out.println(Json.write(report(model, input, declared, batch, size, threads, warmup, ms, multAdds)));
                }
            }
        }
    }

    /**
     * The session every ORT peer runs: {@code threads} intra-op threads, one inter-op, sequential execution, all
     * graph optimizations (ORT folds Conv + BatchNorm + Clip as LiteNet's fused model does).
     */
    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    static Map<String, Object> report(Path model, String input, long[] declared, int batch, int size, int threads,
                                      int warmup, double[] ms, long multAdds) {
        double[] s = ms.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", "onnxruntime");
        m.put("version", OrtEnvironment.getEnvironment().getVersion());
        m.put("mode", "infer");
        m.put("model", model.getFileName().toString());
        m.put("input", input + " " + Arrays.toString(declared));
        m.put("batch", batch);
        m.put("input_size", size);
        m.put("threads", threads);
        m.put("warmup", warmup);
        m.put("iterations", n);
        m.put("median_ms", median);
        m.put("min_ms", s[0]);
        m.put("max_ms", s[n - 1]);
        m.put("mean_ms", Arrays.stream(s).average().orElseThrow());
        m.put("images_per_s", batch / (median / 1e3));
        if (multAdds > 0) {
            m.put("mult_adds_per_image", multAdds);
            m.put("gflops", 2.0 * multAdds * batch / (median / 1e3) / 1e9);
        }
        m.put("peak_rss_mb", PeakRss.megabytes());
        m.put("samples_ms", Arrays.stream(ms).boxed().toList());
        return m;
    }
}
