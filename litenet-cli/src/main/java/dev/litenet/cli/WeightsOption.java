package dev.litenet.cli;

import dev.litenet.models.WeightsCache;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Turns a {@code --weights NAME|FILE} value into a checked local file, downloading with a progress line if needed. */
final class WeightsOption {
    private WeightsOption() {}

    static Path resolve(String arg, PrintWriter err) {
        boolean terminal = ProgressBar.isTerminal();
        return WeightsCache.standard(dev.litenet.io.Locations.localWeights()).resolve(arg, (done, total) -> {
            if (terminal) {
                err.printf("\rdownloading %s: %.1f / %s MB", arg, done / 1e6, total < 0 ? "?" : String.format("%.1f", total / 1e6));
                if (done == total) err.println();
                err.flush();
            }
        });
    }
}
