package dev.litenet;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Hostile files the tests make for themselves: sparse giants, FIFOs. */
public final class HostileFiles {
    private HostileFiles() {}

    /** A file of {@code bytes} zero bytes that takes no disk space (sparse). */
    public static Path sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }

    /** A named pipe nobody writes to (reading it would block forever), or null where mkfifo is missing. */
    public static Path fifo(Path dir) {
        Path fifo = dir.resolve("pipe.jpg");
        try {
            Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? fifo : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
