package dev.litenet.models;

import dev.litenet.BadInputException;
import dev.litenet.WeightsUnavailableException;
import dev.litenet.io.Locations;
import dev.litenet.io.StallTimeoutBody;

import dev.litenet.models.KnownWeights;
import dev.litenet.models.WeightsInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a {@code --weights} value into a checked file on disk. A path that exists is used as given. A known name
 * ({@link KnownWeights}) is looked up in the cache folder, then on the class path (a weights artifact such as
 * {@code litenet-weights-mobilenet} holds {@code META-INF/litenet/weights/<name>/<file>}, copied into the cache on first
 * use), then in a local weights folder laid out as {@code <dir>/<name>/<file>}, else downloaded into the cache. Files found by name are checked against their
 * sha256 (the full hash, or torch.hub's prefix rule) before use. A download is written to a temp file beside
 * its target, checked, then moved into place atomically; a failed download leaves no file behind.
 */
public final class WeightsCache {

    /** Download progress: bytes so far, and the total, or -1 when the server did not say. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (bytesSoFar, totalBytes) -> {};

        void update(long bytesSoFar, long totalBytes);
    }

    private static final int BUFFER = 1 << 16;
    /**
     * Where a weights artifact keeps its files on the class path, laid out as the local weights folder:
     * {@code META-INF/litenet/weights/<name>/<file name>}. Resources under {@code META-INF} are found across modules.
     */
    public static final String CLASS_PATH_FOLDER = "META-INF/litenet/weights/";
    private static final Duration DEFAULT_STALL = Duration.ofSeconds(60);

    private final Path dir;
    private final Path localWeightsDir;
    private final Supplier<HttpClient> client;
    private final Duration stallTimeout;

    /**
     * @param dir             where downloaded files live, flat: {@code <dir>/<file name>}; created when needed
     * @param localWeightsDir a read-only folder {@code <dir>/<name>/<file>} searched after the cache, or null
     */
    public WeightsCache(Path dir, Path localWeightsDir, HttpClient client) {
        this(dir, localWeightsDir, client, DEFAULT_STALL);
    }

    /** @param stallTimeout how long a download may wait for the next bytes before it fails */
    public WeightsCache(Path dir, Path localWeightsDir, HttpClient client, Duration stallTimeout) {
        this(dir, localWeightsDir, () -> client, stallTimeout);
    }

    private WeightsCache(Path dir, Path localWeightsDir, Supplier<HttpClient> client, Duration stallTimeout) {
        this.dir = dir;
        this.localWeightsDir = localWeightsDir;
        this.client = client;
        this.stallTimeout = stallTimeout;
    }

    /** The cache in {@link #defaultDir()} with {@link #defaultClient()}. */
    public static WeightsCache standard(Path localWeightsDir) {
        return new WeightsCache(defaultDir(), localWeightsDir, LazyClient::get, DEFAULT_STALL);
    }

    /** Built on the first download only: an HTTP client costs a selector thread and ~0.1-0.3 s of class loading. */
    private static final class LazyClient {
        private static final HttpClient CLIENT = defaultClient();

        static HttpClient get() { return CLIENT; }
    }

    /** {@code $LITENET_CACHE/weights}, else {@code ~/.cache/litenet/weights}. */
    public static Path defaultDir() { return Locations.cache().resolve("weights"); }

    /** An HTTP client that follows redirects (GitHub's raw links redirect) and gives up connecting after 30 s. */
    public static HttpClient defaultClient() {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
    }

    public Path dir() { return dir; }

    /** Where the cache keeps this file once downloaded. */
    public Path cachedPath(WeightsInfo weights) { return dir.resolve(weights.fileName()); }

    /** An existing file as given, else a known name fetched as in {@link #fetch}. */
    public Path resolve(String weightsArg, Progress progress) {
        if (isRegularFile(weightsArg)) return Path.of(weightsArg);
        Optional<WeightsInfo> known = KnownWeights.find(weightsArg);
        if (known.isEmpty()) {
            throw new BadInputException("weights '" + weightsArg + "' is neither a file nor a known name; known names: "
                    + KnownWeights.describeNames());
        }
        return fetch(known.get(), progress);
    }

    /** The checked file for these weights: from the cache, else the local weights folder, else downloaded. */
    public Path fetch(WeightsInfo weights, Progress progress) {
        return present(weights).orElseGet(() -> download(weights, progress));
    }

    /** The checked file for these weights when the cache, the class path or the local weights folder has it; never downloads. */
    public Optional<Path> present(WeightsInfo weights) {
        Path cached = cachedPath(weights);
        if (Files.exists(cached)) {
            check(cached, weights, "; delete it to download it again");
            return Optional.of(cached);
        }
        Optional<Path> fromClassPath = fromClassPath(weights);
        if (fromClassPath.isPresent()) return fromClassPath;
        if (localWeightsDir != null) {
            Path local = localWeightsDir.resolve(weights.name()).resolve(weights.fileName());
            if (Files.exists(local)) {
                check(local, weights, "");
                return Optional.of(local);
            }
        }
        return Optional.empty();
    }

    /**
     * The weights from a class path resource ({@link #CLASS_PATH_FOLDER}), copied into the cache (to a temp file,
     * checked, moved into place), or empty when no class loader has them. The context class loader is asked first
     * (application servers, Spring Boot's nested jars), then LiteNet's own.
     */
    private Optional<Path> fromClassPath(WeightsInfo weights) {
        String resource = CLASS_PATH_FOLDER + weights.name() + "/" + weights.fileName();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        java.net.URL url = context == null ? null : context.getResource(resource);
        if (url == null && WeightsCache.class.getClassLoader() != null) url = WeightsCache.class.getClassLoader().getResource(resource);
        if (url == null) url = ClassLoader.getSystemResource(resource);
        if (url == null) return Optional.empty();
        Path target = cachedPath(weights), temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, weights.fileName() + ".", ".part");
            try (InputStream in = url.openStream(); OutputStream out = Files.newOutputStream(temp)) {
                in.transferTo(new LimitedOutput(out, weights.sizeBytes() >= 0 ? weights.sizeBytes() : Long.MAX_VALUE));
            }
            check(temp, weights, " (from " + url + ")");
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            return Optional.of(target);
        } catch (IOException e) {
            throw new BadInputException(dir, "cannot copy " + url + " into the weights cache: " + describe(e), e);
        } finally {
            if (temp != null) deleteQuietly(temp);
        }
    }

    /** Refuses to write more than {@code limit} bytes: a resource larger than its weights is not them. */
    private static final class LimitedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        LimitedOutput(OutputStream out, long limit) { this.out = out; this.left = limit; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) throw new IOException("larger than the expected size");
            left -= len;
            out.write(b, off, len);
        }
    }

    /** The sha256 of a file, in lower-case hex, computed once per version of the file ({@link FileHashes}). */
    public static String sha256Hex(Path file) throws IOException {
        return FileHashes.sha256Hex(file);
    }

    private static void check(Path file, WeightsInfo weights, String hint) {
        try {
            long size = Files.size(file);
            if (weights.sizeBytes() >= 0 && size != weights.sizeBytes()) {
                throw new BadInputException(file, "size " + size + " bytes, expected " + weights.sizeBytes() + " for " + weights.fileName() + hint);
            }
            String actual = sha256Hex(file);
            if (!weights.matchesSha256(actual)) throw new BadInputException(file, mismatch(weights, actual) + hint);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read: " + describe(e), e);
        }
    }

    private Path download(WeightsInfo weights, Progress progress) {
        Path target = cachedPath(weights);
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, weights.fileName() + ".", ".part");
        } catch (IOException e) {
            throw new BadInputException(dir, "cannot write to the weights cache: " + describe(e), e);
        }
        boolean done = false;
        try {
            String actual = get(weights, temp, progress);
            if (!weights.matchesSha256(actual)) throw failed(weights, mismatch(weights, actual));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return target;
        } catch (IOException e) {
            throw failed(weights, describe(e), e);
        } finally {
            if (!done) deleteQuietly(temp);
        }
    }

    /** GETs the url into {@code temp}; returns the sha256 hex of the bytes received. */
    private String get(WeightsInfo weights, Path temp, Progress progress) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(weights.url()).timeout(stallTimeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.get().send(request, StallTimeoutBody.handler(stallTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(weights, "interrupted", e);
        } catch (IOException e) {
            throw failed(weights, "cannot connect (" + describe(e) + ")", e);
        }
        MessageDigest sha = FileHashes.sha256();
        long total = response.headers().firstValueAsLong("content-length").orElse(-1);
        long received = 0;
        try (InputStream body = response.body(); OutputStream out = Files.newOutputStream(temp)) {
            if (response.statusCode() != 200) throw failed(weights, "HTTP " + response.statusCode());
            progress.update(0, total);
            byte[] buf = new byte[BUFFER];
            for (int n; (n = body.read(buf)) != -1; ) {
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                received += n;
                progress.update(received, total);
            }
        } catch (IOException e) {
            throw failed(weights, "stopped after " + received + (total >= 0 ? " of " + total : "") + " bytes (" + describe(e) + ")", e);
        }
        if (total >= 0 && received != total) throw failed(weights, "truncated: got " + received + " of " + total + " bytes");
        if (weights.sizeBytes() >= 0 && received != weights.sizeBytes()) {
            throw failed(weights, "got " + received + " bytes, expected " + weights.sizeBytes());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String mismatch(WeightsInfo weights, String actual) {
        return "checksum mismatch for " + weights.fileName() + ": expected " + weights.expectedHash() + ", got " + actual;
    }

    private static WeightsUnavailableException failed(WeightsInfo weights, String why) { return failed(weights, why, null); }

    /** A download that did not give the verified file: a network problem, not bad input. */
    private static WeightsUnavailableException failed(WeightsInfo weights, String why, Throwable cause) {
        return new WeightsUnavailableException("download of " + weights.fileName() + " from " + weights.url() + " failed: " + why
                + "; put the file in the cache (" + defaultDir() + ") or a weights artifact on the class path to work offline", cause);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static boolean isRegularFile(String arg) {
        try {
            return Files.isRegularFile(Path.of(arg));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the caller's exception says what went wrong; a leftover .part file is harmless
        }
    }
}
