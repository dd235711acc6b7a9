package dev.litenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The most memory this process ever had resident: VmHWM of /proc/self/status, as {@code litenet bench} reads it. */
final class PeakRss {
    private PeakRss() {}

    /** Megabytes, or -1 where /proc is not there. */
    static double megabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
