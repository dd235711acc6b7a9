package dev.litenet.cli;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.serve.InferenceServer;
import dev.litenet.serve.InferenceServer.Builder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code litenet serve}: HTTP inference with dynamic batching (litenet-serve); SIGTERM or Ctrl-C stops it gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        header = "Serve a classifier over HTTP, with dynamic batching and a web page.",
        description = {"POST /v1/predict?top=K (an image as the body, or the 'file' field of a form) answers the top classes as JSON; "
                + "POST /v1/embed the 1280-d features; GET / is a page to drop a photo on; GET /healthz, GET /metrics (Prometheus).",
                "Requests arriving within --max-delay-ms run as one batch of up to --max-batch. SIGTERM or Ctrl-C stops "
                + "accepting, answers what is in flight, and exits 0. See docs/SERVE.md."})
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--port", defaultValue = "" + Builder.DEFAULT_PORT, description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = Builder.DEFAULT_HOST, description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Mixin ThreadsOption threads;

    @Option(names = "--max-batch", defaultValue = "" + Builder.DEFAULT_MAX_BATCH, paramLabel = "<N>", description = "Most images per forward pass; 1 turns batching off (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "" + Builder.DEFAULT_MAX_DELAY_MS, paramLabel = "<MS>", description = "How long a request waits for batch-mates (default: ${DEFAULT-VALUE}).")
    int maxDelayMs;

    @Option(names = "--queue", defaultValue = "" + Builder.DEFAULT_QUEUE, paramLabel = "<N>", description = "Most requests waiting for the model; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body-mb", defaultValue = "" + Builder.DEFAULT_MAX_BODY_MB, paramLabel = "<MB>", description = "Largest request body; larger get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--warmup-seconds", defaultValue = "30", paramLabel = "<S>",
            description = "Before listening, warm the model up until the JIT is quiet, at most this long; 0: three passes (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Override public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        threads.apply();
        CountDownLatch stop = new CountDownLatch(1);                     // set up first: a signal during start-up counts too
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), s -> stop.countDown());
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal (-Xrs): it then ends the process without the graceful stop
            }
        }
        ImageClassifier net = model.classifier(err);
        try (InferenceServer server = start(configure(InferenceServer.builder(net)))) {
            out.printf("litenet: serving %s on http://%s:%d/ (POST /v1/predict, POST /v1/embed, GET /healthz, GET /metrics); SIGTERM or Ctrl-C stops%n",
                    net.origin(), host, server.port());
            out.flush();
            stop.await();
            out.println("litenet: stopping: answering the requests in flight");
            out.flush();
        }
        out.println("litenet: stopped");
        return Main.OK;
    }

    private InferenceServer.Builder configure(InferenceServer.Builder b) {
        return b.host(host).port(port).maxBatch(maxBatch).maxDelay(Duration.ofMillis(maxDelayMs)).queue(queue).maxBodyBytes((long) maxBodyMb << 20)
                .warmUp(Duration.ofSeconds(Args.range("--warmup-seconds", warmupSeconds, 0, 600)));
    }

    private InferenceServer start(InferenceServer.Builder b) {
        try {
            return b.start();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) throw new BadInputException("cannot listen on " + host + ":" + port + ": " + t.getMessage());
            }
            throw e;
        }
    }
}
