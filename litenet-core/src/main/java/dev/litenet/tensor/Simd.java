package dev.litenet.tensor;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether the Vector API kernels run, decided once when this class loads. They need the incubating module
 * {@code jdk.incubator.vector}, which a JVM resolves only when asked ({@code --add-modules jdk.incubator.vector});
 * without it every kernel facade ({@link Gemm}, {@link Depthwise}, {@link ChannelOps}, {@link Elementwise}) runs
 * its scalar path and one line on the {@code dev.litenet} logger says how to get the fast one.
 * {@code -Dlitenet.simd=false} chooses the scalar kernels even when the module is there (tests, benchmarks, the
 * launcher's one-shot {@code predict} of a few photos), and says so only at {@code DEBUG}.
 * The {@code *Simd} classes hold every reference to the Vector API; nothing loads them unless this is true.
 */
public final class Simd {
    public static final String PROPERTY = "litenet.simd";
    public static final boolean ENABLED;

    static {
        String property = System.getProperty(PROPERTY);
        String reason = scalarReason(vectorModulePresent(), property);
        ENABLED = reason == null;
        if (reason != null) {                       // said only when it was not asked for
            System.getLogger("dev.litenet").log("false".equalsIgnoreCase(property) ? System.Logger.Level.DEBUG : System.Logger.Level.INFO, reason);
        }
    }

    /**
     * Kernel work, in flops, that a process runs on the scalar kernels before the Vector API ones. Vector API code is
     * slow until HotSpot's optimizing compiler has compiled it (over a second of compilation on two cores, during
     * which it runs an order of magnitude slower than plain loops), while plain loops are fast from the first
     * compiler tier on. So a process starts on the scalar kernels and switches once its work makes the compilation
     * worth it: after 2 GFLOP (three images at 224) once a batch has come ({@link #batchComing}, or a kernel call of
     * 200 MFLOP or more: the slow first passes then compile the kernels on real work), after 20 GFLOP (about thirty
     * images) while images come one at a time. Only kernels whose two versions give the same bits
     * ({@link Gemm}, {@link Depthwise#forward}) take part, so the switch changes no result, only the time.
     */
    static final long SCALAR_FLOPS = 2_000_000_000L, SCALAR_FLOPS_ONE_BY_ONE = 20_000_000_000L, BATCH_CALL_FLOPS = 200_000_000L;
    private static final AtomicLong scalarFlops = new AtomicLong();
    private static volatile boolean warm, batched;
    private static final LongAdder vectorCalls = new LongAdder();

    private Simd() {}

    /**
     * Says a batch of images is about to run (four or more): the kernels may switch to the Vector API ones after
     * {@link #SCALAR_FLOPS} rather than {@link #SCALAR_FLOPS_ONE_BY_ONE}.
     */
    public static void batchComing() { batched = true; }

    /**
     * For timing the steady state (latency measurements, benchmarks): the Vector API kernels from now on, without the
     * scalar start of {@link #SCALAR_FLOPS}. The results are the same bits; only the time changes. No effect when the
     * Vector API is off.
     */
    public static void skipScalarStart() { warm = true; }

    /** Whether a kernel call of this many flops runs the Vector API kernel (see {@link #SCALAR_FLOPS}). */
    static boolean vectorFor(long flops) {
        if (!ENABLED) return false;
        if (!warm) {
            if (flops >= BATCH_CALL_FLOPS) batched = true;
            long done = scalarFlops.addAndGet(flops);
            if (done <= SCALAR_FLOPS || !batched && done <= SCALAR_FLOPS_ONE_BY_ONE) return false;
            warm = true;
        }
        vectorCalls.increment();
        return true;
    }

    /**
     * Kernel calls this process has run on the Vector API kernels so far (0 while it is on the scalar start, and
     * always 0 without the module). A caller that reads it before and after some work knows whether the fast
     * kernels took part in it, which a log line cannot tell where the log is off (inside Spark tasks, say).
     *
     * @return the count, growing for the life of the process
     */
    public static long vectorKernelCalls() { return vectorCalls.sum(); }

    /** The module is in the boot layer and this class's module reads it (always, from the class path). */
    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").filter(Simd.class.getModule()::canRead).isPresent();
    }

    /** Why the scalar kernels run, or null when the Vector API kernels do. */
    static String scalarReason(boolean vectorModule, String property) {
        if ("false".equalsIgnoreCase(property)) return "LiteNet: -D" + PROPERTY + "=false; running scalar kernels.";
        if (!vectorModule) {
            return "LiteNet: jdk.incubator.vector not found; running scalar kernels. "
                    + "Add --add-modules jdk.incubator.vector for the fast path.";
        }
        return null;
    }
}
