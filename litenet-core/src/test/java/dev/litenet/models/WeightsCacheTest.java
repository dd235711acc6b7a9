package dev.litenet.models;

import dev.litenet.data.Preprocess;

import dev.litenet.BadInputException;
import dev.litenet.WeightsUnavailableException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.litenet.Shared;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloads from a local HTTP server on 127.0.0.1: good, truncated, wrong and missing files; cache and local folder. */
class WeightsCacheTest {
    private static final byte[] GOOD = randomBytes(200_000, 1);
    private static final byte[] WRONG = randomBytes(200_000, 2);
    private static final AtomicInteger requests = new AtomicInteger();
    private static final CountDownLatch releaseStalled = new CountDownLatch(1);
    private static HttpServer server;
    private static ExecutorService handlers;
    private static ServerSocket truncating;

    @TempDir Path cacheDir;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good.bin", ex -> send(ex, 200, GOOD));
        server.createContext("/wrong.bin", ex -> send(ex, 200, WRONG));
        server.createContext("/missing.bin", ex -> send(ex, 404, "no such file".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/stalled.bin", WeightsCacheTest::sendThenStall);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.start();
        truncating = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(WeightsCacheTest::serveTruncated);
    }

    @AfterAll
    static void stopServers() throws IOException {
        releaseStalled.countDown();
        truncating.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    @BeforeEach
    void resetCount() { requests.set(0); }

    private static void send(HttpExchange ex, int status, byte[] body) {
        requests.incrementAndGet();
        try (ex; OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(status, body.length);
            out.write(body);
        } catch (IOException ignored) {
            // the client hung up; its side of the test reports that
        }
    }

    /** 1,000 bytes of a declared 200,000, then silence until the tests end (at most 10 s). */
    private static void sendThenStall(HttpExchange ex) {
        requests.incrementAndGet();
        try (ex) {
            ex.sendResponseHeaders(200, GOOD.length);
            ex.getResponseBody().write(GOOD, 0, 1000);
            ex.getResponseBody().flush();
            releaseStalled.await(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException ignored) {
            // the client gave up, as it should
        }
    }

    /**
     * Answers each connection with Content-Length 200,000 and only 70,000 bytes, then closes it. HttpServer cannot
     * do this: closing a short fixed-length response leaves its connection open.
     */
    private static void serveTruncated() {
        while (!truncating.isClosed()) {
            try (Socket s = truncating.accept()) {
                requests.incrementAndGet();
                readRequestHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + GOOD.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(GOOD, 0, 70_000);
                out.flush();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0, b; i < 65_536 && matched < 4 && (b = in.read()) != -1; i++) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static WeightsInfo served(String path, String fileName, String sha256, String prefix) {
        return new WeightsInfo("test_" + fileName, "mobilenet_v2", 1f, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path),
                sha256, prefix, fileName, WeightsFormat.PTH, -1, 10, -1, Preprocess.torchvision(256, 224), "none", Map.of());
    }

    private WeightsCache cache() { return new WeightsCache(cacheDir, null, WeightsCache.defaultClient()); }

    @Test
    void goodDownloadWithFullShaLandsInCacheAndReportsProgress() throws IOException {
        WeightsInfo w = served("/good.bin", "good.bin", sha256(GOOD), null);
        List<long[]> progress = new ArrayList<>();
        Path file = cache().fetch(w, (n, total) -> progress.add(new long[] {n, total}));

        assertThat(file).isEqualTo(cacheDir.resolve("good.bin"));
        assertThat(Files.readAllBytes(file)).isEqualTo(GOOD);
        assertThat(filesIn(cacheDir)).containsExactly(file);
        assertThat(progress.getFirst()).containsExactly(0, GOOD.length);
        assertThat(progress.getLast()).containsExactly(GOOD.length, GOOD.length);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void goodDownloadWithTorchHubPrefixInFileName() throws IOException {
        String fileName = "tiny-" + sha256(GOOD).substring(0, 8) + ".pth";
        WeightsInfo w = served("/good.bin", fileName, null, WeightsInfo.torchHubHashPrefix(fileName));
        Path file = cache().fetch(w, WeightsCache.Progress.NONE);
        assertThat(Files.readAllBytes(file)).isEqualTo(GOOD);
        assertThat(filesIn(cacheDir)).containsExactly(cacheDir.resolve(fileName));
    }

    /** A weights artifact on the class path: copied into the cache, checked, and no request is made. */
    @Test
    void weightsOnTheClassPathNeedNoNetwork(@TempDir Path jarRoot) throws IOException {
        WeightsInfo w = served("/good.bin", "good.bin", sha256(GOOD), null);
        Path resource = jarRoot.resolve(WeightsCache.CLASS_PATH_FOLDER + w.name() + "/good.bin");
        Files.createDirectories(resource.getParent());
        Files.write(resource, GOOD);
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jarRoot.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            Path file = cache().fetch(w, WeightsCache.Progress.NONE);
            assertThat(file).isEqualTo(cacheDir.resolve("good.bin"));
            assertThat(Files.readAllBytes(file)).isEqualTo(GOOD);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
        assertThat(requests.get()).isZero();
        assertThat(filesIn(cacheDir)).containsExactly(cacheDir.resolve("good.bin"));
    }

    @Test
    void secondFetchIsServedFromTheCacheWithoutARequest() {
        WeightsInfo w = served("/good.bin", "good.bin", sha256(GOOD), null);
        Path first = cache().fetch(w, WeightsCache.Progress.NONE);
        Path second = cache().fetch(w, WeightsCache.Progress.NONE);
        assertThat(second).isEqualTo(first);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void truncatedBodyLeavesNothingBehind() {
        URI url = URI.create("http://127.0.0.1:" + truncating.getLocalPort() + "/truncated.bin");
        WeightsInfo w = new WeightsInfo("test_truncated", "mobilenet_v2", 1f, url, sha256(GOOD), null, "truncated.bin", WeightsFormat.PTH, -1, 10, -1,
                Preprocess.torchvision(256, 224), "none", Map.of());
        assertThatThrownBy(() -> cache().fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(WeightsUnavailableException.class)
                .hasMessageStartingWith("download of truncated.bin from " + url + " failed: stopped after 70000 of 200000 bytes");
        assertThat(filesIn(cacheDir)).isEmpty();
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void stalledBodyTimesOutAndLeavesNothingBehind() {
        WeightsInfo w = served("/stalled.bin", "stalled.bin", sha256(GOOD), null);
        WeightsCache impatient = new WeightsCache(cacheDir, null, WeightsCache.defaultClient(), Duration.ofMillis(500));
        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(WeightsUnavailableException.class)
                .hasMessageStartingWith("download of stalled.bin from " + w.url() + " failed: stopped after 1000 of " + GOOD.length
                        + " bytes (HttpTimeoutException: no data received for 500 ms)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(filesIn(cacheDir)).isEmpty();
    }

    @Test
    void wrongBytesAreAChecksumMismatchAndLeaveNothingBehind() {
        WeightsInfo w = served("/wrong.bin", "wrong-" + sha256(GOOD).substring(0, 8) + ".pth", null, sha256(GOOD).substring(0, 8));
        assertThatThrownBy(() -> cache().fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(WeightsUnavailableException.class)
                .hasMessageContaining("failed: checksum mismatch for " + w.fileName() + ": expected "
                        + sha256(GOOD).substring(0, 8) + "..., got " + sha256(WRONG));
        assertThat(filesIn(cacheDir)).isEmpty();
    }

    @Test
    void httpErrorLeavesNothingBehind() {
        WeightsInfo w = served("/missing.bin", "missing.bin", sha256(GOOD), null);
        assertThatThrownBy(() -> cache().fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(WeightsUnavailableException.class)
                .hasMessageStartingWith("download of missing.bin from " + w.url() + " failed: HTTP 404");
        assertThat(filesIn(cacheDir)).isEmpty();
    }

    @Test
    void connectionRefusedLeavesNothingBehind() throws IOException {
        int closedPort = closedPort();
        WeightsInfo w = new WeightsInfo("test_refused", "mobilenet_v2", 1f, URI.create("http://127.0.0.1:" + closedPort + "/x.bin"), sha256(GOOD), null,
                "x.bin", WeightsFormat.PTH, -1, 10, -1, Preprocess.torchvision(256, 224), "none", Map.of());
        assertThatThrownBy(() -> cache().fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(WeightsUnavailableException.class)
                .hasMessageContaining("download of x.bin from http://127.0.0.1:" + closedPort + "/x.bin failed: ")
                .hasMessageContaining("ConnectException");
        assertThat(filesIn(cacheDir)).isEmpty();
    }

    @Test
    void corruptCachedFileIsRejectedNotUsed() throws IOException {
        WeightsInfo w = served("/good.bin", "good.bin", sha256(GOOD), null);
        Path cached = cacheDir.resolve("good.bin");
        Files.write(cached, WRONG);
        assertThatThrownBy(() -> cache().fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(BadInputException.class)
                .hasMessage(cached + ": checksum mismatch for good.bin: expected " + sha256(GOOD) + ", got " + sha256(WRONG)
                        + "; delete it to download it again");
        assertThat(requests.get()).isZero();
    }

    @Test
    void localFolderCopyIsCheckedToo(@TempDir Path local) throws IOException {
        WeightsInfo w = served("/good.bin", "good.bin", sha256(GOOD), null);
        Path copy = Files.createDirectories(local.resolve(w.name())).resolve("good.bin");
        Files.write(copy, GOOD);
        assertThat(new WeightsCache(cacheDir, local, WeightsCache.defaultClient()).fetch(w, WeightsCache.Progress.NONE)).isEqualTo(copy);

        Files.write(copy, WRONG);
        assertThatThrownBy(() -> new WeightsCache(cacheDir, local, WeightsCache.defaultClient()).fetch(w, WeightsCache.Progress.NONE))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith(copy + ": checksum mismatch for good.bin");
        assertThat(requests.get()).isZero();
    }

    @Test
    void existingPathIsUsedAsGiven(@TempDir Path dir) throws IOException {
        Path mine = Files.write(dir.resolve("my weights.pth"), WRONG);
        assertThat(cache().resolve(mine.toString(), WeightsCache.Progress.NONE)).isEqualTo(mine);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> cache().resolve("vgg16", WeightsCache.Progress.NONE))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("weights 'vgg16' is neither a file nor a known name; known names: ")
                .hasMessageContaining("MOBILENET_V2_IMAGENET1K_V1 (IMAGENET1K_V1)")
                .hasMessageContaining("mobilenet_v2_1.0_224_quant (mobilenet_v2_quant)");
    }

    @Test
    void knownNameResolvesToTheSharedCopyWithoutNetwork() throws IOException {
        Path weights = Shared.path("weights");
        HttpClient noNetwork = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort()))).build();
        WeightsCache cache = new WeightsCache(cacheDir, weights, noNetwork);

        assertThat(cache.resolve("mobilenet_v2_quant", WeightsCache.Progress.NONE))
                .isEqualTo(weights.resolve("mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"));
        assertThat(cache.resolve("TF2_MOBILENET_V2_1.0_224_PTQ", WeightsCache.Progress.NONE))
                .isEqualTo(weights.resolve("tf2_mobilenet_v2_1.0_224_ptq/tf2_mobilenet_v2_1.0_224_ptq.tflite"));
        assertThat(filesIn(cacheDir)).isEmpty();
    }

    @Test
    void sha256HexMatchesTheFips180Vector(@TempDir Path dir) throws IOException {
        Path abc = Files.writeString(dir.resolve("abc"), "abc");
        assertThat(WeightsCache.sha256Hex(abc)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void defaultDirIsUnderTheCacheRoot() {
        String env = System.getenv("LITENET_CACHE");
        Path expected = env != null && !env.isBlank() ? Path.of(env, "weights")
                : Path.of(System.getProperty("user.home"), ".cache", "litenet", "weights");
        assertThat(WeightsCache.defaultDir()).isEqualTo(expected);
    }

    /** A loopback port that was free a moment ago and has no listener now. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static List<Path> filesIn(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
