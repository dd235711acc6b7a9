package dev.litenet.cli;

import dev.litenet.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the command line finds things: the shared folder beside the repo ({@code LITENET_SHARED}, else
 * {@code ../shared} next to {@code LITENET_HOME}, the folder of the launcher) with its data and weights, and
 * LiteNet's cache ({@code LITENET_CACHE}, else {@code ~/.cache/litenet}).
 */
final class Locations {
    private Locations() {}

    static Path shared() {
        String env = System.getenv("LITENET_SHARED");
        if (env != null && !env.isBlank()) return Path.of(env);
        String home = System.getenv("LITENET_HOME");
        return (home != null ? Path.of(home) : Path.of("")).toAbsolutePath().resolve("../shared").normalize();
    }

    /** The local weights folder (shared/weights), or null when there is none. */
    static Path localWeights() {
        Path p = shared().resolve("weights");
        return Files.isDirectory(p) ? p : null;
    }

    static Path cache() {
        String env = System.getenv("LITENET_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "litenet");
    }

    static Path existingDir(Path p, String what) {
        if (!Files.isDirectory(p)) throw new BadInputException(p, what + " folder not found");
        return p;
    }
}
