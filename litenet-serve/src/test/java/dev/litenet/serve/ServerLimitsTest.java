package dev.litenet.serve;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a hostile client cannot do to the server: every error, Jetty's and Javalin's own included, is
 * {@code {"error": ...}} JSON without Java names; forms are budgeted; bodies in flight are bounded (503 with
 * Retry-After); clients that stop sending are cut off; {@code /healthz} keeps answering.
 */
class ServerLimitsTest {
    static final long MAX_BODY = 1L << 20;
    static ImageClassifier net;
    static InferenceServer server;
    static Http http;
    static byte[] cat;

    @BeforeAll static void start() throws IOException {
        net = ImageClassifier.pretrained(Shared.path(InferenceServerTest.WEIGHTS));
        server = InferenceServer.builder(net).port(0).maxBodyBytes(MAX_BODY).bodyBytesInFlight(3 * MAX_BODY)
                .idleTimeout(Duration.ofSeconds(2)).start();
        http = Http.of(server.port());
        cat = Files.readAllBytes(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"));
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static void jsonError(int status, int expected, String body, String... words) {
        assertThat(status).as(body).isEqualTo(expected);
        assertThat(body).as("status %d", status).startsWith("{\"error\":").doesNotContain("Exception").doesNotContain("java.")
                .doesNotContain("org.eclipse").doesNotContain("<html");
        for (String w : words) assertThat(body).contains(w);
    }

    /** Sends raw bytes on a new connection and reads the answer: the status and the body. */
    static String[] raw(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return answer(s.getInputStream());
        }
    }

    static String[] answer(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            all.write(buf, 0, n);
            String text = all.toString(StandardCharsets.UTF_8);
            int head = text.indexOf("\r\n\r\n");
            if (head > 0 && text.substring(head + 4).strip().endsWith("}")) break;
        }
        String text = all.toString(StandardCharsets.UTF_8);
        int head = text.indexOf("\r\n\r\n");
        return new String[]{text.substring(9, 12), head < 0 ? "" : text.substring(head + 4).strip(), head < 0 ? text : text.substring(0, head)};
    }

