package dev.litenet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where tests find {@code ../shared} (data, weights, fixtures): {@code LITENET_SHARED}, else {@code ../shared}
 * beside the repo. Missing on a developer's machine: the test is skipped with the reason. Missing in CI
 * ({@code CI=true}): the test fails, so nothing passes by not running.
 */
public final class Shared {
    private Shared() {}

    public static Path root() {
        String env = System.getenv("LITENET_SHARED");
        Path repo = Path.of(System.getenv().getOrDefault("LITENET_REPO", System.getProperty("user.dir")));
        Path root = env != null && !env.isBlank() ? Path.of(env) : repo.resolve("../shared").normalize();
        if (!Files.isDirectory(root)) {
            String why = "shared folder not found at " + root + " (set LITENET_SHARED)";
            if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(why);
            assumeTrue(false, why);
        }
        return root;
    }

    /** Google's uint8 ImageNet MobileNetV2 (TFLite). */
    public static Path quantWeights() { return path("weights/mobilenet_v2_1.0_224_quant/mobilenet_v2_1.0_224_quant.tflite"); }

    /**
     * The first photos of each class of shared/data/cats-dogs, copied into {@code dir} as {@code train/} and
     * {@code val/} with {@code cat/} and {@code dog/}: a data set small enough for a quick run.
     */
    public static Path catsDogs(Path dir, int trainPerClass, int valPerClass) throws IOException {
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("cat", "dog")) {
                Path dst = Files.createDirectories(dir.resolve(split).resolve(cls));
                List<Path> photos;
                try (Stream<Path> files = Files.list(path("data/cats-dogs/" + split + "/" + cls))) {
                    photos = files.sorted().limit(split.equals("train") ? trainPerClass : valPerClass).toList();
                }
                for (Path f : photos) Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** A file or folder under shared/, which must exist. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) throw new IllegalStateException("missing in shared folder: " + p);
        return p;
    }
}
