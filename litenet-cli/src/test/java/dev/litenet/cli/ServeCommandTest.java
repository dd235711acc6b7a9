package dev.litenet.cli;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code litenet serve} as its own process: it answers a photo, and SIGTERM lets the request in flight finish
 * and ends the process with exit code 0.
 */
class ServeCommandTest {
    static final Pattern LISTENING = Pattern.compile("on http://127\\.0\\.0\\.1:(\\d+)/");

    @Test void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process server = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--weights", Shared.path(PredictCommandTest.WEIGHTS).toString(), "--port", "0",
                "--max-delay-ms", "1500", "--threads", "2")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("first line of litenet serve").isNotNull();
            Matcher m = LISTENING.matcher(line);
            assertThat(m.find()).as(line).isTrue();
            URI base = URI.create("http://127.0.0.1:" + m.group(1) + "/");

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest predict = HttpRequest.newBuilder(base.resolve("v1/predict?top=1")).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(Shared.path("data/cats-dogs/val/cat/cat.100.jpg")))).build();
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(predict, HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(), HttpResponse.BodyHandlers.ofString()).body()
                    .contains("litenet_queue_depth 1")) {
                assertThat(System.nanoTime()).as("the request reached the batcher").isLessThan(deadline);
                Thread.sleep(20);
            }
            server.toHandle().destroy();                                 // SIGTERM (streams stay open), while the request waits for batch-mates
            HttpResponse<String> answer = inFlight.get(60, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"index\":281");
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
            assertThat(out.lines().toList()).contains("litenet: stopped");
        } finally {
            server.destroyForcibly();
        }
    }

    /** An address that cannot be listened on (not this machine's, or not a host) is one line, exit code 2. */
    @Test void aHostThatCannotBeBoundIsOneLine() {
        for (String host : List.of("203.0.113.7", "no-such-host.invalid")) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "serve", "--weights",
                    Shared.path(PredictCommandTest.WEIGHTS).toString(), "--host", host, "--port", "0");
            assertThat(code).as(err.toString()).isEqualTo(Main.BAD_INPUT);
            assertThat(err.toString().strip().lines()).as(err.toString()).hasSize(1);
            assertThat(err.toString()).contains("cannot listen on " + host).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test void badOptionsAreBadInput() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "serve", "--weights",
                Shared.path(PredictCommandTest.WEIGHTS).toString(), "--max-batch", "0");
        assertThat(code).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("max batch");
        assertThat(List.of(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "serve"))).containsExactly(Main.BAD_INPUT);
    }
}
