package dev.litenet.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on a terminal ({@code \r}-redrawn), or a few plain lines (at 25 %, 50 %, 75 %, done)
 * when the output is a file or a pipe, so logs stay readable.
 */
final class ProgressBar {
    private final PrintWriter err;
    private final boolean terminal;
    private String what = "";
    private int lastQuarter = -1;
    private long lastDraw;

    ProgressBar(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static boolean isTerminal() { return System.console() != null && System.getenv("CI") == null; }

    /** "ETA 12 s" for a pass over images, from its rate so far; empty when done or unknown. */
    static String eta(dev.litenet.TrainEvent.Progress p) {
        if (p.done() >= p.total() || !(p.imagesPerSecond() > 0)) return "";
        return eta((p.total() - p.done()) / p.imagesPerSecond());
    }

    /** "ETA 12 s", "ETA 3 min 05 s" for an estimate of the seconds left. */
    static String eta(double secondsLeft) {
        long s = Math.round(Math.max(0, secondsLeft));
        return s >= 60 ? String.format("ETA %d min %02d s", s / 60, s % 60) : "ETA " + s + " s";
    }

    /** Shows done of total for a task; {@code rate} is items per second, {@code extra} is appended. */
    void update(String task, int done, int total, double rate, String extra) {
        if (!task.equals(what)) {
            what = task;
            lastQuarter = -1;
        }
        boolean finished = done >= total;
        String text = String.format("%-28s %5d/%-5d %6.1f img/s %s", task, done, total, rate, extra);
        if (terminal) {
            long now = System.nanoTime();
            if (!finished && now - lastDraw < 100_000_000L) return;              // at most 10 redraws a second
            lastDraw = now;
            int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + text);
            if (finished) err.println();
            err.flush();
        } else {
            int quarter = total == 0 ? 4 : (int) (4L * done / total);
            if (quarter > lastQuarter && (quarter > 0 || finished)) {
                lastQuarter = quarter;
                err.println(text.strip());
                err.flush();
            }
        }
    }
}
