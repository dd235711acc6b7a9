package dev.litenet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.spi.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * module-info of litenet-core (the tests themselves run on the class path): the Vector API is optional,
 * {@code java.desktop} comes with the module (the API takes {@code BufferedImage}), and only the API packages are
 * exported, each described by a package-info. A consumer on the module path is compiled to show both.
 */
class ModuleDescriptorTest {
    static final Set<String> API = Set.of("dev.litenet", "dev.litenet.data", "dev.litenet.eval", "dev.litenet.explain",
            "dev.litenet.export");

    static Path classes() throws URISyntaxException {
        return Path.of(BadInputException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static ModuleDescriptor descriptor() throws URISyntaxException {
        return ModuleFinder.of(classes()).find("dev.litenet").orElseThrow().descriptor();
    }

    @Test
    void vectorApiIsOptional() throws URISyntaxException {
        assertThat(descriptor().requires()).filteredOn(r -> r.name().equals("jdk.incubator.vector"))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).containsExactly(ModuleDescriptor.Requires.Modifier.STATIC));
    }

    @Test
    void javaDesktopComesWithTheModule() throws URISyntaxException {
        assertThat(descriptor().requires()).filteredOn(r -> r.name().equals("java.desktop"))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).containsExactly(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }

    @Test
    void onlyTheApiPackagesAreExportedEachWithADescription() throws URISyntaxException {
        ModuleDescriptor d = descriptor();
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as(e.source()).isFalse());
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).isEqualTo(API).doesNotContain("dev.litenet.tensor", "dev.litenet.nn");
        for (String p : API) {
            assertThat(classes().resolve(p.replace('.', '/')).resolve("package-info.class")).as(p).isRegularFile();
        }
    }

    /** The jar carries the Apache-2.0 licence of the repository. */
    @Test
    void theLicenceTravelsInTheJar() throws URISyntaxException, IOException {
        assertThat(Files.readString(classes().resolve("META-INF/LICENSE"))).contains("Apache License", "Version 2.0, January 2004");
    }

    /** A module that requires dev.litenet and passes a BufferedImage compiles; one that names Simd does not. */
    @Test
    void aModulePathConsumerSeesTheApiAndNotTheEngine(@TempDir Path dir) throws IOException, URISyntaxException {
        String ok = """
                import dev.litenet.ImageClassifier;
                import java.awt.image.BufferedImage;
                public final class App {
                    static Object top(ImageClassifier net) { return net.predict(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), 1); }
                }
                """;
        assertThat(compile(dir.resolve("ok"), ok)).isEmpty();
        String internal = """
                public final class App {
                    static boolean fast() { return dev.litenet.tensor.Simd.ENABLED; }
                }
                """;
        assertThat(compile(dir.resolve("internal"), internal)).contains("package dev.litenet.tensor is not visible");
    }

    /** Compiles module {@code app} ({@code requires dev.litenet}) with this class; returns javac's errors. */
    private static String compile(Path dir, String appClass) throws IOException, URISyntaxException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires dev.litenet; }");
        Files.writeString(src.resolve("App.java"), appClass);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ToolProvider.findFirst("javac").orElseThrow().run(new PrintStream(err, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "-d", dir.resolve("out").toString(), "--module-path", classes().toString(),
                src.resolve("module-info.java").toString(), src.resolve("App.java").toString());
        String errors = err.toString(StandardCharsets.UTF_8);
        return code == 0 ? "" : errors.isEmpty() ? "exit " + code : errors;
    }
}
