package dev.litenet;

import dev.litenet.tensor.Parallel;
import dev.litenet.tensor.Simd;

/**
 * Process-wide settings of the engine: how many threads its kernels use, and whether they run on the Vector
 * API ({@code --add-modules jdk.incubator.vector}) or on the scalar fallback.
 */
public final class LiteNet {
    private LiteNet() {}

    /** LiteNet's version, as exported files record it. */
    public static final String VERSION = "0.1.0";

    /**
     * Sets the number of worker threads every kernel uses (default: the machine's cores).
     *
     * @param threads at least 1
     * @throws BadInputException if {@code threads < 1}
     */
    public static void setThreads(int threads) {
        if (threads < 1) throw new BadInputException("threads must be at least 1, got " + threads);
        Parallel.setThreads(threads);
    }

    /**
     * The number of worker threads kernels use.
     *
     * @return the number of worker threads kernels use
     */
    public static int threads() { return Parallel.threads(); }

    /**
     * True when the Vector API kernels run, false on the scalar fallback.
     *
     * @return true when the Vector API kernels run, false on the scalar fallback
     */
    public static boolean vectorized() { return Simd.ENABLED; }
}
