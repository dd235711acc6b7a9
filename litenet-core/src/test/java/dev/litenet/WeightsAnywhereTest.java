package dev.litenet;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Weights where an application keeps them: inside a zip or jar (a NIO zip file system, or a {@code jar:} URL), as a
 * stream, behind an http URL; a server that cannot be reached is {@link WeightsUnavailableException}, not bad input,
 * and a body announced larger than the weights limit is refused before it is read.
 */
class WeightsAnywhereTest {
    private static List<Prediction> expected;
    private static BufferedImage photo;

    @BeforeAll
    static void fromTheFile() throws IOException {
        photo = javax.imageio.ImageIO.read(Shared.path("data/cats-dogs/val/cat/cat.100.jpg").toFile());
        expected = ImageClassifier.pretrained(Shared.quantWeights()).predict(photo, 3);
    }

    private static Path zipped(Path dir) throws IOException {
        Path zip = dir.resolve("app.jar");
        try (FileSystem fs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            Path inside = fs.getPath("/models/mobilenet_v2_1.0_224_quant.tflite");
            Files.createDirectories(inside.getParent());
            Files.copy(Shared.quantWeights(), inside);
        }
        return zip;
    }

    @Test
    void aPathInsideAZipFileSystem(@TempDir Path dir) throws IOException {
        try (FileSystem fs = FileSystems.newFileSystem(zipped(dir))) {
            ImageClassifier net = ImageClassifier.pretrained(fs.getPath("/models/mobilenet_v2_1.0_224_quant.tflite"));
            assertThat(net.predict(photo, 3)).isEqualTo(expected);
        }
        assertThat(dir.getParent().resolve(dir.getFileName())).isDirectoryNotContaining("glob:**.tflite");
    }

    @Test
    void aStreamAndAJarUrl(@TempDir Path dir) throws IOException {
        try (InputStream in = Files.newInputStream(Shared.quantWeights())) {
            assertThat(ImageClassifier.pretrained(in).predict(photo, 3)).isEqualTo(expected);
        }
        URL jar = URI.create("jar:" + zipped(dir).toUri() + "!/models/mobilenet_v2_1.0_224_quant.tflite").toURL();
        assertThat(ImageClassifier.pretrained(jar).predict(photo, 3)).isEqualTo(expected);
    }

    @Test
    void anUnreachableServerIsUnavailableNotBadInput() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) { closed = s.getLocalPort(); }
        URL url = URI.create("http://127.0.0.1:" + closed + "/mobilenet.tflite").toURL();
        assertThatThrownBy(() -> ImageClassifier.pretrained(url))
                .isInstanceOf(WeightsUnavailableException.class).isNotInstanceOf(BadInputException.class)
                .hasMessageStartingWith("cannot fetch " + url);
    }

    @Test
    void aBodyAnnouncedLargerThanTheLimitIsRefusedUnread() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/huge.tflite", ex -> {
            ex.sendResponseHeaders(200, 4L << 30);
            try {
                OutputStream out = ex.getResponseBody();
                out.write(new byte[1024]);
                out.flush();
                Thread.sleep(5_000);                              // never sends the rest; the client must not wait for it
            } catch (IOException | InterruptedException closedByClient) {
                // the client hung up after the headers, as it should
            }
        });
        server.start();
        try {
            URL url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/huge.tflite").toURL();
            assertThatThrownBy(() -> ImageClassifier.pretrained(url)).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("4294967296 bytes, more than the 1 GiB limit");
        } finally {
            server.stop(0);
        }
    }
}
