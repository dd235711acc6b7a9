package dev.litenet.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where LiteNet keeps and finds things, one rule for the library and every command: the cache
 * ({@code $LITENET_CACHE}, else {@code ~/.cache/litenet}) with its {@code weights/} and {@code features/}, and
 * the project's shared folder ({@code $LITENET_SHARED}, else {@code ../shared} beside {@code $LITENET_HOME}, the
 * folder of the {@code litenet} launcher, or beside the working folder) whose {@code weights/} is searched for
 * weights by name.
 */
public final class Locations {
    private Locations() {}

    /** {@code $LITENET_CACHE}, else {@code ~/.cache/litenet}. */
    public static Path cache() {
        String env = System.getenv("LITENET_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "litenet");
    }

    /** The feature cache training and evaluation share: {@link #cache()}'s {@code features/}. */
    public static Path features() { return cache().resolve("features"); }

    /** The shared folder: {@code $LITENET_SHARED}, else {@code ../shared} beside {@code $LITENET_HOME} or the working folder. */
    public static Path shared() {
        String env = System.getenv("LITENET_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env);
        String home = System.getenv("LITENET_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("../shared").normalize();
    }

    /** The shared folder's {@code weights/}, or null when there is none. */
    public static Path localWeights() {
        Path p = shared().resolve("weights");
        return Files.isDirectory(p) ? p : null;
    }
}
