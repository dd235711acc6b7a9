package dev.litenet.bench;

import dev.litenet.ImageClassifier;
import dev.litenet.PreparedImage;
import dev.litenet.data.ImageFolder;
import dev.litenet.io.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a fresh process spends its time before and while it predicts its first images: JVM start (to main),
 * reading the weights into a classifier, decoding and preparing the first photo, then the latency of each of the
 * first N single-image predictions (photos of a folder in turn, each decoded and predicted as one image), so the
 * 1st, 10th and 100th show JIT warm-up. Prints one JSON object.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.litenet.bench.FirstImages
 *     [--weights NAME|FILE] [--images FOLDER] [--count N] [--threads T]</pre>
 */
public final class FirstImages {
    private FirstImages() {}

    public static void main(String[] argv) throws IOException {
        long t0 = System.nanoTime();
        double toMain = ManagementFactory.getRuntimeMXBean().getUptime();
        Args a = Args.parse(argv);
        String weights = a.string("weights", "mobilenet_v2_1.0_224_quant");
        Path folder = Path.of(a.string("images", "../shared/data/cats-dogs/val"));
        int count = a.integer("count", 100);
        int threads = a.integer("threads", 0);
        if (threads > 0) dev.litenet.tensor.Parallel.setThreads(threads);
        List<Path> photos = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder)) {
            s.filter(Files::isRegularFile).filter(f -> ImageFolder.isImageName(f.getFileName().toString())).sorted().forEach(photos::add);
        }
        if (photos.isEmpty()) throw new IllegalArgumentException("no images under " + folder);

        long t1 = System.nanoTime();
        ImageClassifier net = ImageClassifier.pretrained(weights);
        long t2 = System.nanoTime();
        PreparedImage first = net.prepare(photos.get(0));
        long t3 = System.nanoTime();
        double[] latency = new double[count];
        double[] forward = new double[count];
        for (int i = 0; i < count; i++) {
            long s = System.nanoTime();
            PreparedImage p = i == 0 ? first : net.prepare(photos.get(i % photos.size()));
            long m = System.nanoTime();
            net.predictBatch(List.of(p), 5);
            long e = System.nanoTime();
            latency[i] = (e - (i == 0 ? t2 : s)) / 1e6;
            forward[i] = (e - m) / 1e6;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jvm_to_main_ms", toMain);
        out.put("list_images_ms", (t1 - t0) / 1e6);
        out.put("load_weights_ms", (t2 - t1) / 1e6);
        out.put("prepare_first_ms", (t3 - t2) / 1e6);
        out.put("forward_ms", toList(forward));
        out.put("image_ms", toList(latency));
        for (int n : new int[] {1, 10, 100}) {
            if (n <= count) out.put("image_" + n + "_ms", round(latency[n - 1]));
        }
        out.put("peak_rss_mb", PeakRss.megabytes());
        System.out.println(Json.write(out));
    }

    private static List<Double> toList(double[] v) {
        List<Double> l = new ArrayList<>(v.length);
        for (double d : v) l.add(round(d));
        return l;
    }

    private static double round(double v) { return Math.round(v * 100) / 100.0; }
}
