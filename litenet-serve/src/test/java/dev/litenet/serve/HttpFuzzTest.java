package dev.litenet.serve;

import dev.litenet.BadInputException;
import dev.litenet.ImageClassifier;
import dev.litenet.Mutations;
import dev.litenet.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the server's request handling (docs/SECURITY.md): {@code multipart}, the form parser on its own
 * (a 400 with a one-line message, or the file field); {@code http-request}, whole requests (request line, headers,
 * multipart or raw body) sent to a running server on loopback, whose answer must be a client error (below 500, or
 * 501 and 505 for a method or HTTP version that is not HTTP/1.1's) with a
 * {@code {"error": ...}} JSON body without Java names, or a closed connection, and which must still answer
 * {@code /healthz} after every mutant. Seeds are made here: forms and requests carrying a small generated JPEG.
 */
class HttpFuzzTest {
    static final String BOUNDARY = "fuzzBoundary42";
    static InferenceServer server;
    static Path dir;
    static byte[] jpeg;

    @BeforeAll static void start() throws IOException {
        dir = Files.createTempDirectory("fuzz-http");
        BufferedImage picture = new BufferedImage(24, 16, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 24; x++) picture.setRGB(x, y, x * 10 << 16 | y * 15 << 8 | (x ^ y) * 9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(picture, "jpeg", out);
        jpeg = out.toByteArray();
        server = InferenceServer.builder(ImageClassifier.pretrained(Shared.path(InferenceServerTest.WEIGHTS))).port(0)
                .maxBodyBytes(256 << 10).idleTimeout(Duration.ofMillis(500)).start();
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    static List<byte[]> forms() {
        return List.of(Http.multipart(BOUNDARY, "file", "cat.jpg", jpeg),
                concat(ascii("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"), Http.multipart(BOUNDARY, "file", "a \\\"b\\\".png", jpeg)),
                ascii("preamble\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--" + BOUNDARY + "--\r\n"));
    }

    @Test void multipart() throws IOException {
        Path file = dir.resolve("form");
        Mutations.fuzz("multipart", forms(), file, () -> {
            try {
                return Multipart.field("multipart/form-data; boundary=" + BOUNDARY, Files.readAllBytes(file), "file");
            } catch (HttpError e) {
                assertThat(e.status).isEqualTo(400);
                throw new BadInputException(e.getMessage());
            }
        });
    }

    static byte[] request(String target, String type, byte[] body) {
        return concat(ascii("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n"), body);
    }

    @Test void httpRequest() throws IOException {
        List<byte[]> seeds = List.of(request("/v1/predict?top=3", "multipart/form-data; boundary=" + BOUNDARY, forms().get(0)),
                request("/v1/embed", "multipart/form-data; boundary=\"" + BOUNDARY + "\"", forms().get(1)),
                request("/v1/predict", "image/jpeg", jpeg),
                ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nConnection: close\r\n\r\n"));
        Path file = dir.resolve("request");
        Mutations.fuzz("http-request", seeds, file, () -> {
            String answer = send(Files.readAllBytes(file));
            if (answer.startsWith("HTTP/1.1 ")) {
                int status = Integer.parseInt(answer.substring(9, 12));
                int head = answer.indexOf("\r\n\r\n");
                String body = head < 0 ? "" : answer.substring(head + 4);
                assertThat(status).as(answer).matches(c -> c < 500 || c == 501 || c == 505, "a client error (501, 505: a method or HTTP version Jetty does not take)");
                assertThat(body).as(answer).doesNotContain("Exception").doesNotContain("java.").doesNotContain("<html");
                if (status >= 400 && !body.isBlank()) assertThat(body).as(answer).contains("{\"error\":");
            }
            assertThat(send(seeds.get(3))).as("healthz after the mutant").startsWith("HTTP/1.1 200");
            return answer;
        });
    }

    /** Sends a request, half-closes, and reads the answer until the server closes (or 10 s pass). */
    static String send(byte[] request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.shutdownOutput();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what arrived is the answer
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
