package dev.litenet.tensor;

/**
 * Whether the Vector API kernels run, decided once when this class loads. They need the incubating module
 * {@code jdk.incubator.vector}, which a JVM resolves only when asked ({@code --add-modules jdk.incubator.vector});
 * without it every kernel facade ({@link Gemm}, {@link Depthwise}, {@link ChannelOps}, {@link Elementwise}) runs
 * its scalar path and one line on the {@code dev.litenet} logger says how to get the fast one.
 * {@code -Dlitenet.simd=false} chooses the scalar kernels even when the module is there (tests, benchmarks).
 * The {@code *Simd} classes hold every reference to the Vector API; nothing loads them unless this is true.
 */
public final class Simd {
    public static final String PROPERTY = "litenet.simd";
    public static final boolean ENABLED;

    static {
        String reason = scalarReason(vectorModulePresent(), System.getProperty(PROPERTY));
        ENABLED = reason == null;
        if (reason != null) System.getLogger("dev.litenet").log(System.Logger.Level.INFO, reason);
    }

    private Simd() {}

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
