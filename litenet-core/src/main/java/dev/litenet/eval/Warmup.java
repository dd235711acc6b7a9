package dev.litenet.eval;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * A warm-up that ends when the JIT has finished, not after a fixed count. A fixed count of passes is enough in one
 * process and not in the next: HotSpot compiles the kernels on background threads, in an order and at a pace that
 * depend on the load of the machine, so a process measured after N passes may still be running (and swapping in)
 * freshly compiled or deoptimized code while it is timed (docs/BENCHMARKS.md, "Process-to-process spread": C2
 * compilations of LiteNet methods ended 11.9 s into a 12 s run of 200 + 100 images). This runs the pass at least
 * {@code minPasses} times, then until no compilation has finished for {@code quietPasses} passes in a row and at
 * least {@code quietSeconds}, read from {@link CompilationMXBean#getTotalCompilationTime} (JVM-wide, in
 * milliseconds), and nothing of LiteNet's or the Vector API's is being compiled or queued for it, or until
 * {@code maxSeconds}.
 *
 * @param passes  passes run
 * @param seconds time they took
 * @param quiet   whether the JIT was quiet at the end (false: stopped at the time limit, or no compilation time
 *                to read in this JVM)
 */
public record Warmup(int passes, double seconds, boolean quiet) {
    /**
     * Runs {@code pass} as described above.
     *
     * @param pass         one forward pass (or whatever is to be timed after)
     * @param minPasses    passes at least, 0 or more
     * @param quietPasses  passes in a row without a compilation, 1 or more
     * @param quietSeconds least time without a compilation, 0 or more
     * @param maxSeconds   most time of the whole warm-up, after minPasses
     */
    public static Warmup untilCompiled(Runnable pass, int minPasses, int quietPasses, double quietSeconds, double maxSeconds) {
        if (minPasses < 0 || quietPasses < 1 || !(quietSeconds >= 0) || !(maxSeconds >= 0)) {
            throw new IllegalArgumentException("minPasses " + minPasses + ", quietPasses " + quietPasses + ", quietSeconds "
                    + quietSeconds + ", maxSeconds " + maxSeconds);
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean readable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int passes = 0;
        for (; passes < minPasses; passes++) pass.run();
        if (!readable) return new Warmup(passes, (System.nanoTime() - start) / 1e9, false);
        long limit = start + (long) (maxSeconds * 1e9), compiled = jit.getTotalCompilationTime(), quietSince = System.nanoTime();
        int quietRun = 0;
        while (true) {
            long now = System.nanoTime();
            if (quietRun >= quietPasses && now - quietSince >= quietSeconds * 1e9) {
                if (!compilingOurs()) return new Warmup(passes, (now - start) / 1e9, true);
                quietRun = 0;                              // a long compilation still running: not quiet after all
                quietSince = System.nanoTime();
            }
            if (now >= limit) return new Warmup(passes, (now - start) / 1e9, false);
            pass.run();
            passes++;
            long c = jit.getTotalCompilationTime();
            if (c != compiled) {
                compiled = c;
                quietRun = 0;
                quietSince = System.nanoTime();
            } else {
                quietRun++;
            }
        }
    }

    /** What the JIT's queue holds that a LiteNet pass runs: LiteNet's code and the Vector API's. */
    private static final List<String> OURS = List.of("dev.litenet.", "jdk.incubator.vector.", "jdk.internal.vm.vector.");

    /**
     * Whether the JIT is compiling, or has queued, a method of LiteNet's or the Vector API's: a compilation counts in
     * the compilation time only once it ends, and one C2 compilation of a kernel can take longer than the quiet
     * time. Asks HotSpot's {@code Compiler.queue} diagnostic command (as {@code jcmd PID Compiler.queue}); false
     * where it cannot be asked.
     */
    static boolean compilingOurs() {
        try {
            Object queue = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "compilerQueue", new Object[]{null}, new String[]{String[].class.getName()});
            return queue instanceof String text && mentionsOurs(text);
        } catch (JMException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the text of {@code Compiler.queue} names a method of LiteNet's or the Vector API's. */
    static boolean mentionsOurs(String queue) {
        return queue.lines().anyMatch(line -> OURS.stream().anyMatch(line::contains));
    }
}
