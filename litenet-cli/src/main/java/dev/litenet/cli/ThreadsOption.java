package dev.litenet.cli;

import dev.litenet.tensor.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads T}, shared by every command that computes: checked, then handed to the kernels' pool. */
final class ThreadsOption {
    static final int MAX = 256;

    @Option(names = "--threads", paramLabel = "<T>", description = "Compute threads, 1 to " + MAX + " (default: all cores).")
    Integer threads;

    /** Sets the kernels' thread count if one was given; a value out of range is bad input. */
    void apply() {
        if (threads == null) return;
        Parallel.setThreads(Args.range("--threads", threads, 1, MAX));
    }
}
