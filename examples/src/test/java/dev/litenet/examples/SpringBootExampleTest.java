package dev.litenet.examples;

import dev.litenet.Shared;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/spring-boot as an application developer builds and runs it: litenet-core and litenet-weights-mobilenet
 * installed into the local Maven repository (as {@code ./mvnw install} would), the service packaged by Spring Boot's
 * plugin, started with {@code java --add-modules jdk.incubator.vector -jar} with an empty cache, no shared folder
 * and every download sent to a closed port, then called over HTTP: a cat photo, a file that is no image. The
 * first build fetches Spring Boot from Maven Central (about 35 s); later ones take seconds.
 */
class SpringBootExampleTest {
    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    static Path repo() { return Path.of(System.getenv().getOrDefault("LITENET_REPO", "..")).toAbsolutePath().normalize(); }

    private static void maven(Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repo().resolve("mvnw").toString(), "-B", "-q"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(repo().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mvnw " + String.join(" ", args) + " took over 5 minutes");
        }
        assertThat(p.exitValue()).as("mvnw " + String.join(" ", args) + "\n" + Files.readString(log)).isZero();
    }

    @Test
    void theServiceBuildsStartsOfflineAndClassifies(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("build.log");
        Path core = repo().resolve("litenet-core/target/litenet-core-0.1.0-SNAPSHOT.jar");
        Path weights = repo().resolve("weights-mobilenet/target/litenet-weights-mobilenet-0.1.0-SNAPSHOT.jar");
        assertThat(core).as("built by the reactor before the examples").isRegularFile();
        assertThat(weights).as("built by the reactor before the examples").isRegularFile();
        maven(log, "install:install-file", "-Dfile=pom.xml", "-DpomFile=pom.xml", "-Dpackaging=pom");
        maven(log, "install:install-file", "-Dfile=" + core, "-DpomFile=litenet-core/pom.xml");
        maven(log, "install:install-file", "-Dfile=" + weights, "-DpomFile=weights-mobilenet/pom.xml");
        maven(log, "-f", "examples/spring-boot/pom.xml", "package", "-DskipTests");
        Path jar = repo().resolve("examples/spring-boot/target/classifier.jar");
        assertThat(jar).isRegularFile();

        Path out = tmp.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=9",
                "-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=9", "-jar", jar.toString(), "--server.port=0")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("LITENET_CACHE", tmp.resolve("cache").toString());
        pb.environment().put("LITENET_SHARED", tmp.resolve("no-shared-folder").toString());
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process service = pb.start();
        try {
            int port = -1;
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); port < 0 && System.nanoTime() < deadline; ) {
                Matcher m = PORT.matcher(Files.readString(out));
                if (m.find()) port = Integer.parseInt(m.group(1));
                else if (!service.isAlive()) break;
                else Thread.sleep(200);
            }
            assertThat(port).as(Files.readString(out)).isPositive();
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(10)).build();
            URI predict = URI.create("http://127.0.0.1:" + port + "/predict?top=2");
            HttpResponse<String> cat = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofFile(Shared.path("data/cats-dogs/val/cat/cat.100.jpg"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cat.statusCode()).as(cat.body()).isEqualTo(200);
            assertThat(cat.body()).startsWith("[{\"index\":281,\"label\":\"tabby, tabby cat\",\"probability\":0.82");
            HttpResponse<String> junk = http.send(HttpRequest.newBuilder(predict).header("Content-Type", "image/jpeg")
                    .POST(HttpRequest.BodyPublishers.ofString("not an image")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(junk.statusCode()).isEqualTo(422);
            assertThat(junk.body()).contains("not a supported image");
            assertThat(Files.readString(out)).doesNotContain("running scalar kernels");
        } finally {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) service.destroyForcibly();
        }
    }
}
