package dev.litenet.serve;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The server's counters in the Prometheus text format (version 0.0.4): requests by route and status, request
 * latency, batch sizes, queue depth. Collect (the {@code record} methods, any thread) and format ({@link #text})
 * are separate; nothing here knows about HTTP.
 */
public final class Metrics {
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();     // "route\0status"
    private final Histogram latency = new Histogram(LATENCY_BUCKETS);
    private final Histogram batches = new Histogram(BATCH_BUCKETS);
    private final IntSupplier queueDepth;

    /** @param queueDepth how many requests wait for the model right now */
    public Metrics(IntSupplier queueDepth) { this.queueDepth = queueDepth; }

    /** One finished request: its route ({@code /v1/predict}, ...), HTTP status and time in the server. */
    public void recordRequest(String route, int status, double seconds) {
        requests.computeIfAbsent(route + '\0' + status, k -> new LongAdder()).increment();
        latency.observe(seconds);
    }

    /** One batch about to run through the model. */
    public void recordBatch(int size) { batches.observe(size); }

    /** @return everything, in the Prometheus text format */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP litenet_requests_total HTTP requests by route and status.\n# TYPE litenet_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, n) -> {
            String[] rs = key.split("\0");
            out.append("litenet_requests_total{route=\"").append(rs[0]).append("\",status=\"").append(rs[1]).append("\"} ").append(n.sum()).append('\n');
        });
        latency.format(out, "litenet_request_duration_seconds", "Time from request to answer.");
        batches.format(out, "litenet_batch_size", "Images per forward pass of the model.");
        out.append("# HELP litenet_queue_depth Requests waiting for the model.\n# TYPE litenet_queue_depth gauge\n")
                .append("litenet_queue_depth ").append(queueDepth.getAsInt()).append('\n');
        return out.toString();
    }

    /** A cumulative histogram with fixed upper bounds. */
    private static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;           // per bucket, not cumulative; the last is +Inf
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length + 1);
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) i++;
            counts.incrementAndGet(i);
            sum.add(v);
        }

        void format(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts.get(i);
                String le = i < bounds.length ? number(bounds[i]) : "+Inf";
                out.append(name).append("_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
            }
            out.append(name).append("_sum ").append(number(sum.sum())).append('\n');
            out.append(name).append("_count ").append(cumulative).append('\n');
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
