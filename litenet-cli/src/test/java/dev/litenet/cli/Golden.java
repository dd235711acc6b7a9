package dev.litenet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code src/test/resources/golden/summary/}: compares the text exactly, or rewrites the file
 * when the build runs with {@code -Dgolden.update=true}.
 */
final class Golden {
    private Golden() {}

    static void assertMatches(String name, String actual) throws IOException {
        Path module = Path.of(System.getProperty("user.dir"));   // surefire runs in the module folder
        Path file = module.resolve("src/test/resources/golden/summary").resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
            return;
        }
        assertThat(file).as("golden file missing; run the tests with -Dgolden.update=true").exists();
        assertThat(actual).as("golden " + name).isEqualTo(Files.readString(file));
    }
}
