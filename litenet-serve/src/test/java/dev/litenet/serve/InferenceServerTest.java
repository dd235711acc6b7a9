package dev.litenet.serve;

import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server on loopback with Google's ImageNet weights and a real HTTP client: both body kinds, every error,
 * concurrent clients, overload, graceful stop.
 */
class InferenceServerTest {
    static final String WEIGHTS = "weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite";
    static final long MAX_BODY = 2L << 20;

    static ImageClassifier net;
    static InferenceServer server;
    static Http http;
    static byte[] cat;

    @BeforeAll static void start() throws IOException {
        net = ImageClassifier.pretrained(Shared.path(WEIGHTS));
        server = InferenceServer.builder(net).port(0).maxBodyBytes(MAX_BODY).start();
        http = Http.of(server.port());
        cat = Files.readAllBytes(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> first(Http.Answer a) {
        return ((List<Map<String, Object>>) a.json().get("top")).getFirst();
    }

    static byte[] bad(String name) throws IOException { return Files.readAllBytes(Shared.path("data/bad-images/" + name)); }

    // ---- explain ----------------------------------------------------------------------------------------------

    @Test void explainAnswersTheOverlayPng() throws Exception {
        java.net.http.HttpResponse<byte[]> r = http.client().send(HttpRequest.newBuilder(http.base().resolve("v1/explain"))
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(cat)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/png"));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.body()));
        assertThat(png.getWidth()).isEqualTo(448);
    }

    @Test @SuppressWarnings("unchecked")
    void explainAnswersJsonWithTheGrid() throws Exception {
        Http.Answer a = http.postForm("v1/explain?class=golden%20retriever&format=json", "file", "cat.100.jpg", cat);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat((Map<String, Object>) a.json().get("class")).containsEntry("label", "golden retriever");
        assertThat((Map<String, Object>) a.json().get("predicted")).containsEntry("index", 281L);
        Map<String, Object> grid = (Map<String, Object>) a.json().get("heatmap");
        assertThat(grid).containsEntry("height", 7L).containsEntry("width", 7L);
        assertThat(a.json()).containsEntry("layer", "features.18").containsKeys("model", "ms");
        Http.Answer viaAccept = http.send(HttpRequest.newBuilder(http.base().resolve("v1/explain?layer=features.13"))
                .header("Content-Type", "image/jpeg").header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(cat)).build());
        assertThat(viaAccept.status()).as(viaAccept.body()).isEqualTo(200);
        assertThat((Map<String, Object>) viaAccept.json().get("heatmap")).containsEntry("height", 14L);
    }

    @Test void explainErrorsAreJson() throws Exception {
        Http.Answer unknownClass = http.postRaw("v1/explain?class=unicorn", "image/jpeg", cat);
        assertThat(unknownClass.status()).isEqualTo(400);
        assertThat((String) unknownClass.json().get("error")).startsWith("no class 'unicorn' in this model");
        Http.Answer unknownLayer = http.postRaw("v1/explain?layer=layer4", "image/jpeg", cat);
        assertThat(unknownLayer.status()).isEqualTo(400);
        assertThat((String) unknownLayer.json().get("error")).startsWith("no layer 'layer4' in mobilenet_v2");
        Http.Answer badFormat = http.postRaw("v1/explain?format=gif", "image/jpeg", cat);
        assertThat(badFormat.status()).isEqualTo(400);
        Http.Answer unreadable = http.postRaw("v1/explain", "image/jpeg", bad("truncated.jpg"));
        assertThat(unreadable.status()).isEqualTo(422);
        assertThat(unreadable.json()).containsKey("error");
        assertThat(http.postRaw("v1/explain", "image/jpeg", new byte[0]).status()).isEqualTo(400);
    }

    // ---- the two body kinds -----------------------------------------------------------------------------------

    @Test @SuppressWarnings("unchecked")
    void rawJpegBody() throws Exception {
        Http.Answer a = http.postRaw("v1/predict?top=3", "image/jpeg", cat);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.response().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat((List<Object>) a.json().get("top")).hasSize(3);
        assertThat(first(a)).containsEntry("index", 281L).containsEntry("label", "tabby, tabby cat").containsKey("prob");
        assertThat(a.json()).containsEntry("model", net.origin()).containsKey("ms");
    }

    /** The served model as files for other runtimes: the .tflite reads back to the same answers; the page links them. */
    @Test void theModelIsOfferedAsTfliteAndOnnx() throws Exception {
        java.net.http.HttpResponse<byte[]> r = http.client().send(java.net.http.HttpRequest.newBuilder(http.base().resolve("v1/model.tflite")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("mobilenet_v2.tflite");
        java.nio.file.Path file = Files.createTempFile("served-", ".tflite");
        try {
            Files.write(file, r.body());
            ImageClassifier back = ImageClassifier.pretrained(file);
            assertThat(back.labels()).isEqualTo(net.labels());
            java.nio.file.Path photo = Shared.path("data/cats-dogs/val/cat/cat.100.jpg");
            assertThat(back.predict(photo, 1).getFirst().index()).isEqualTo(net.predict(photo, 1).getFirst().index());
        } finally {
            Files.delete(file);
        }
        Http.Answer onnx = http.get("v1/model.onnx");
        assertThat(onnx.status()).isEqualTo(200);
        assertThat(http.get("").body()).contains("v1/model.tflite").contains("classify.html?model=v1/model.tflite");
        assertThat(http.get("classify.html").body()).contains("loadAndCompile");
    }

    @Test void multipartFileField() throws Exception {
        Http.Answer a = http.postForm("v1/predict", "file", "cat.100.jpg", cat);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(first(a)).containsEntry("index", 281L);
        assertThat((List<?>) a.json().get("top")).hasSize(5);                    // the default top
    }

    @Test void embedGives1280Features() throws Exception {
        Http.Answer a = http.postForm("v1/embed", "file", "cat.100.jpg", cat);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        List<?> e = (List<?>) a.json().get("embedding");
        assertThat(e).hasSize(1280);
        float[] expected = net.embed(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
        for (int i = 0; i < 1280; i += 97) assertThat(((Number) e.get(i)).floatValue()).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test void pageHealthAndMetrics() throws Exception {
        assertThat(http.get("").body()).contains("<title>LiteNet</title>").contains("app.js");
        assertThat(http.get("app.js").body()).contains("v1/predict");
        assertThat(http.get("style.css").status()).isEqualTo(200);
        Http.Answer health = http.get("healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).containsEntry("status", "ok");
        http.postRaw("v1/predict", "image/jpeg", cat);
        String metrics = http.get("metrics").body();
        assertThat(metrics).contains("litenet_requests_total{route=\"/v1/predict\",status=\"200\"}",
                "litenet_request_duration_seconds_bucket{le=\"+Inf\"}", "litenet_batch_size_count", "litenet_queue_depth 0");
        assertThat(http.get("nowhere").json()).containsKey("error");
    }

    // ---- every kind of bad request ----------------------------------------------------------------------------

    @Test void brokenImagesAre422AndNameTheProblem() throws Exception {
        for (String name : List.of("text-not-image.jpg", "truncated.jpg", "truncated-header-only.jpg")) {
            Http.Answer raw = http.postRaw("v1/predict", "image/jpeg", bad(name));
            assertThat(raw.status()).as(name + ": " + raw.body()).isEqualTo(422);
            Http.Answer form = http.postForm("v1/predict", "file", name, bad(name));
            assertThat(form.status()).isEqualTo(422);
            assertThat((String) form.json().get("error")).contains(name);
        }
        assertThat((String) http.postRaw("v1/predict", "image/jpeg", bad("truncated.jpg")).json().get("error")).contains("truncated JPEG");
        assertThat(http.postRaw("v1/predict", "image/png", bad("rgba.png")).status()).isEqualTo(200);     // awkward, not broken
    }

    @Test void decompressionBombIs422() throws Exception {
        byte[] bomb = pngBomb(30_000, 30_000);                       // 900 M pixels in some 100 KB
        assertThat(bomb.length).isLessThan((int) MAX_BODY);
        Http.Answer a = http.postRaw("v1/predict", "image/png", bomb);
        assertThat(a.status()).as(a.body()).isEqualTo(422);
        assertThat((String) a.json().get("error")).contains("30000x30000");
        assertThat(http.postRaw("v1/predict", "image/jpeg", cat).status()).isEqualTo(200);
    }

    @Test void notAnImageTypeIs415() throws Exception {
        Http.Answer a = http.postRaw("v1/predict", "application/json", "{\"url\":\"cat.jpg\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).isEqualTo(415);
        assertThat((String) a.json().get("error")).contains("application/json");
    }

    @Test void missingBodyOrWrongFieldIs400() throws Exception {
        Http.Answer empty = http.postRaw("v1/predict", "image/jpeg", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat((String) empty.json().get("error")).contains("empty");
        assertThat(http.postRaw("v1/predict", null, new byte[0]).status()).isEqualTo(400);
        Http.Answer wrongField = http.postForm("v1/predict", "photo", "cat.jpg", cat);
        assertThat(wrongField.status()).isEqualTo(400);
        assertThat((String) wrongField.json().get("error")).contains("'file'").contains("photo");
        assertThat(http.postForm("v1/predict", "file", "empty.jpg", new byte[0]).status()).isEqualTo(400);
        Http.Answer badTop = http.postRaw("v1/predict?top=0", "image/jpeg", cat);
        assertThat(badTop.status()).isEqualTo(400);
        assertThat((String) badTop.json().get("error")).contains("top");
    }

    @Test void bodyOverTheLimitIs413BeforeItIsRead() throws Exception {
        // announced as 500 MB, only 64 KB sent: the answer comes without waiting for the rest
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nContent-Length: "
                    + (500L << 20) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 << 10]);
            out.flush();
            String answer = readAnswer(s.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\"").contains("too large");
        }
        // chunked, length unknown: refused once the limit is passed
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[256 << 10];
            try {
                for (int i = 0; i < 9; i++) {                               // 2.25 MB, over the 2 MB limit
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (java.net.SocketException refusedMidUpload) {
                // the server answered 413 and closed while the rest was still being sent: the answer is read below
            }
            String answer;
            try {
                answer = readAnswer(s.getInputStream());
            } catch (java.net.SocketException reset) {
                answer = "HTTP/1.1 413 (connection reset after the refusal)";   // the reset dropped the answer it had sent
            }
            assertThat(answer).startsWith("HTTP/1.1 413");
        }
        // a multipart form announced too large, with the client waiting for 100-continue: no body sent at all
        HttpRequest r = HttpRequest.newBuilder(http.base().resolve("v1/predict")).expectContinue(true)
                .header("Content-Type", "multipart/form-data; boundary=x")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[(int) MAX_BODY + 1])).build();
        assertThat(http.send(r).status()).isEqualTo(413);
        assertThat(http.postRaw("v1/predict", "image/jpeg", cat).status()).isEqualTo(200);
    }

    // ---- many clients -----------------------------------------------------------------------------------------

    @Test void concurrentClientsShareBatchesAndABadImageFailsOnlyItself() throws Exception {
        byte[] truncated = bad("truncated.jpg");
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            int client = c;
            calls.add(() -> {
                int ok = 0;
                for (int i = 0; i < 3; i++) {
                    boolean sendBad = client % 4 == 0 && i == 1;
                    Http.Answer a = client % 2 == 0 ? http.postRaw("v1/predict", "image/jpeg", sendBad ? truncated : cat)
                            : http.postForm("v1/predict", "file", "cat.jpg", cat);
                    if (sendBad) {
                        assertThat(a.status()).isEqualTo(422);
                    } else {
                        assertThat(a.status()).as(a.body()).isEqualTo(200);
                        assertThat(first(a)).containsEntry("index", 281L);
                        ok++;
                    }
                }
                return ok;
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            int ok = 0;
            for (Future<Integer> f : pool.invokeAll(calls)) ok += f.get();
            assertThat(ok).isEqualTo(16 * 3 - 4);
        }
        String metrics = http.get("metrics").body();
        long singles = metricValue(metrics, "litenet_batch_size_bucket{le=\"1\"}"), batches = metricValue(metrics, "litenet_batch_size_count");
        assertThat(singles).as("some batches held more than one image:\n" + metrics).isLessThan(batches);
    }

    @Test void overloadGets503WithRetryAfterNotTimeouts() throws Exception {
        try (InferenceServer tiny = InferenceServer.builder(net).port(0).maxBatch(1).maxDelay(Duration.ZERO).queue(1).start();
             ExecutorService pool = Executors.newFixedThreadPool(48)) {
            Http client = Http.of(tiny.port());
            List<Callable<Http.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 48; i++) calls.add(() -> client.postRaw("v1/predict", "image/jpeg", cat));
            int ok = 0, busy = 0;
            for (Future<Http.Answer> f : pool.invokeAll(calls)) {
                Http.Answer a = f.get();
                if (a.status() == 200) {
                    ok++;
                } else {
                    assertThat(a.status()).as(a.body()).isEqualTo(503);
                    assertThat(a.response().headers().firstValue("Retry-After")).hasValue("1");
                    assertThat((String) a.json().get("error")).contains("busy");
                    busy++;
                }
            }
            assertThat(busy).isPositive();
            assertThat(ok).isPositive();
            assertThat(client.postRaw("v1/predict", "image/jpeg", cat).status()).isEqualTo(200);   // still serving
            assertThat(client.get("metrics").body()).contains("status=\"503\"");
        }
    }

    @Test void closeFinishesRequestsInFlightAndRefusesNewOnes() throws Exception {
        InferenceServer slow = InferenceServer.builder(net).port(0).maxDelay(Duration.ofMillis(1500)).start();
        Http client = Http.of(slow.port());
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Http.Answer>> inFlight = new ArrayList<>();
            for (int i = 0; i < 4; i++) inFlight.add(pool.submit(() -> client.postRaw("v1/predict", "image/jpeg", cat)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!client.get("metrics").body().contains("litenet_queue_depth 4")) {
                assertThat(System.nanoTime()).as("four requests waiting").isLessThan(deadline);
                Thread.sleep(20);
            }
            long start = System.nanoTime();
            slow.close();                                                // while all four wait for batch-mates
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            for (Future<Http.Answer> f : inFlight) {
                Http.Answer a = f.get();
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                assertThat(first(a)).containsEntry("index", 281L);
            }
        }
        assertThatThrownBy(() -> client.postRaw("v1/predict", "image/jpeg", cat)).isInstanceOf(ConnectException.class);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    static long metricValue(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ")).mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).strip()))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in\n" + metrics));
    }

    /** The status line, headers and as much body as arrives before the server closes or stops sending. */
    static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
                String s = got.toString(StandardCharsets.UTF_8);
                if (s.contains("\r\n\r\n") && s.contains("}")) break;
            }
        } catch (java.net.SocketException e) {
            // the server may reset the connection after its answer, since the body was never read
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** A 1-bit grayscale PNG of w×h zero pixels: tiny on the wire, w×h pixels decoded. */
    static byte[] pngBomb(int w, int h) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + (w + 7) / 8];                        // filter byte 0, then the bits
            for (int y = 0; y < h; y++) z.write(row);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[]{1, 0, 0, 0, 0});                                   // bit depth 1, grayscale, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(png);
        d.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
