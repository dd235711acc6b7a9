package dev.litenet.serve;

import dev.litenet.BadInputException;
import dev.litenet.Batcher;
import dev.litenet.WeightsUnavailableException;
import dev.litenet.Explanation;
import dev.litenet.ExportOptions;
import dev.litenet.ImageClassifier;
import dev.litenet.Prediction;
import dev.litenet.PreparedImage;
import dev.litenet.eval.Warmup;
import dev.litenet.io.Json;
import dev.litenet.tensor.Simd;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP inference for one {@link ImageClassifier}, with dynamic batching:
 * <ul>
 *   <li>{@code POST /v1/predict?top=K}: an image (raw bytes, or the {@code file} field of a multipart form) →
 *       {@code {"top":[{"index":285,"label":"Egyptian cat","prob":0.76}],"model":"...","ms":12.3}}</li>
 *   <li>{@code POST /v1/embed}: an image → {@code {"embedding":[...1280 floats],"model":"...","ms":...}}</li>
 *   <li>{@code POST /v1/explain?class=LABEL&layer=NAME&format=png|json}: an image → its Grad-CAM overlay as a PNG
 *       (the photo as the network saw it, the heatmap of the predicted class, or of {@code class}, and a legend), or
 *       with {@code format=json} (or {@code Accept: application/json}) {@code {"class":{..},"predicted":{..},
 *       "layer":..,"heatmap":{"height":7,"width":7,"max":..,"values":[[..]]},"model":..,"ms":..}}; an unknown class
 *       or layer is a 400. Explanations run one at a time beside the batches, not in them.</li>
 *   <li>{@code GET /}: a page to drop a photo on; {@code GET /healthz}; {@code GET /metrics} (Prometheus)</li>
 * </ul>
 * Images are decoded and preprocessed on the request threads, in parallel; a {@link Batcher} then runs the
 * requests that arrive within {@code maxDelay} as one batch. Every error is {@code {"error":"..."}}, Jetty's and
 * Javalin's own included ({@link JsonErrors}): 400 missing image or malformed form ({@link Multipart}), 404, 405,
 * 408 body too slow, 413 body too large, 415 not an image type, 422 unreadable image, 431 headers too large, 503
 * (with {@code Retry-After}) when the request bodies in flight, the decoders or the queue are full, or shutting
 * down. docs/SECURITY.md lists the budgets.
 *
 * <pre>{@code
 * try (InferenceServer server = InferenceServer.builder(ImageClassifier.pretrained("mobilenet_v2_1.0_224_quant"))
 *         .port(8080).start()) {
 *     server.awaitClosed();
 * }
 * }</pre>
 */
