package dev.litenet.tensor;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the Vector API kernels run, decided once when this class loads. They need the incubating module
 * {@code jdk.incubator.vector}, which a JVM resolves only when asked ({@code --add-modules jdk.incubator.vector});
 * without it every kernel facade ({@link Gemm}, {@link Depthwise}, {@link ChannelOps}, {@link Elementwise}) runs
 * its scalar path and one line on the {@code dev.litenet} logger says how to get the fast one.
 * {@code -Dlitenet.simd=false} chooses the scalar kernels even when the module is there (tests, benchmarks, the
 * launcher's one-shot {@code predict} of a few photos), and says so only at {@code DEBUG}.
 * A JVM that cannot run the optimizing compiler C2 ({@code -Xint}, or {@code -XX:TieredStopAtLevel} below 4, as
 * Spring Boot's {@code spring-boot:run} sets by default) runs the scalar kernels too: Vector API code is only
 * fast once C2 has compiled it, and about 70 times slower than the scalar loops without it. Both cases are one
 * {@code WARNING} line that names the cause, the cost and the fix.
 * The {@code *Simd} classes hold every reference to the Vector API; nothing loads them unless this is true.
 */
public final class Simd {
    public static final String PROPERTY = "litenet.simd";
    public static final boolean ENABLED;

    static {
        String property = System.getProperty(PROPERTY);
        boolean module = vectorModulePresent();
        boolean asked = "false".equalsIgnoreCase(property);
        String reason = scalarReason(module, property, asked || !module ? null : compilerLimit());
        ENABLED = reason == null;
        if (reason != null) {                       // said only when it was not asked for
            System.getLogger("dev.litenet").log(asked ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, reason);
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

    private Simd() {}

    /**
     * Says a batch of images is about to run (four or more): the kernels may switch to the Vector API ones after
     * {@link #SCALAR_FLOPS} rather than {@link #SCALAR_FLOPS_ONE_BY_ONE}.
     */
    public static void batchComing() { batched = true; }

    /** Whether kernel calls run the Vector API kernels now: enabled, and past the scalar start (see {@link #SCALAR_FLOPS}). */
    public static boolean vectorKernelsRunning() { return ENABLED && warm; }

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
        return true;
    }

    /** The module is in the boot layer and this class's module reads it (always, from the class path). */
    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").filter(Simd.class.getModule()::canRead).isPresent();
    }

    /**
     * The flag that keeps this JVM from compiling with C2 ({@code -Xint}, {@code -XX:TieredStopAtLevel=N} with N below
     * 4 while tiered compilation is on), or null. Read from HotSpot's diagnostic bean (which also sees flags from
     * {@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS} and options files), else from the command line.
     */
    static String compilerLimit() {
        String tiered = null, level = null;
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            tiered = bean.getVMOption("TieredCompilation").getValue();
            level = bean.getVMOption("TieredStopAtLevel").getValue();
        } catch (RuntimeException | LinkageError notHotSpot) {   // no jdk.management, or another VM: the command line
            List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
            for (String a : args) {
                if (a.equals("-XX:-TieredCompilation")) tiered = "false";
                if (a.equals("-XX:+TieredCompilation")) tiered = "true";
                if (a.startsWith("-XX:TieredStopAtLevel=")) level = a.substring("-XX:TieredStopAtLevel=".length());
            }
        }
        return compilerLimit(System.getProperty("java.vm.info", ""), tiered, level);
    }

    /** {@link #compilerLimit()} from the VM's info string ({@code java.vm.info}) and its two tiered-compilation flags. */
    static String compilerLimit(String vmInfo, String tieredCompilation, String tieredStopAtLevel) {
        if (vmInfo.contains("interpreted mode")) return "-Xint";
        if ("false".equals(tieredCompilation) || tieredStopAtLevel == null) return null;
        try {
            return Integer.parseInt(tieredStopAtLevel.trim()) < 4 ? "-XX:TieredStopAtLevel=" + tieredStopAtLevel.trim() : null;
        } catch (NumberFormatException unknown) {
            return null;
        }
    }

    /** Why the scalar kernels run, or null when the Vector API kernels do; {@code compilerLimit} as {@link #compilerLimit()}. */
    static String scalarReason(boolean vectorModule, String property, String compilerLimit) {
        if ("false".equalsIgnoreCase(property)) return "LiteNet: -D" + PROPERTY + "=false; running scalar kernels.";
        if (!vectorModule) {
            return "LiteNet: jdk.incubator.vector not found; running scalar kernels, about 4.5x slower than the Vector API "
                    + "ones once warm. Add --add-modules jdk.incubator.vector to the java command (or to JDK_JAVA_OPTIONS) "
                    + "for the fast path.";
        }
        if (compilerLimit != null) {
            return "LiteNet: this JVM runs with " + compilerLimit + ", so it never compiles with C2, without which the "
                    + "Vector API kernels run about 70x slower; running scalar kernels, about 4.5x slower than the Vector "
                    + "API ones once warm. Remove " + compilerLimit + " for the fast path (Spring Boot's spring-boot:run and "
                    + "bootRun add -XX:TieredStopAtLevel=1 unless optimizedLaunch is false).";
        }
        return null;
    }
}