    @Test void errorsOfJettyAndJavalinAreJson() throws Exception {
        Http.Answer a = http.get("no/such/page");
        jsonError(a.status(), 404, a.body(), "no such endpoint");
        a = http.get("v1/predict");
        jsonError(a.status(), 405, a.body(), "not allowed");
        String[] r = raw(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        jsonError(Integer.parseInt(r[0]), 431, r[1]);
        for (String path : List.of("/no/such/page", "/v1/predict")) {                 // a browser's Accept gets JSON too
            r = raw(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/html,application/xhtml+xml\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            jsonError(Integer.parseInt(r[0]), path.equals("/v1/predict") ? 405 : 404, r[1]);
        }
        r = raw(("GET /healthz HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        jsonError(Integer.parseInt(r[0]), 431, r[1]);
        r = raw("GARBAGE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        jsonError(Integer.parseInt(r[0]), 400, r[1]);
        r = raw(("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 99999999999\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        jsonError(Integer.parseInt(r[0]), 413, r[1]);
    }

    static byte[] form(String boundary, String... parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) s.append("--").append(boundary).append("\r\n").append(p).append("\r\n");
        return s.append("--").append(boundary).append("--\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] withFile(String boundary, String before, String fileName, byte[] image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\n" + before).getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(Http.multipart(boundary, "file", fileName, image));
        return out.toByteArray();
    }

    @Test void hostileFormsAre400sAndTheirImagesStillRead() throws Exception {
        String b = "xYz", type = "multipart/form-data; boundary=" + b;
        String[] many = new String[5000];
        for (int i = 0; i < many.length; i++) many[i] = "Content-Disposition: form-data; name=\"f" + i + "\"\r\n\r\nv";
        Http.Answer a = http.postRaw("v1/predict", type, form(b, many));
        jsonError(a.status(), 400, a.body(), "more than 100 parts");
        a = http.postRaw("v1/predict", type, form(b, "Content-Disposition: form-data; name=\"" + "n".repeat(100_000) + "\"\r\n\r\nv"));
        jsonError(a.status(), 400, a.body(), "over 8192 bytes");
        a = http.postRaw("v1/predict", type, form(b, "Content-Disposition: form-data; name=\"note\"\r\n\r\n" + "t".repeat(900_000)));
        jsonError(a.status(), 400, a.body(), "no 'file' field", "note");
        a = http.postRaw("v1/predict", "multipart/form-data; boundary=other", Http.multipart(b, "file", "cat.jpg", cat));
        jsonError(a.status(), 400, a.body(), "boundary");
        a = http.postRaw("v1/predict", "multipart/form-data", Http.multipart(b, "file", "cat.jpg", cat));
        jsonError(a.status(), 400, a.body(), "boundary");
        byte[] whole = Http.multipart(b, "file", "cat.jpg", cat);
        a = http.postRaw("v1/predict", type, java.util.Arrays.copyOf(whole, whole.length / 2));
        jsonError(a.status(), 400, a.body(), "cut short");
        // a big text field before the file, and control characters in the file name: the image is still read
        a = http.postRaw("v1/predict", type, withFile(b, "Content-Disposition: form-data; name=\"note\"\r\n\r\n" + "t".repeat(500_000) + "\r\n", "cat\u0000\u001b[31m\r.jpg", cat));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        a = http.postRaw("v1/predict", type, Http.multipart(b, "file", "../\u202e\u0007gpj.txt", new byte[]{1, 2, 3}));
        jsonError(a.status(), 422, a.body(), "\\u202e", "\\u0007");
        assertThat(a.body()).doesNotContain("\u202e").doesNotContain("../");
    }

    @Test void aBodyShorterThanItsContentLengthIsCutOff() throws Exception {
        long start = System.nanoTime();
        String[] r;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write(("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 5000\r\n\r\n"
                    + "x".repeat(100)).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            r = answer(s.getInputStream());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        if (!r[0].isBlank() && r[1].startsWith("{")) jsonError(Integer.parseInt(r[0]), 400, r[1], "stopped sending");
        assertThat(r[1]).doesNotContain("Timeout").doesNotContain("Exception");
    }

    /** A body sent a few bytes a second is cut off with a 408 in JSON (Jetty's minimum data rate), not a 500. */
    @Test void aBodyTooSlowIsA408() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String[] r = null;
            for (int i = 0; i < 100 && r == null; i++) {                 // 10 bytes every 300 ms: 33 bytes a second
                try {
                    out.write("0123456789".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(300);
                if (s.getInputStream().available() > 0) r = answer(s.getInputStream());
            }
            if (r == null) r = answer(s.getInputStream());
            if (!r[0].isBlank()) jsonError(Integer.parseInt(r[0]), 408, r[1], "too slow");
        }
    }

    @Test void bodiesInFlightAreBoundedAndHealthzKeepsAnswering() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {                       // three bodies of the largest size, never sent: the whole budget
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: image/jpeg\r\nContent-Length: " + MAX_BODY + "\r\n\r\n\u00ff")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                stalled.add(s);
            }
            for (int i = 0; i < 50; i++) {                      // and slow clients that never finish their headers
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("POST /v1/predict HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
                idle.add(s);
            }
            Http.Answer busy = http.postRaw("v1/predict", "image/jpeg", cat);
            for (int tries = 0; busy.status() != 503 && tries < 20; tries++) {   // the stalled headers may arrive late on a loaded machine
                busy = http.postRaw("v1/predict", "image/jpeg", cat);
            }
            jsonError(busy.status(), 503, busy.body(), "in flight");
            assertThat(busy.response().headers().firstValue("Retry-After")).hasValue("1");
            long t = System.nanoTime();
            Http.Answer health = http.get("healthz");
            assertThat(health.status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket s : stalled) s.close();
            for (Socket s : idle) s.close();
        }
        Http.Answer ok = http.postRaw("v1/predict", "image/jpeg", cat);
        for (int tries = 0; ok.status() == 503 && tries < 50; tries++) {
            Thread.sleep(100);
            ok = http.postRaw("v1/predict", "image/jpeg", cat);
        }
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    @Test void anAddressThatCannotBeListenedOnIsOneLine() {
        assertThatThrownBy(() -> InferenceServer.builder(net).host("203.0.113.7").port(0).start()).isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("cannot listen on 203.0.113.7:0").hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> InferenceServer.builder(net).host("127.0.0.1").port(server.port()).start()).isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot listen on").hasMessageNotContaining("Exception");
    }
}
