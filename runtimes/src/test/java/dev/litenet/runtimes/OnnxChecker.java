package dev.litenet.runtimes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * onnx's own checker, {@code onnx.checker.check_model(path, full_check=True)} (full check: shape inference too), from
 * Debian's {@code python3-onnx}, run by {@code /usr/bin/python3} on a list of files in one process.
 */
final class OnnxChecker {
    private OnnxChecker() {}

    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Whether python3 imports onnx. */
    static boolean available() {
        if (!Files.isExecutable(PYTHON)) return false;
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import onnx").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void requireAvailable() {
        Runtimes.require(available(), "onnx's checker not installed (/usr/bin/python3 -c 'import onnx'): apt-get install -y python3-onnx");
    }

    /** Checks every file; returns what the checker printed. Throws AssertionError naming the file it rejects. */
    static String check(List<Path> files) throws IOException, InterruptedException {
        String script = """
                import sys, onnx
                for p in sys.argv[1:]:
                    try:
                        onnx.checker.check_model(p, full_check=True)
                        m = onnx.load(p)
                        print('ok', p, 'opset', m.opset_import[0].version, 'ir', m.ir_version)
                    except Exception as e:
                        print('FAIL', p, type(e).__name__, str(e).replace('\\n', ' ')[:2000])
                        sys.exit(1)
                """;
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-c", script));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("onnx checker timed out: " + out);
        }
        if (p.exitValue() != 0) throw new AssertionError("onnx checker: " + out);
        return out;
    }
}
