package dev.litenet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The most memory a process ever had resident: VmHWM of /proc/PID/status, as {@code litenet bench} reads it. */
final class PeakRss {
    private PeakRss() {}

    /** This process's, in megabytes, or -1 where /proc is not there. */
    static double megabytes() { return megabytes("self"); }

    /** Process {@code pid}'s, in megabytes, or -1 where /proc is not there (or the process has gone). */
    static double megabytes(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
