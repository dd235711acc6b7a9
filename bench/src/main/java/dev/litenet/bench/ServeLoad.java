package dev.litenet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A load test of a running {@code litenet serve} on loopback: for each client count, that many clients post real
 * photos (raw JPEG bodies) one after another for a fixed time, after a short unmeasured warm-up. Prints one
 * Markdown row per count: images/s, p50/p99 latency, batch sizes (from the server's /metrics), errors, and the
 * server's peak RSS (VmHWM of {@code --pid}). Run by {@code bench/run-serve-load.sh}; not a unit test.
 *
 * <pre>ServeLoad --url http://127.0.0.1:8080 --pid 1234 --photos DIR [--clients 1,4,16,64] [--seconds 15] [--warmup 3] [--label on]</pre>
 */
public final class ServeLoad {
    private ServeLoad() {}

    record Level(int clients, int ok, int errors, double seconds, long[] latencyNanos, double meanBatch, int maxBatch) {
        double throughput() { return ok / seconds; }

        double percentileMs(double p) {
            if (latencyNanos.length == 0) return Double.NaN;
            return latencyNanos[Math.min(latencyNanos.length - 1, (int) Math.ceil(p * latencyNanos.length) - 1)] / 1e6;
        }
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        URI base = URI.create(args.string("url", "http://127.0.0.1:8080") + "/");
        long pid = Long.parseLong(args.string("pid", "-1"));
        int seconds = args.integer("seconds", 15), warmup = args.integer("warmup", 3);
        String label = args.string("label", "");
        List<byte[]> photos = photos(Path.of(args.string("photos", "../shared/data/cats-dogs/val")), args.integer("photo-count", 200));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (String c : args.string("clients", "1,4,16,64").split(",")) {
            int clients = Integer.parseInt(c.strip());
            run(http, base, photos, clients, Duration.ofSeconds(warmup));                  // warm-up, not measured
            double[] before = batchStats(http, base);
            Level level = run(http, base, photos, clients, Duration.ofSeconds(seconds));
            double[] after = batchStats(http, base);
            double batches = after[1] - before[1];
            level = new Level(level.clients(), level.ok(), level.errors(), level.seconds(), level.latencyNanos(),
                    batches > 0 ? (after[0] - before[0]) / batches : Double.NaN, (int) after[2]);
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | ≤ %d | %d | %.0f | %s |%n", label, clients, level.ok(),
                    level.throughput(), level.percentileMs(0.50), level.percentileMs(0.99), level.meanBatch(), level.maxBatch(),
                    level.errors(), PeakRss.megabytes(Long.toString(pid)), loadAverage());
        }
    }

    /** {@code clients} threads posting photos back to back for {@code time}. */
    static Level run(HttpClient http, URI base, List<byte[]> photos, int clients, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        AtomicInteger next = new AtomicInteger(), ok = new AtomicInteger(), errors = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong lastAnswer = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    byte[] photo = photos.get(Math.floorMod(next.getAndIncrement(), photos.size()));
                    HttpRequest r = HttpRequest.newBuilder(base.resolve("v1/predict?top=1")).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(photo)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (a.statusCode() == 200 && a.body().contains("\"top\"")) {
                            ok.incrementAndGet();
                            latencies.add(t1 - t0);
                        } else {
                            errors.incrementAndGet();
                        }
                        lastAnswer.accumulateAndGet(t1, Math::max);
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Level(clients, ok.get(), errors.get(), (Math.max(lastAnswer.get(), start + 1) - start) / 1e9, sorted, Double.NaN, 0);
    }

    /** {sum, count, largest bucket bound with any batch} of the server's batch-size histogram. */
    static double[] batchStats(HttpClient http, URI base) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0, count = 0, max = 0, previous = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith("litenet_batch_size_sum ")) sum = Double.parseDouble(line.substring(23));
            if (line.startsWith("litenet_batch_size_count ")) count = Double.parseDouble(line.substring(25));
            if (line.startsWith("litenet_batch_size_bucket{le=\"") && !line.contains("+Inf")) {
                String le = line.substring(30, line.indexOf('"', 30));
                double cumulative = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                if (cumulative > previous) max = Double.parseDouble(le);
                previous = cumulative;
            }
        }
        return new double[]{sum, count, max};
    }

    static List<byte[]> photos(Path folder, int count) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no .jpg under " + folder);
        List<byte[]> out = new ArrayList<>();
        int step = Math.max(1, files.size() / count);                     // cats and dogs alike
        for (int i = 0; i < files.size() && out.size() < count; i += step) out.add(Files.readAllBytes(files.get(i)));
        return out;
    }

    static String loadAverage() {
        try {
            return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" ")).limit(1).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