public final class InferenceServer implements AutoCloseable {
    private static final Set<String> ROUTES = Set.of("/", "/app.js", "/style.css", "/classify.html", "/healthz", "/metrics", "/v1/predict",
            "/v1/embed", "/v1/explain", "/v1/model.tflite", "/v1/model.onnx");
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final long DRAIN_MILLIS = 30_000;
    private static final Duration DECODE_WAIT = Duration.ofSeconds(10);
    /** Bytes a second a client must send its body at (Jetty's minimum request data rate). */
    static final long MIN_BODY_BYTES_PER_SECOND = 4096;
    /** Bytes of a request line and headers; more is a 431. */
    static final int HEADER_BYTES = 8192;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InferenceServer.class);

    private record Ask(PreparedImage image, int k) {}

    private final ImageClassifier net;
    private final Map<String, byte[]> exports = new java.util.HashMap<>();
    private final long maxBodyBytes;
    private static final int DECODERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final Semaphore decoders = new Semaphore(DECODERS);
    /**
     * Decodes and explanations run here, on platform threads, never on the request's virtual thread: a virtual thread
     * that computes holds its carrier until it is done, and with every carrier computing, /healthz would wait.
     */
    private final java.util.concurrent.ExecutorService compute = java.util.concurrent.Executors.newFixedThreadPool(DECODERS + 1,
            Thread.ofPlatform().name("litenet-decode-", 0).daemon(true).factory());
    private final long bodyBytesInFlight;
    private final AtomicLong bodyBytes = new AtomicLong();      // reserved by the requests reading or decoding a body
    private final Duration idleTimeout;
    private final Semaphore explaining;                        // explanations running or waiting for the network
    private final Batcher<Ask, List<Prediction>> predictions;
    private final Batcher<PreparedImage, float[]> embeddings;
    private final Metrics metrics;
    private final Javalin app;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean closing;

    private InferenceServer(Builder b) {
        this.net = b.net;
        this.maxBodyBytes = b.maxBodyBytes;
        this.bodyBytesInFlight = Math.max(b.maxBodyBytes, b.bodyBytesInFlight > 0 ? b.bodyBytesInFlight : defaultBodyBytesInFlight());
        this.idleTimeout = b.idleTimeout;
        this.explaining = new Semaphore(b.queue);
        this.metrics = new Metrics(this::queued);
        long delay = b.maxDelay.toNanos();
        this.predictions = new Batcher<>("litenet-predict", this::predictBatch, b.maxBatch, delay, b.queue, metrics::recordBatch);
        this.embeddings = new Batcher<>("litenet-embed", images -> Arrays.asList(net.embedBatch(images)), b.maxBatch, delay, b.queue, metrics::recordBatch);
        try {
            warmUp(b.warmUp);
            this.app = listen(b);
        } catch (RuntimeException e) {
            predictions.close();
            embeddings.close();
            compute.shutdownNow();
            throw e;
        }
    }

    /** Starts Javalin; an address that cannot be listened on is a {@link BadInputException} naming it. */
    private Javalin listen(Builder b) {
        try {
            return javalin(b);
        } catch (RuntimeException e) {
            boolean bind = e instanceof io.javalin.util.JavalinBindException;
            for (Throwable t = e; t != null && !bind; t = t.getCause()) {
                bind = t instanceof java.net.SocketException || t instanceof java.nio.channels.UnresolvedAddressException
                        || t instanceof java.net.UnknownHostException;
            }
            if (bind) throw new BadInputException("cannot listen on " + b.host + ":" + b.port + ": " + whyNotListening(b.host, b.port));
            throw e;
        }
    }

    /** Why an address cannot be listened on, in the operating system's words (Javalin says "port in use" for all). */
    private static String whyNotListening(String host, int port) {
        java.net.InetAddress address;
        try {
            address = java.net.InetAddress.getByName(host);
        } catch (java.net.UnknownHostException | SecurityException e) {
            return "unknown host";
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket(port, 1, address)) {
            return "the address cannot be bound";
        } catch (IOException e) {
            String m = e.getMessage();
            return m == null || m.isBlank() ? "the address cannot be bound" : JsonErrors.text(0, m).toLowerCase(java.util.Locale.ROOT)
                    + (m.contains("assign") ? " (not an address of this machine)" : "");
        }
    }

    private Javalin javalin(Builder b) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;          // a slow client holds no platform thread
            config.http.prefer405over404 = true;
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(idleTimeout.toMillis());       // a client that stops sending
                http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);   // a client that sends a byte now and then
                http.setRequestHeaderSize(HEADER_BYTES);
            });
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrors.Servlet()));
            config.http.maxRequestSize = maxBodyBytes;
            config.jetty.multipartConfig.maxFileSize(maxBodyBytes, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(maxBodyBytes, SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes), SizeUnit.BYTES);
            config.jetty.modifyServer(server -> {                 // stop: refuse new connections, finish what is in flight
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(DRAIN_MILLIS);
                server.setErrorHandler(new JsonErrors.Server());
            });
            config.requestLogger.http((ctx, ms) ->
                    metrics.recordRequest(ROUTES.contains(ctx.path()) ? ctx.path() : "other", ctx.statusCode(), ms / 1000.0));
            config.routes.post("/v1/predict", this::predict);
            config.routes.post("/v1/embed", this::embed);
            config.routes.post("/v1/explain", this::explain);
            config.routes.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
            config.routes.get("/app.js", ctx -> page(ctx, "app.js", "text/javascript; charset=utf-8"));
            config.routes.get("/style.css", ctx -> page(ctx, "style.css", "text/css; charset=utf-8"));
            config.routes.get("/classify.html", ctx -> page(ctx, "classify.html", "text/html; charset=utf-8"));
            config.routes.get("/v1/model.tflite", ctx -> exported(ctx, ExportOptions.tflite(), ".tflite"));
            config.routes.get("/v1/model.onnx", ctx -> exported(ctx, ExportOptions.onnx(), ".onnx"));
            config.routes.get("/healthz", this::health);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.text()));
            config.routes.exception(HttpError.class, (e, ctx) -> error(ctx, e.status, e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(WeightsUnavailableException.class, (e, ctx) -> error(ctx, 503, e.getMessage()));
            config.routes.exception(org.eclipse.jetty.http.BadMessageException.class, (e, ctx) -> error(ctx, e.getCode(), e.getCode() == 408
                    ? "request body too slow: under " + MIN_BODY_BYTES_PER_SECOND + " bytes a second, or stopped for " + idleTimeout.toSeconds() + " s"
                    : JsonErrors.text(e.getCode(), e.getReason())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {}: internal error", ctx.method(), BadInputException.printable(ctx.path()), e);
                error(ctx, 500, "internal error");
            });
            config.routes.error(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.method() + " " + BadInputException.printable(ctx.path())));
            config.routes.error(405, ctx -> error(ctx, 405, "method " + ctx.method() + " not allowed on " + BadInputException.printable(ctx.path())));
            for (int status : new int[]{400, 408, 413, 414, 431, 500, 503}) {
                config.routes.error(status, ctx -> {
                    String body = ctx.result();
                    if (body == null || !body.startsWith("{\"error\"")) error(ctx, status, JsonErrors.text(status, null));
                });
            }
        }).start(b.host, b.port);
    }

    /**
     * A server for a classifier, with the defaults of {@code litenet serve}.
     *
     * @param net the classifier; it is warmed up before the server listens
     * @return a builder
     */
    public static Builder builder(ImageClassifier net) { return new Builder(net); }

    /** @return the port the server listens on (the chosen one when port 0 was asked for) */
    public int port() { return app.port(); }

    /**
     * Graceful stop: refuses new connections, answers the requests in flight (up to 30 s), stops the batchers.
     * Safe to call more than once and from any thread (a signal handler).
     */
    @Override public void close() {
        synchronized (this) {
            if (closing) return;
            closing = true;
        }
        try {
            app.stop();
        } catch (RuntimeException e) {           // a drain cut short (a decode still running at the stop timeout): no trace
            LOG.warn("stopped before every request in flight was answered: {}", JsonErrors.text(500, e.getMessage()));
        } finally {
            predictions.close();
            embeddings.close();
            compute.shutdownNow();
            closed.countDown();
        }
    }

    /** @return requests waiting for the model */
    private int queued() { return predictions.queued() + embeddings.queued(); }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException { closed.await(); }

    // ---- routes -----------------------------------------------------------------------------------------------

    private void predict(Context ctx) throws InterruptedException {
        long start = System.nanoTime();
        PreparedImage image = prepare(ctx);                      // reads the body first, so the connection stays usable
        int k = top(ctx);
        List<Prediction> top = await(submit(predictions, new Ask(image, k)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("top", top.stream().map(Prediction::toJson).toList());
        out.put("model", net.origin());
        out.put("ms", millis(start));
        json(ctx, 200, out);
    }

    private void embed(Context ctx) throws InterruptedException {
        long start = System.nanoTime();
        float[] e = await(submit(embeddings, prepare(ctx)));
        List<Double> values = new ArrayList<>(e.length);
        for (float v : e) values.add(Double.parseDouble(Float.toString(v)));     // shortest decimal of each float
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("embedding", values);
        out.put("model", net.origin());
        out.put("ms", millis(start));
        json(ctx, 200, out);
    }

    private void explain(Context ctx) {
        long start = System.nanoTime();
        PreparedImage image;
        try {
            image = prepare(ctx);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "server is shutting down");
        }
        int cls;
        String layer = ctx.queryParam("layer");
        try {
            String c = ctx.queryParam("class");
            cls = c == null || c.isBlank() ? Explanation.PREDICTED : net.classIndex(c);
            net.explainLayer(layer);
        } catch (BadInputException e) {
            throw new HttpError(400, e.getMessage());
        }
        boolean asJson = wantsJson(ctx);
        if (closing) throw new HttpError(503, "server is shutting down");
        if (!explaining.tryAcquire()) throw new HttpError(503, "server busy: too many explanations waiting; try again shortly");
        Explanation e;
        try {
            int target = cls;
            e = computed(() -> net.explain(image, target, layer));
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "server is shutting down");
        } finally {
            explaining.release();
        }
        if (asJson) {
            Map<String, Object> out = new LinkedHashMap<>(e.toJson());
            out.remove("image");
            out.put("model", net.origin());
            out.put("ms", millis(start));
            json(ctx, 200, out);
        } else {
            ctx.status(200).contentType("image/png").result(e.overlayPng());
        }
    }

    /** {@code format=json}, or no format and an Accept header that asks for JSON rather than an image. */
    private static boolean wantsJson(Context ctx) {
        String format = ctx.queryParam("format");
        if (format != null) {
            return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "json" -> true;
                case "png" -> false;
                default -> throw new HttpError(400, "format must be png or json, got '" + format + "'");
            };
        }
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("image/");
    }

    private void health(Context ctx) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", closing ? "stopping" : "ok");
        out.put("model", net.origin());
        out.put("classes", net.labels().size());
        json(ctx, closing ? 503 : 200, out);
    }

    /** The model as a file for other runtimes (docs/DEPLOY.md), exported on first request and kept. */
    private void exported(Context ctx, ExportOptions options, String extension) throws IOException {
        byte[] bytes;
        synchronized (exports) {
            bytes = exports.get(extension);
            if (bytes == null) {
                Path tmp = Files.createTempFile("litenet-serve-", extension);
                try {
                    net.export(tmp, options);
                    bytes = Files.readAllBytes(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                exports.put(extension, bytes);
            }
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + net.architecture() + extension + "\"");
        ctx.contentType("application/octet-stream").result(bytes);
    }

    private static void page(Context ctx, String file, String type) throws IOException {
        try (InputStream in = InferenceServer.class.getResourceAsStream("page/" + file)) {
            if (in == null) throw new HttpError(404, "page resource missing: " + file);
            ctx.contentType(type).result(in.readAllBytes());
        }
    }

    // ---- steps of a request -----------------------------------------------------------------------------------

    private int top(Context ctx) {
        String s = ctx.queryParam("top");
        int classes = net.labels().size();
        if (s == null) return Math.min(5, classes);
        try {
            int k = Integer.parseInt(s.strip());
            if (k >= 1 && k <= classes) return k;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new HttpError(400, "top must be a whole number from 1 to " + classes + ", got '" + s + "'");
    }

    /**
     * Reads and decodes the upload on this request's thread. The body's bytes are reserved before any is read (its
     * Content-Length, or the largest body when it has none) out of {@link Builder#bodyBytesInFlight}, and held
     * until its image is decoded: past that a 503. At most one decode per core runs at a time; a request waits
     * for one at most {@link #DECODE_WAIT}, then a 503.
     */
    private PreparedImage prepare(Context ctx) throws InterruptedException {
        Upload.checkLength(ctx, maxBodyBytes);
        long length = ctx.req().getContentLengthLong();
        long reserved = length >= 0 ? Math.max(length, 1) : maxBodyBytes;
        if (!reserve(reserved)) {
            throw new HttpError(503, "server busy: " + bodyBytesInFlight + " bytes of request bodies in flight; try again shortly");
        }
        try {
            Upload upload = Upload.read(ctx, maxBodyBytes);
            if (!decoders.tryAcquire(DECODE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HttpError(503, "server busy: every decoder busy for " + DECODE_WAIT.toSeconds() + " s; try again shortly");
            }
            try {
                return computed(() -> net.prepare(upload.name(), upload.bytes()));
            } catch (BadInputException e) {
                throw new HttpError(422, e.getMessage());
            } catch (OutOfMemoryError e) {
                throw new HttpError(503, "not enough memory to decode " + upload.name() + " now; try again shortly");
            } finally {
                decoders.release();
            }
        } catch (OutOfMemoryError e) {
            throw new HttpError(503, "not enough memory to read the request body now; try again shortly");
        } finally {
            bodyBytes.addAndGet(-reserved);
        }
    }

    /** Runs work on the compute threads and waits for it; its exceptions and errors are thrown here as they were. */
    private <T> T computed(java.util.concurrent.Callable<T> work) throws InterruptedException {
        java.util.concurrent.Future<T> f;
        try {
            f = compute.submit(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new HttpError(503, "server is shutting down");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Reserves {@code n} bytes of request bodies in flight, or returns false if that would pass the budget. */
    private boolean reserve(long n) {
        for (long now = bodyBytes.get(); ; now = bodyBytes.get()) {
            if (now + n > bodyBytesInFlight) return false;
            if (bodyBytes.compareAndSet(now, now + n)) return true;
        }
    }

    /** A quarter of the heap for request bodies in flight, at least one body of the default largest size. */
    static long defaultBodyBytesInFlight() {
        return Math.max((long) Builder.DEFAULT_MAX_BODY_MB << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    private <I, O> CompletableFuture<O> submit(Batcher<I, O> batcher, I input) {
        try {
            return batcher.submit(input);
        } catch (Batcher.QueueFullException e) {
            throw new HttpError(503, "server busy: " + e.getMessage() + "; try again shortly");
        } catch (IllegalStateException e) {
            throw new HttpError(503, "server is shutting down");
        }
    }

    private static <O> O await(CompletableFuture<O> result) throws InterruptedException {
        try {
            return result.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new HttpError(503, "no answer from the model within " + ANSWER_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            LOG.warn("inference failed", e.getCause());
            throw new HttpError(500, "inference failed");
        }
    }

    /** The batch function of the predict batcher: one forward pass, then each request's own top-k. */
    private List<List<Prediction>> predictBatch(List<Ask> asks) {
        int k = asks.stream().mapToInt(Ask::k).max().orElse(1);
        List<List<Prediction>> tops = net.predictBatch(asks.stream().map(Ask::image).toList(), k);
        List<List<Prediction>> out = new ArrayList<>(asks.size());
        for (int i = 0; i < asks.size(); i++) out.add(tops.get(i).subList(0, asks.get(i).k()));
        return out;
    }

    /**
     * Forward passes before the first request, so that it does not pay for class loading and JIT: three, or with a
     * warm-up time, passes on the Vector API kernels (no scalar start, whose compiled code the switch would throw
     * away under traffic) until the JIT has compiled nothing for 20 passes and 1 s, at most that long, so that
     * requests meet finished machine code whatever the process drew (docs/BENCHMARKS.md, "Process-to-process spread").
     */
    private void warmUp(Duration max) {
        int s = net.inputSize();
        PreparedImage blank = new PreparedImage("warm-up", s, new float[s * s * 3]);
        Runnable pass = () -> net.predictBatch(List.of(blank), 1);
        if (max.isZero()) {
            for (int i = 0; i < 3; i++) pass.run();
            return;
        }
        Simd.skipScalarStart();
        Warmup.untilCompiled(pass, 3, 20, 1, max.toMillis() / 1e3);
    }

    // ---- answers ----------------------------------------------------------------------------------------------

    private static double millis(long startNanos) { return Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0; }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    private static void error(Context ctx, int status, String message) {
        if (status == 503) ctx.header("Retry-After", "1");
        json(ctx, status, Map.of("error", message == null ? "unknown error" : message));
    }

    /** Options of an {@link InferenceServer}, with the defaults of {@code litenet serve}. */
    public static final class Builder {
        /** The defaults, which {@code litenet serve} shows as its own. */
        public static final String DEFAULT_HOST = "127.0.0.1";
        /** The defaults, which {@code litenet serve} shows as its own. */
        public static final int DEFAULT_PORT = 8080, DEFAULT_MAX_BATCH = 32, DEFAULT_QUEUE = 256, DEFAULT_MAX_DELAY_MS = 5, DEFAULT_MAX_BODY_MB = 20,
                DEFAULT_IDLE_TIMEOUT_S = 10;

        private final ImageClassifier net;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT, maxBatch = DEFAULT_MAX_BATCH, queue = DEFAULT_QUEUE;
        private Duration maxDelay = Duration.ofMillis(DEFAULT_MAX_DELAY_MS);
        private long maxBodyBytes = (long) DEFAULT_MAX_BODY_MB << 20;
        private Duration warmUp = Duration.ZERO;
        private long bodyBytesInFlight;
        private Duration idleTimeout = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_S);

        private Builder(ImageClassifier net) { this.net = Objects.requireNonNull(net, "net"); }

        /**
         * The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
         *
         * @param host the value
         * @return this builder
         */
        public Builder host(String host) { this.host = host; return this; }

        /**
         * The port (default 8080; 0 picks a free one).
         *
         * @param port the value
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new BadInputException("port must be 0 to 65535, got " + port);
            this.port = port;
            return this;
        }

        /**
         * The most images per forward pass (default 32; 1 turns batching off).
         *
         * @param maxBatch the value
         * @return this builder
         */
        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1 || maxBatch > 1024) throw new BadInputException("max batch must be 1 to 1024, got " + maxBatch);
            this.maxBatch = maxBatch;
            return this;
        }

        /**
         * How long the first request of a batch waits for more (default 5 ms).
         *
         * @param maxDelay the value
         * @return this builder
         */
        public Builder maxDelay(Duration maxDelay) {
            if (maxDelay.isNegative() || maxDelay.toMillis() > 10_000) throw new BadInputException("max delay must be 0 to 10000 ms, got " + maxDelay.toMillis());
            this.maxDelay = maxDelay;
            return this;
        }

        /**
         * The most requests waiting for the model before 503 (default 256).
         *
         * @param queue the value
         * @return this builder
         */
        public Builder queue(int queue) {
            if (queue < 1 || queue > 1_000_000) throw new BadInputException("queue must be 1 to 1000000, got " + queue);
            this.queue = queue;
            return this;
        }

        /**
         * The largest request body (default 20 MB).
         *
         * @param maxBodyBytes the value
         * @return this builder
         */
        public Builder maxBodyBytes(long maxBodyBytes) {
            if (maxBodyBytes < 1 || maxBodyBytes > (1L << 30)) throw new BadInputException("max body must be 1 byte to 1 GB, got " + maxBodyBytes);
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * How long the model may warm up before the server listens: passes on the Vector API kernels until the JIT
         * has compiled nothing for 20 passes and 1 s, at most this long (default 0: three passes, and the kernels
         * start scalar, switching under traffic; {@code litenet serve} gives 30 s).
         *
         * @param warmUp the value, 0 to 10 minutes
         * @return this builder
         */
        public Builder warmUp(Duration warmUp) {
            if (warmUp.isNegative() || warmUp.toSeconds() > 600) throw new BadInputException("warm-up must be 0 to 600 s, got " + warmUp.toSeconds() + " s");
            this.warmUp = warmUp;
            return this;
        }

        /**
         * Bytes of request bodies the server holds at once, read or being decoded (default a quarter of the heap);
         * a request whose body would pass it gets a 503 with {@code Retry-After} before any of its body is read.
         *
         * @param bytes the value, at least the largest body
         * @return this builder
         */
        public Builder bodyBytesInFlight(long bytes) {
            if (bytes < 1 || bytes > (1L << 40)) throw new BadInputException("body bytes in flight must be 1 byte to 1 TB, got " + bytes);
            this.bodyBytesInFlight = bytes;
            return this;
        }

        /**
         * How long a connection may send nothing, in its headers or its body, before it is closed (default 10 s).
         *
         * @param timeout the value, 100 ms to 10 minutes
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout.toMillis() < 100 || timeout.toMillis() > 600_000) throw new BadInputException("idle timeout must be 100 ms to 600 s, got " + timeout.toMillis() + " ms");
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Warms the model up and starts listening.
         *
         * @return the running server
         * @throws BadInputException if the address cannot be listened on
         */
        public InferenceServer start() { return new InferenceServer(this); }
    }
}
