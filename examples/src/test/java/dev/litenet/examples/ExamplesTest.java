package dev.litenet.examples;

import dev.litenet.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every example on real photos and checks what it prints. */
class ExamplesTest {
    @TempDir static Path tmp;
    static Path train, test;

    /** 12 photos per class to train on, 8 others per class to test on. */
    @BeforeAll static void photos() throws IOException {
        train = tmp.resolve("train");
        test = tmp.resolve("test");
        for (String cls : List.of("cat", "dog")) {
            List<Path> all;
            try (Stream<Path> s = Files.list(Shared.path("data/cats-dogs/train/" + cls))) {
                all = s.sorted().limit(20).toList();
            }
            Files.createDirectories(train.resolve(cls));
            Files.createDirectories(test.resolve(cls));
            for (int i = 0; i < all.size(); i++) {
                Path p = all.get(i);
                Files.copy(p, (i < 12 ? train : test).resolve(cls).resolve(p.getFileName()));
            }
        }
    }

    interface Main { void run() throws Exception; }

    static String output(Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static Path cat() { return Shared.path("data/cats-dogs/val/cat/cat.100.jpg"); }

    @Test
    void helloWorld() throws Exception {
        Path run = tmp.resolve("hello-run");
        String out = output(() -> HelloWorld.main(new String[] {cat().toString(), train.toString(), run.toString()}));
        assertThat(out.lines().toList()).hasSize(6);
        assertThat(out.lines().findFirst().orElseThrow()).containsIgnoringCase("cat");
        assertThat(out).contains("trained: cat");
        assertThat(run.resolve("model.json")).exists();
    }

    @Test
    void classifyFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(cat(), folder.resolve("a-cat.jpg"));
        Files.copy(Shared.path("data/bad-images/empty.jpg"), folder.resolve("b-empty.jpg"));
        String out = output(() -> ClassifyFolder.main(new String[] {"mobilenet_v2_1.0_224_quant", folder.toString()}));
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith(folder.resolve("a-cat.jpg").toString()).containsIgnoringCase("cat");
        assertThat(lines.get(1)).contains("error").contains("empty file");
    }

    @Test
    void fineTune() throws Exception {
        String out = output(() -> FineTune.main(new String[] {train.toString(), test.toString(), tmp.resolve("fine-run").toString()}));
        assertThat(out).contains("epoch 10: val acc");
        String accuracy = out.lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(accuracy.split(" ")[2])).isGreaterThanOrEqualTo(0.75);   // 16 photos it never saw
        assertThat(accuracy).endsWith("/16)");
    }

    @Test
    void nearestImages() throws Exception {
        String out = output(() -> NearestImages.main(new String[] {train.toString(), cat().toString(), "5"}));
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(5);
        // the nearest images to a cat photo are mostly cats
        assertThat(lines.stream().filter(l -> l.contains("/cat/")).count()).isGreaterThanOrEqualTo(4);
    }
}
