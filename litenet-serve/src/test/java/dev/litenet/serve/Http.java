package dev.litenet.serve;

import dev.litenet.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A loopback client for the tests: raw and multipart posts, JSON answers. */
record Http(HttpClient client, URI base) {
    static Http of(int port) {
        return new Http(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), URI.create("http://127.0.0.1:" + port + "/"));
    }

    /** An answer: the status, the body as text, and the body parsed when it is JSON. */
    record Answer(int status, String body, HttpResponse<String> response) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() { return (Map<String, Object>) Json.parse(body); }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET().build());
    }

    Answer postRaw(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) r.header("Content-Type", contentType);
        return send(r.build());
    }

    Answer postForm(String path, String field, String fileName, byte[] content) throws IOException, InterruptedException {
        String boundary = "litenet-test-boundary-7d2f";
        return postRaw(path, "multipart/form-data; boundary=" + boundary, multipart(boundary, field, fileName, content));
    }

    static byte[] multipart(String boundary, String field, String fileName, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: image/jpeg\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }
}
