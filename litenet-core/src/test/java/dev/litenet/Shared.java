package dev.litenet;

import java.nio.file.Files;
import java.nio.file.Path;

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

    /** A file or folder under shared/, which must exist. */
    public static Path path(String relative) {
        Path p = root().resolve(relative);
        if (!Files.exists(p)) throw new IllegalStateException("missing in shared folder: " + p);
        return p;
    }
}
