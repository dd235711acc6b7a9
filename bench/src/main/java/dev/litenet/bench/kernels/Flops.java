package dev.litenet.bench.kernels;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floating-point work done, as a JMH counter: a benchmark adds its nominal flops per call (a multiply-add is
 * two), and with the kernels' throughput mode in seconds JMH reports {@code gflop} as GFLOP/s.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Flops {
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() { gflop = 0; }

    void add(double flops) { gflop += flops / 1e9; }
}
