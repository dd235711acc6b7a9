package dev.litenet.examples;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's hello world is a program: extracted from README.md, compiled as {@code Hello.java} against
 * litenet-core alone, run on the photo the README names, it prints exactly the README's output block. The README's
 * training fragment compiles inside a {@code main}.
 */
class ReadmeHelloWorldTest {
    static Path readme() {
        return Path.of(System.getenv().getOrDefault("LITENET_REPO", Path.of("").toAbsolutePath().getParent().toString()), "README.md");
    }

    /** The fenced blocks of the README with their language: {language, body}. */
    static List<String[]> blocks() throws IOException {
        List<String[]> out = new ArrayList<>();
        String lang = null;
        StringBuilder body = new StringBuilder();
        for (String line : Files.readAllLines(readme())) {
            if (lang == null && line.startsWith("```")) {
                lang = line.substring(3).strip();
                body.setLength(0);
            } else if (lang != null && line.equals("```")) {
                out.add(new String[] {lang, body.toString()});
                lang = null;
            } else if (lang != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    @Test
    void helloWorldCompilesAndPrintsWhatTheReadmeSays(@TempDir Path dir) throws Exception {
        List<String[]> blocks = blocks();
        int at = -1;
        for (int i = 0; i < blocks.size() && at < 0; i++) if (blocks.get(i)[1].contains("public class Hello ")) at = i;
        assertThat(at).as("a java block with public class Hello").isNotNegative();
        String program = blocks.get(at)[1];
        String command = blocks.get(at + 1)[1], expected = blocks.get(at + 2)[1];
        assertThat(blocks.get(at + 1)[0]).isEqualTo("bash");
        assertThat(blocks.get(at + 2)[0]).isEqualTo("text");
        assertThat(command).contains("Hello.java ../shared/data/cats-dogs/val/cat/cat.100.jpg");

        Path classes = compile(dir, "Hello", program);
        String printed = run(classes, "Hello", Shared.path("data/cats-dogs/val/cat/cat.100.jpg").toString());
        assertThat(printed.replace(System.lineSeparator(), "\n")).isEqualTo(expected);
    }

    @Test
    void theTrainingFragmentCompilesInsideAMain(@TempDir Path dir) throws Exception {
        String fragment = blocks().stream().filter(b -> b[0].equals("java") && b[1].contains("TransferLearning.from("))
                .map(b -> b[1]).findFirst().orElseThrow();
        String program = "import dev.litenet.*;\nimport java.nio.file.Path;\n"
                + "public class Train {\n    public static void main(String[] args) {\n" + fragment + "    }\n}\n";
        compile(dir, "Train", program);
    }

    private static Path compile(Path dir, String name, String source) throws IOException {
        Path src = dir.resolve(name + ".java"), out = dir.resolve("classes");
        Files.writeString(src, source);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = ToolProvider.findFirst("javac").orElseThrow().run(ps, ps, "-d", out.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }

    private static String run(Path classes, String name, String arg) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeHelloWorldTest.class.getClassLoader())) {
            loader.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) new String[] {arg});
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
