package dev.litenet.runtimes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's LiteRT.js (npm {@code @litertjs/core} 2.5.3: the TFLite runtime compiled to WebAssembly, XNNPack on the CPU)
 * in headless Chromium, one browser for the whole test run: a loopback server serves a page that loads the runtime
 * through an import map, the runtime's {@code wasm/} folder from {@code runtimes/litert/node_modules} ({@code npm ci}),
 * and the models and inputs the tests hand it. Models are compiled with {@code {accelerator: 'wasm'}} and run with
 * {@code model.run([new Tensor(data, shape)])}, as a web page would. LiteRT.js takes float32, int32 and uint8 tensors.
 */
final class LiteRt implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver"), CHROMIUM = Path.of("/usr/bin/chromium");

    /** A compiled model in the page: its id and its input and output tensors as LiteRT reports them. */
    record Model(String id, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {}

    /** The outputs of each run (output index, then values) and the milliseconds each run took. */
    record Runs(List<List<float[]>> outputs, double[] millis) {}

    private static LiteRt shared;
    private final HttpServer server;
    private final ChromeDriverService service;
    private final WebDriver browser;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Path modules;

    /** The browser every test shares, started on first use (or a skip naming what is missing; a failure in CI). */
    static synchronized LiteRt get() {
        Path modules = Runtimes.repo().resolve("runtimes/litert/node_modules");
        Runtimes.require(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "headless Chromium not installed (" + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver");
        Runtimes.require(Files.isDirectory(modules.resolve("@litertjs/core/wasm")),
                "LiteRT.js not installed in " + modules + ": run 'npm ci' in runtimes/litert");
        if (shared == null) {
            shared = new LiteRt(modules);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private LiteRt(Path modules) {
        this.modules = modules;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        try {
            Path profile = Files.createTempDirectory("litenet-litert-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new", "--no-sandbox",
                    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
            service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
            browser = new ChromeDriver(service, options);
            browser.manage().timeouts().scriptTimeout(Duration.ofMinutes(10));
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            call("while (!window.harness) await new Promise(r => setTimeout(r, 20)); return await window.harness.start();");
        } catch (IOException e) {
            server.stop(0);
            throw new UncheckedIOException(e);
        }
    }

    /** Compiles a .tflite file in the page. */
    Model load(byte[] tflite) {
        String id = "m" + ids.incrementAndGet();
        files.put("/model/" + id, tflite);
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) call("return await window.harness.load(arguments[0]);", id);
        files.remove("/model/" + id);
        @SuppressWarnings("unchecked")
        Model m = new Model(id, (List<Map<String, Object>>) d.get("inputs"), (List<Map<String, Object>>) d.get("outputs"));
        return m;
    }

    Model load(Path tflite) throws IOException { return load(Files.readAllBytes(tflite)); }

    /** Runs float32 inputs (each of {@code shape}) one after another. */
    Runs runFloat(Model m, List<float[]> inputs, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * inputs.stream().mapToInt(x -> x.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] x : inputs) for (float v : x) b.putFloat(v);
        return run(m, b.array(), "float32", shape, inputs.size());
    }

    /** Runs uint8 inputs (each of {@code shape}) one after another. */
    Runs runUint8(Model m, List<byte[]> inputs, int... shape) {
        byte[] all = new byte[inputs.stream().mapToInt(x -> x.length).sum()];
        int at = 0;
        for (byte[] x : inputs) {
            System.arraycopy(x, 0, all, at, x.length);
            at += x.length;
        }
        return run(m, all, "uint8", shape, inputs.size());
    }

    private Runs run(Model m, byte[] data, String dtype, int[] shape, int count) {
        String id = "i" + ids.incrementAndGet();
        files.put("/input/" + id, data);
        List<Integer> s = new ArrayList<>();
        for (int d : shape) s.add(d);
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) call("return await window.harness.run(arguments[0], arguments[1], arguments[2], arguments[3], arguments[4]);",
                    m.id(), id, dtype, s, count);
            List<List<float[]>> outputs = new ArrayList<>();
            for (Object run : (List<?>) r.get("results")) {
                List<float[]> outs = new ArrayList<>();
                for (Object o : (List<?>) run) {
                    List<?> values = (List<?>) o;
                    float[] v = new float[values.size()];
                    for (int i = 0; i < v.length; i++) v[i] = ((Number) values.get(i)).floatValue();
                    outs.add(v);
                }
                outputs.add(outs);
            }
            List<?> times = (List<?>) r.get("times");
            double[] millis = new double[times.size()];
            for (int i = 0; i < millis.length; i++) millis[i] = ((Number) times.get(i)).doubleValue();
            return new Runs(outputs, millis);
        } finally {
            files.remove("/input/" + id);
        }
    }

    /**
     * Opens a page of the docs in the shared browser, served at {@code /page/} with {@code files} beside it and LiteRT.js
     * under {@code /node_modules/}, waits until its {@code #status} says {@code done}, and returns the texts of the
     * {@code .label} elements it drew; then the harness page is loaded again.
     */
    List<String> page(Path html, Map<String, byte[]> pageFiles, String query) throws IOException {
        files.put("/page/index.html", Files.readAllBytes(html));
        pageFiles.forEach((name, bytes) -> files.put("/page/" + name, bytes));
        try {
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/page/index.html?" + query);
            var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(120));
            try {
                wait.until(d -> d.findElement(org.openqa.selenium.By.id("status")).getText().equals("done"));
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the page did not finish; it says: " + browser.findElement(org.openqa.selenium.By.id("status")).getText(), e);
            }
            return browser.findElements(org.openqa.selenium.By.cssSelector("#result .label")).stream().map(org.openqa.selenium.WebElement::getText).toList();
        } finally {
            files.keySet().removeIf(k -> k.startsWith("/page/"));
            browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            call("while (!window.harness) await new Promise(r => setTimeout(r, 20)); return await window.harness.start();");
        }
    }

    void unload(Model m) { call("return window.harness.unload(arguments[0]);", m.id()); }

    /** Runs an async function body in the page and waits for what it returns (an exception there is thrown here). */
    private Object call(String body, Object... args) {
        String script = "const done = arguments[arguments.length - 1]; const args = Array.from(arguments).slice(0, -1);"
                + "(async function() { " + body + " }).apply(null, args)"
                + ".then(v => done({ok: v}), e => done({error: String(e) + '\\n' + (e && e.stack || '')}));";
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(script, args);
        if (r.containsKey("error")) throw new IllegalStateException("LiteRT.js: " + r.get("error"));
        return r.get("ok");
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = null;
        String type = "application/octet-stream";
        if (path.equals("/")) {
            try (InputStream in = LiteRt.class.getResourceAsStream("/litert/harness.html")) {
                body = in.readAllBytes();
            }
            type = "text/html; charset=utf-8";
        } else if (path.endsWith(".html") && files.containsKey(path)) {
            body = files.get(path);
            type = "text/html; charset=utf-8";
        } else if (path.startsWith("/node_modules/")) {
            Path f = modules.resolve(path.substring("/node_modules/".length())).normalize();
            if (f.startsWith(modules) && Files.isRegularFile(f)) {
                body = Files.readAllBytes(f);
                type = path.endsWith(".js") ? "text/javascript" : path.endsWith(".wasm") ? "application/wasm" : type;
            }
        } else {
            body = files.get(path);
        }
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override public synchronized void close() {
        try {
            browser.quit();
        } catch (RuntimeException ignored) {
            // the browser is gone already
        }
        service.stop();
        server.stop(0);
    }
}
