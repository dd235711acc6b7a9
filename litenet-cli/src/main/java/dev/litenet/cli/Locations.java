package dev.litenet.cli;

import java.nio.file.Path;

/**
 * Where the command line finds things: the shared folder beside the repo ({@code LITENET_SHARED}, else
 * {@code ../shared} next to {@code LITENET_HOME}, the folder of the launcher) with its data and weights, and
 * LiteNet's cache ({@code LITENET_CACHE}, else {@code ~/.cache/litenet}).
 */
final class Locations {
    private Locations() {}

    static Path localWeights() { return dev.litenet.io.Locations.localWeights(); }

    static Path cache() { return dev.litenet.io.Locations.cache(); }
}
